/*
 * tech-sync.js: one sync run of PROTOCOL.md section 6, as the phone does
 * it: send the batch, check the bundle, apply it, again while the server
 * has more.
 *
 * The batch is built from the oldest pending actions and stored (its
 * batch_seq and exact signed bytes) before it is sent, so a run cut short
 * (a lost reply, a closed page) sends the very same bytes next time and
 * the server answers from its stored reply.  Section 10's rules: a
 * transient failure is retried a few times with full-jitter backoff, then
 * reported (the batch stays in flight); a refusal drops the batch (the
 * actions stay pending), and stale_batch numbers on from the server's
 * last batch, too_large sends fewer actions.  A bundle signed by an
 * unknown key makes the phone follow the server's key rotation (section
 * 11) once.  A reply that fails a check is reported with its code and
 * changes nothing.  A run goes on while the server has more or actions
 * wait behind the batch sent.  runSync() throws DeviceError; tech-device.js keeps the
 * outcome for status().
 */
import { META, read, transact } from './tech-db.js';
import { DeviceError, isTransient } from './tech-engine-errors.js';
import { exchange } from './tech-engine-http.js';
import { applyBundle, forgetRevoked, markForgotten, pinTrust } from './tech-engine-apply.js';
import { oldestPending } from './tech-engine-outbox.js';
import { checkBundle } from './tech-bundle.js';
import { walkKeysets, MAX_KEYSET_CHAIN } from './tech-keyset.js';
import { loaded } from './tech-libs.js';
import { own, signEnvelope } from './tech-wire.js';

export const MAX_BUNDLE_BYTES = 1 << 20; // asked of the server, and the most a reply may be
export const MAX_JOBS_PER_BUNDLE = 200;
export const MAX_BATCH = 100;            // section 8a: mutations in a SyncRequest
export const MAX_BATCH_BYTES = 768 * 1024; // of mutations: under the server's default 1 MiB body
const MAX_ROUNDS = 200;                  // bundles in one run, has_more included
const ATTEMPTS = 3;                      // tries of one request within a run
const BACKOFF_MS = 1000;                 // the first backoff's ceiling, doubled each time

/* What a run needs of the store, read at once; throws when not enrolled. */
async function readHeld() {
  const held = await read(['meta'], async (t) => ({
    device: await t.meta(META.device),
    trust: await t.meta(META.trust),
    chain: await t.meta(META.chain),
    lost: await t.meta(META.lost),
  }));
  if (held.lost) throw new DeviceError(held.lost, held.lost === 'device_revoked'
    ? 'This phone was removed by the dispatcher; enroll it again.'
    : 'The server no longer knows this phone; enroll it again.');
  if (!held.device || !held.trust || !held.chain) throw new DeviceError('not_enrolled', 'This phone is not enrolled.');
  return held;
}

function syncRequest(device, trust, chain, actions, batchSeq) {
  const { pb } = loaded();
  return pb.SyncRequest.encode(pb.SyncRequest.create({
    deviceId: device.deviceId,
    batchSeq,
    cursor: chain.cursor,
    mutations: actions.map((a) => pb.Mutation.decode(a.wire)),
    capabilities: { maxBundleBytes: MAX_BUNDLE_BYTES, maxJobsPerBundle: MAX_JOBS_PER_BUNDLE },
    keysetVersion: trust.version,
    epoch: chain.epoch || new Uint8Array(0),
  })).finish();
}

/* The batch in flight, or a new one of at most limit (at least 1)
 * actions, stored before it is sent. */
function nextBatch(limit) {
  return transact(['meta', 'actions'], 'readwrite', async (t) => {
    const inflight = await t.meta(META.inflight);
    if (inflight) return inflight;
    const [device, trust, chain] = [await t.meta(META.device), await t.meta(META.trust), await t.meta(META.chain)];
    const { actions, more } = await oldestPending(t, limit, MAX_BATCH_BYTES);
    const batchSeq = chain.batchSeq + 1;
    const payload = syncRequest(device, trust, chain, actions, batchSeq);
    const batch = {
      batchSeq,
      body: own(signEnvelope('fsd.v1.SyncRequest', payload, [device.signSk])),
      mutationIds: actions.map((a) => a.mutationId),
      more, // actions left for the next batch of this run
    };
    await t.setMeta(META.inflight, batch);
    await t.setMeta(META.chain, { ...chain, batchSeq });
    return batch;
  });
}

