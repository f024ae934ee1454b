/*
 * tech-bundle.js: the phone's checks on a sync reply, in the order of
 * PROTOCOL.md sections 4 and 8, before anything of it is applied.
 *
 * checkBundle() takes the reply's bytes and what the phone holds (its
 * identity, pinned keyset, chain and X25519 key pair) and gives either
 * {repeat: true} (the bundle last applied, again: nothing to do) or the
 * bundle to apply, with its jobs opened and made plain objects.  The
 * first failed check throws a DeviceError with the device's code:
 * too_large, malformed_envelope, unknown_key, bad_signature, wrong_type,
 * malformed_payload, wrong_signer, wrong_audience, rollback,
 * broken_chain, expired, unsealable.  It reads no store and writes none:
 * tech-engine-apply.js applies what it returns in one transaction.
 */
import { loaded } from './tech-libs.js';
import { DeviceError } from './tech-engine-errors.js';
import { hash32, openEnvelope, own, parsePayload, sameBytes } from './tech-wire.js';
import { EPOCH_BYTES } from './tech-keyset.js';

export const ZERO_HASH = new Uint8Array(32);
const RESULTS = new Set(['APPLIED', 'REJECTED', 'CONFLICT']);

/* How the engine hands a job to the UI: camelCase, numbers, enum names,
 * every default filled. */
export const PLAIN = { longs: Number, enums: String, defaults: true, arrays: true, objects: true };

function refuse(code, message) {
  throw new DeviceError(code, message);
}

/* Section 8, checks 1 and 2. */
function checkSignerAndAudience(bundle, key, held) {
  if (bundle.signerKeyId !== key.keyId) {
    refuse('wrong_signer', 'The bundle names another signing key than the one that signed it.');
  }
  if (Number(bundle.technicianId) !== held.technicianId || Number(bundle.deviceId) !== held.deviceId) {
    refuse('wrong_audience', 'The bundle is for another device.');
  }
}

/* Check 3 (section 12): true for the first bundle of a new epoch. */
function checkEpoch(bundle, chain) {
  const epoch = bundle.epoch && bundle.epoch.length ? bundle.epoch : null;
  if (epoch && epoch.length !== EPOCH_BYTES) refuse('malformed_payload', `The bundle's epoch is not ${EPOCH_BYTES} bytes.`);
  if (!epoch || !chain.epoch || sameBytes(epoch, chain.epoch)) return false;
  if ((chain.leftEpochs || []).some((left) => sameBytes(left, epoch))) {
    refuse('rollback', 'The bundle is of a server epoch this phone has left.');
  }
  if (!bundle.resync) refuse('broken_chain', 'A new server epoch must begin with a resync.');
  return true;
}

/* Checks 4 and 5: true for an exact repeat of the last bundle applied. */
function checkOrder(bundle, hash, chain) {
  const seq = Number(bundle.bundleSeq);
  const last = chain.bundleSeq || 0;
  const lastHash = chain.lastBundleHash || ZERO_HASH;
  if (last && seq === last && sameBytes(hash, lastHash)) return true;
  if (!(seq > last)) refuse('rollback', `Bundle ${seq} is not after bundle ${last}.`);
  if (!sameBytes(bundle.prevBundleHash, lastHash)) {
    refuse('broken_chain', 'The bundle does not follow the last one applied.');
  }
  return false;
}

/* Check 6. */
function checkFresh(bundle, chain, nowSeconds) {
  const floor = Math.max(nowSeconds, chain.highestIssuedAt || 0);
  if (!(Number(bundle.expiresAt) > floor)) refuse('expired', 'The bundle has expired.');
}

/* Check 7: the sealed jobs as plain objects. */
function openJobs(bundle, box) {
  const { sodium, pb } = loaded();
  let plain;
  try {
    plain = sodium.crypto_box_seal_open(bundle.sealedJobs, box.pk, box.sk);
  } catch (error) {
    refuse('unsealable', 'The jobs cannot be opened with this phone\'s key.');
  }
  let sealed;
  try {
    sealed = pb.SealedJobs.decode(plain);
  } catch (error) {
    refuse('unsealable', 'The opened jobs are not a list of jobs.');
  }
  return sealed.jobs.map((job) => pb.Job.toObject(job, PLAIN));
}

function plainAcks(bundle) {
  const { pb } = loaded();
  return bundle.acks.map((ack) => pb.Ack.toObject(ack, PLAIN)).filter((ack) => RESULTS.has(ack.result));
}

/*
 * held: {deviceId, technicianId, trust: {version, keys}, box: {pk, sk},
 * chain: {bundleSeq, lastBundleHash, highestIssuedAt, epoch, leftEpochs},
 * maxBytes}; nowSeconds the phone's clock.  Returns {repeat: true} or
 * {bundle, hash, newEpoch, jobs, removed, acks}.
 */
export function checkBundle(body, held, nowSeconds) {
  const { pb } = loaded();
  const { payload, key } = openEnvelope(body, { maxBytes: held.maxBytes, type: 'fsd.v1.Bundle', keys: held.trust.keys });
  const bundle = parsePayload(pb.Bundle, payload, 'bundle');
  const hash = hash32(payload);
  checkSignerAndAudience(bundle, key, held);
  const newEpoch = checkEpoch(bundle, held.chain);
  if (!newEpoch && checkOrder(bundle, hash, held.chain)) return { repeat: true };
  checkFresh(bundle, held.chain, nowSeconds);
  const jobs = openJobs(bundle, held.box);
  return {
    bundle: {
      bundleSeq: Number(bundle.bundleSeq),
      issuedAt: Number(bundle.issuedAt),
      checkpoint: Number(bundle.checkpoint),
      hasMore: Boolean(bundle.hasMore),
      resync: Boolean(bundle.resync),
      keysetVersion: Number(bundle.keysetVersion),
      epoch: bundle.epoch && bundle.epoch.length ? own(bundle.epoch) : null,
    },
    hash,
    newEpoch,
    jobs,
    removed: bundle.removedJobIds.map(Number),
    acks: plainAcks(bundle),
  };
}
