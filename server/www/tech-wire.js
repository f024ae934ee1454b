/*
 * tech-wire.js: signed envelopes as PROTOCOL.md sections 2 to 4 define
 * them, and the byte helpers the engine shares.
 *
 * The signature is Ed25519 over the pre-authentication encoding
 * "FSDv1 LEN(type) type LEN(payload) payload"; an envelope is opened in the
 * order of section 4 and stops at the first failure with its code
 * (too_large, malformed_envelope, unknown_key, bad_signature, wrong_type;
 * malformed_payload when the payload then does not parse).  The payload
 * returned is the exact bytes that verified: nothing is ever re-encoded
 * before it is checked.  Everything here is synchronous and needs libs()
 * to have resolved; libsodium does all the cryptography, the generated
 * messages all the protobuf.
 */
import { loaded } from './tech-libs.js';
import { DeviceError } from './tech-engine-errors.js';

export const DOMAIN = 'FSDv1';
export const MAX_SIGS = 16;
const SIG_BYTES = 64;
const encoder = new TextEncoder();

export function utf8(text) {
  return encoder.encode(text);
}

export function toHex(bytes) {
  return loaded().sodium.to_hex(bytes);
}

export function fromHex(text) {
  return loaded().sodium.from_hex(text);
}

/* Byte-wise equality of two Uint8Arrays (either may be missing). */
export function sameBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/* A copy that owns its buffer: the decoder's byte fields are views into
 * the whole message, which IndexedDB would otherwise store whole. */
export function own(bytes) {
  return bytes ? Uint8Array.from(bytes) : new Uint8Array(0);
}

/* BLAKE2b-256, unkeyed. */
export function hash32(bytes) {
  return loaded().sodium.crypto_generichash(32, bytes);
}

/* Section 2: 16 lowercase hex digits of BLAKE2b-256(public key). */
export function keyId(publicKey) {
  return toHex(hash32(publicKey).subarray(0, 8));
}

/* Section 3: the bytes a signature covers. */
export function pae(type, payload) {
  const typeBytes = utf8(type);
  const head = utf8(`${DOMAIN} ${typeBytes.length} `);
  const mid = utf8(` ${payload.length} `);
  const out = new Uint8Array(head.length + typeBytes.length + mid.length + payload.length);
  out.set(head, 0);
  out.set(typeBytes, head.length);
  out.set(mid, head.length + typeBytes.length);
  out.set(payload, head.length + typeBytes.length + mid.length);
  return out;
}

/* An Envelope's bytes: payload of type signed by each 64-byte Ed25519
 * secret key (libsodium's, whose second half is the public key). */
export function signEnvelope(type, payload, secretKeys) {
  const { sodium, pb } = loaded();
  const signed = pae(type, payload);
  const sigs = secretKeys.map((sk) => ({
    keyId: keyId(sk.subarray(32, 64)),
    sig: sodium.crypto_sign_detached(signed, sk),
  }));
  return pb.Envelope.encode(pb.Envelope.create({ payload, payloadType: type, sigs })).finish();
}

/* A trusted key as the engine keeps it: {keyId, pk}. */
export function trustedKey(publicKey) {
  return { keyId: keyId(publicKey), pk: own(publicKey) };
}

/* Steps 1 and 2: the Envelope, or the first failure's code. */
export function parseEnvelope(body, maxBytes) {
  const { pb } = loaded();
  if (!(body instanceof Uint8Array)) throw new DeviceError('malformed_envelope', 'The reply is not bytes.');
  if (body.length > maxBytes) {
    throw new DeviceError('too_large', `The reply is ${body.length} bytes, over the limit of ${maxBytes}.`);
  }
  let env;
  try {
    env = pb.Envelope.decode(body);
  } catch (error) {
    throw new DeviceError('malformed_envelope', `The reply is not a signed envelope: ${error.message}.`);
  }
  if (env.sigs.length < 1 || env.sigs.length > MAX_SIGS) {
    throw new DeviceError('malformed_envelope', `The envelope has ${env.sigs.length} signatures, not 1 to ${MAX_SIGS}.`);
  }
  return env;
}

/* Steps 3 and 4: the trusted key whose signature verifies. */
function verifyingKey(env, keys) {
  const { sodium } = loaded();
  let named = false;
  let signed = null;
  for (const s of env.sigs) {
    for (const key of keys) {
      if (s.keyId !== key.keyId) continue;
      named = true;
      if (!s.sig || s.sig.length !== SIG_BYTES) continue;
      signed = signed || pae(env.payloadType, env.payload);
      if (sodium.crypto_sign_verify_detached(s.sig, signed, key.pk)) return key;
    }
  }
  if (!named) throw new DeviceError('unknown_key', 'The reply is not signed by a key this phone trusts.');
  throw new DeviceError('bad_signature', 'The reply\'s signature does not verify.');
}

/* Steps 3 to 5 on a parsed envelope: the key that verified. */
export function verifyEnvelope(env, type, keys) {
  const key = verifyingKey(env, keys);
  if (env.payloadType !== type) {
    throw new DeviceError('wrong_type', `Expected a ${type}, got a ${env.payloadType || 'message of no type'}.`);
  }
  return key;
}

/* Section 4 in full: {env, payload, key} where payload is the exact
 * signed bytes and key the trusted key ({keyId, pk}) that verified. */
export function openEnvelope(body, { maxBytes, type, keys }) {
  const env = parseEnvelope(body, maxBytes);
  const key = verifyEnvelope(env, type, keys);
  return { env, payload: env.payload, key };
}

/* Step 6: the payload parsed as Type, else malformed_payload. */
export function parsePayload(Type, payload, what) {
  try {
    return Type.decode(payload);
  } catch (error) {
    throw new DeviceError('malformed_payload', `The ${what} does not parse: ${error.message}.`);
  }
}
