/*
 * tech-engine-apply.js: what a verified bundle, an enrollment and a
 * revocation change in the phone's store, each in one transaction, so the
 * store is always before or after one of them, never between.
 *
 * A bundle (PROTOCOL.md sections 8 and 12): a new epoch's bookkeeping and
 * the actions put back, a resync's removal of every job held, the job
 * snapshots, the tombstones, the acks, the cursor, bundle number, payload
 * hash and highest issued_at, and the end of the batch in flight.  The
 * chain is compared with the one the bundle was checked against, so a
 * bundle checked on a stale view is never applied.
 */
import { META, transact } from './tech-db.js';
import { DeviceError } from './tech-engine-errors.js';
import { acknowledge, keepOnlyPending, purgeAcknowledged, requeueAcknowledged } from './tech-engine-outbox.js';
import { sameBytes } from './tech-wire.js';

const LEFT_EPOCHS = 32; // epochs remembered as left (section 12: at least 32)
const ALL = ['meta', 'jobs', 'actions'];

/* A chain at its start: nothing applied, nothing sent. */
export function freshChain(epoch) {
  return {
    batchSeq: 0, cursor: 0, bundleSeq: 0, lastBundleHash: null,
    highestIssuedAt: 0, epoch: epoch || null, leftEpochs: [],
  };
}

function unchanged(chain, seen) {
  return chain && chain.bundleSeq === seen.bundleSeq &&
    (chain.bundleSeq === 0 || sameBytes(chain.lastBundleHash, seen.lastBundleHash));
}

/* The chain after the bundle checked as `checked` (tech-bundle.js). */
function nextChain(chain, checked) {
  const { bundle, hash, newEpoch } = checked;
  const leftEpochs = newEpoch ? [...chain.leftEpochs, chain.epoch].slice(-LEFT_EPOCHS) : chain.leftEpochs;
  return {
    ...chain,
    cursor: bundle.checkpoint,
    bundleSeq: bundle.bundleSeq,
    lastBundleHash: hash,
    highestIssuedAt: Math.max(chain.highestIssuedAt, bundle.issuedAt),
    epoch: bundle.epoch || chain.epoch,
    leftEpochs,
  };
}

/* Apply a checked bundle; true when the server has more at once. */
export function applyBundle(seen, checked) {
  const now = Date.now();
  return transact(ALL, 'readwrite', async (t) => {
    const chain = await t.meta(META.chain);
    if (!unchanged(chain, seen)) {
      throw new DeviceError('busy', 'The phone\'s jobs changed while the bundle was checked; sync again.');
    }
    if (checked.newEpoch) await requeueAcknowledged(t, now);
    if (checked.bundle.resync) await t.clear('jobs');
    for (const job of checked.jobs) await t.put('jobs', job);
    for (const id of checked.removed) await t.del('jobs', id);
    for (const ack of checked.acks) await acknowledge(t, ack, now);
    await t.setMeta(META.chain, nextChain(chain, checked));
    await t.delMeta(META.inflight);
    await purgeAcknowledged(t, now);
    return checked.bundle.hasMore || checked.newEpoch;
  });
}

/* A new enrollment (enrolled: {device, trust, epoch}).  After the server
 * forgot this phone (unknown_device) what it had applied goes again. */
export function storeEnrollment(enrolled) {
  const now = Date.now();
  return transact(ALL, 'readwrite', async (t) => {
    const lost = await t.meta(META.lost);
    const current = await t.meta(META.device);
    if (current && !lost) throw new DeviceError('already_enrolled', 'This phone is already enrolled.');
    if (lost === 'unknown_device') await requeueAcknowledged(t, now);
    await t.clear('jobs');
    await t.setMeta(META.device, enrolled.device);
    await t.setMeta(META.trust, enrolled.trust);
    await t.setMeta(META.chain, freshChain(enrolled.epoch));
    await t.delMeta(META.inflight);
    await t.delMeta(META.lost);
    await t.setMeta(META.status, { lastSyncAt: null, lastError: null });
  });
}

/* device_revoked: the jobs and keys go at once; only what the technician
 * recorded and never sent stays, for a later enrollment to send. */
export function forgetRevoked() {
  return transact(ALL, 'readwrite', async (t) => {
    await t.clear('jobs');
    await keepOnlyPending(t);
    for (const key of [META.device, META.trust, META.chain, META.inflight]) await t.delMeta(key);
    await t.setMeta(META.lost, 'device_revoked');
  });
}

/* unknown_device: the server no longer knows this phone; everything is
 * kept (the technician may work on) until it enrolls again. */
export function markForgotten() {
  return transact(['meta'], 'readwrite', (t) => t.setMeta(META.lost, 'unknown_device'));
}

/* The pinned keyset after a rotation was followed. */
export function pinTrust(trust) {
  return transact(['meta'], 'readwrite', (t) => t.setMeta(META.trust, trust));
}
