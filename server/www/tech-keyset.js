/*
 * tech-keyset.js: which server keys the phone trusts, and how it comes to
 * trust them (PROTOCOL.md sections 5 and 11).
 *
 * Enrollment is trust on first use, anchored by the one-time code: the
 * EnrollReply's payload is parsed first (it is the one envelope whose key
 * is not known beforehand), the keys of its keyset taken, and only then is
 * the envelope checked in the order of section 4 with those keys.  A
 * rotation is followed by walking the signed keysets after the pinned
 * version: each must open with a key trusted now, be exactly the next
 * version, and carry a verifying signature by every key it lists.  A trust
 * is {version, keys: [{keyId, pk}]}; nothing here touches the network or
 * the store.
 */
import { loaded } from './tech-libs.js';
import { DeviceError } from './tech-engine-errors.js';
import { openEnvelope, parseEnvelope, parsePayload, trustedKey, verifyEnvelope } from './tech-wire.js';

export const MAX_ENROLL_REPLY = 1 << 20; // section 5: an EnrollReply of at most 1 MiB
export const MAX_KEYSET_CHAIN = 1 << 20; // a KeysetChain reply
export const EPOCH_BYTES = 16;
const KEY_BYTES = 32;

/* A Keyset message's keys as a trust, checked for shape. */
export function trustOf(keyset) {
  if (!keyset || !keyset.keys || keyset.keys.length < 1) {
    throw new DeviceError('malformed_payload', 'The keyset lists no key.');
  }
  const keys = keyset.keys.map((k) => {
    if (!k.ed25519 || k.ed25519.length !== KEY_BYTES) {
      throw new DeviceError('malformed_payload', 'A key of the keyset is not 32 bytes.');
    }
    return trustedKey(k.ed25519);
  });
  const version = Number(keyset.version);
  if (!(version >= 1)) throw new DeviceError('malformed_payload', 'The keyset has no version.');
  return { version, keys };
}

/* Section 5, step 4: the verified EnrollReply as
 * {deviceId, technicianId, trust, epoch (16 bytes or null)}. */
export function verifyEnrollReply(body) {
  const { pb } = loaded();
  const env = parseEnvelope(body, MAX_ENROLL_REPLY);
  const reply = parsePayload(pb.EnrollReply, env.payload, 'enrollment reply');
  const trust = trustOf(reply.keyset);
  verifyEnvelope(env, 'fsd.v1.EnrollReply', trust.keys);
  const deviceId = Number(reply.deviceId);
  const technicianId = Number(reply.technicianId);
  if (!(deviceId > 0) || !(technicianId > 0)) {
    throw new DeviceError('malformed_payload', 'The enrollment reply names no device or technician.');
  }
  const epoch = reply.epoch && reply.epoch.length ? reply.epoch : null;
  if (epoch && epoch.length !== EPOCH_BYTES) {
    throw new DeviceError('malformed_payload', `The enrollment reply's epoch is not ${EPOCH_BYTES} bytes.`);
  }
  return { deviceId, technicianId, trust, epoch: epoch && Uint8Array.from(epoch) };
}

/* Section 11, one keyset envelope against the trust held now: the next. */
export function stepKeyset(envelopeBytes, trust) {
  const { pb } = loaded();
  const { env, payload } = openEnvelope(envelopeBytes, {
    maxBytes: MAX_KEYSET_CHAIN, type: 'fsd.v1.Keyset', keys: trust.keys,
  });
  const keyset = parsePayload(pb.Keyset, payload, 'keyset');
  if (Number(keyset.version) !== trust.version + 1) {
    throw new DeviceError('broken_chain', `Keyset ${keyset.version} does not follow version ${trust.version}.`);
  }
  const next = trustOf(keyset);
  for (const key of next.keys) {
    try {
      verifyEnvelope(env, 'fsd.v1.Keyset', [key]);
    } catch (error) {
      throw new DeviceError('bad_signature', `Keyset ${next.version} is not signed by its own key ${key.keyId}.`);
    }
  }
  return next;
}

/* Section 11: walk a KeysetChain reply's bytes from trust; the newest
 * trust reached (trust itself when the chain is empty). */
export function walkKeysets(chainBytes, trust) {
  const { pb } = loaded();
  if (chainBytes.length > MAX_KEYSET_CHAIN) {
    throw new DeviceError('too_large', `The keysets are ${chainBytes.length} bytes, over ${MAX_KEYSET_CHAIN}.`);
  }
  const chain = parsePayload(pb.KeysetChain, chainBytes, 'list of keysets');
  let now = trust;
  for (const envelopeBytes of chain.keysets) now = stepKeyset(envelopeBytes, now);
  return now;
}