/* Forget the batch in flight (refused for good); with renumberFrom, go on
 * numbering from the server's last accepted batch. */
function dropBatch(batchSeq, renumberFrom = 0) {
  return transact(['meta'], 'readwrite', async (t) => {
    const inflight = await t.meta(META.inflight);
    if (inflight && inflight.batchSeq === batchSeq) await t.delMeta(META.inflight);
    const chain = await t.meta(META.chain);
    if (chain && renumberFrom > chain.batchSeq) await t.setMeta(META.chain, { ...chain, batchSeq: renumberFrom });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/* The reply to body, transient failures retried with full jitter. */
async function send(body) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await exchange('sync', body, MAX_BUNDLE_BYTES);
    } catch (error) {
      const offline = error.code === 'offline' && navigator.onLine === false;
      if (!isTransient(error) || attempt >= ATTEMPTS || offline) throw error;
      await sleep(Math.random() * BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}

/* Section 11: the keysets after the pinned one, walked and pinned. */
async function followRotation(trust) {
  const chainBytes = await exchange(`keysets?after=${trust.version}`, null, MAX_KEYSET_CHAIN);
  const next = walkKeysets(chainBytes, trust);
  if (next.version === trust.version) {
    throw new DeviceError('unknown_key', 'The bundle is signed by a key no keyset of the server introduces.');
  }
  await pinTrust(next);
  return next;
}

/* The reply checked against what the phone holds (tech-bundle.js). */
async function checkReply(reply, held) {
  const view = {
    deviceId: held.device.deviceId,
    technicianId: held.device.technicianId,
    trust: held.trust,
    box: { pk: held.device.boxPk, sk: held.device.boxSk },
    chain: held.chain,
    maxBytes: MAX_BUNDLE_BYTES,
  };
  const now = () => Math.floor(Date.now() / 1000);
  try {
    return checkBundle(reply, view, now());
  } catch (error) {
    if (error.code !== 'unknown_key') throw error;
  }
  return checkBundle(reply, { ...view, trust: await followRotation(held.trust) }, now());
}

/* A refusal of the batch: true when the run goes on (renumbered, or fewer
 * actions); the revocation and the forgotten device are remembered. */
async function afterRefusal(error, batch, state) {
  if (error.code === 'stale_batch' && !state.renumbered && error.lastBatchSeq >= batch.batchSeq) {
    state.renumbered = true;
    await dropBatch(batch.batchSeq, error.lastBatchSeq);
    return true;
  }
  await dropBatch(batch.batchSeq);
  if (error.code === 'too_large' && batch.mutationIds.length > 1) {
    state.limit = Math.max(1, Math.floor(batch.mutationIds.length / 2));
    return true;
  }
  if (error.code === 'device_revoked') await forgetRevoked();
  if (error.code === 'unknown_device') await markForgotten();
  return false;
}

/* One sync run; onApplied() after each bundle applied. */
export async function runSync(onApplied) {
  const state = { limit: MAX_BATCH, renumbered: false };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await readHeld(); // not enrolled, revoked or forgotten: no request
    const batch = await nextBatch(state.limit);
    let reply;
    try {
      reply = await send(batch.body);
    } catch (error) {
      // a refusal has a status; a reply that failed a check keeps the batch
      if (isTransient(error) || !error.status) throw error;
      if (await afterRefusal(error, batch, state)) continue;
      throw error;
    }
    const held = await readHeld();
    const checked = await checkReply(reply, held);
    if (checked.repeat) {
      await dropBatch(batch.batchSeq);
      return;
    }
    const more = await applyBundle(held.chain, checked);
    onApplied();
    if (!more && !batch.more) return;
  }
}
