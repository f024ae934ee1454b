/*
 * tech-engine-outbox.js: the technician's actions in the phone's store
 * (object store 'actions'), from the moment they are recorded to a week
 * after the server acknowledged them.
 *
 * An action is written with its encoded Mutation in one transaction with
 * the counter that names it, before record() resolves; it is 'pending'
 * until a verified bundle acknowledges it (PROTOCOL.md section 10), then
 * APPLIED, REJECTED or CONFLICT with the server's code and message.
 * Acknowledged actions stay for the UI while their job is held, and at
 * least 7 days (section 12: a server restored from a backup may have lost
 * what it applied, and then APPLIED and CONFLICT ones are put back, in
 * their first order).  The functions taking t run inside the caller's
 * transaction (tech-db.js).
 */
import { META, read, transact } from './tech-db.js';
import { DeviceError } from './tech-engine-errors.js';
import { buildMutation } from './tech-engine-mutation.js';
import { own } from './tech-wire.js';

export const KEEP_MS = 7 * 24 * 3600 * 1000;
export const PENDING = 'pending';

/* Record kind/body on jobId; the new action's mutationId. */
export function recordAction(jobId, kind, body) {
  return transact(['meta', 'jobs', 'actions'], 'readwrite', async (t) => {
    const device = await t.meta(META.device);
    if (!device) throw new DeviceError('not_enrolled', 'This phone is not enrolled.');
    const job = await t.get('jobs', jobId);
    if (!job) throw new DeviceError('not_found', `Job ${jobId} is not on this phone.`);
    const counter = ((await t.meta(META.counter)) || 0) + 1;
    const mutationId = `${device.deviceId}-${counter}`;
    const deviceTime = Math.floor(Date.now() / 1000);
    const { wire, body: plain } = buildMutation(kind, body, {
      mutationId, jobId, baseVersion: job.version, deviceTime,
    });
    await t.setMeta(META.counter, counter);
    await t.add('actions', {
      mutationId, jobId, kind, body: plain, deviceTime, wire: own(wire),
      state: PENDING, code: '', message: '', jobVersion: 0, recordedAt: Date.now(), ackedAt: 0,
    });
    return mutationId;
  });
}

/* {actions, more}: the oldest pending actions, in order, at most count
 * and no more than maxBytes of encoded mutations (at least one); more
 * when others wait behind them. */
export async function oldestPending(t, count, maxBytes) {
  const pending = await t.byIndex('actions', 'state', PENDING, count + 1);
  const actions = [];
  let bytes = 0;
  for (const action of pending.slice(0, count)) {
    bytes += action.wire.length;
    if (actions.length && bytes > maxBytes) break;
    actions.push(action);
  }
  return { actions, more: pending.length > actions.length };
}

/* One ack of a verified bundle, on the action it names (if any). */
export async function acknowledge(t, ack, now) {
  const action = await t.oneByIndex('actions', 'mutationId', ack.mutationId);
  if (!action) return;
  await t.put('actions', {
    ...action, state: ack.result, code: ack.code, message: ack.message,
    jobVersion: ack.jobVersion, ackedAt: now,
  });
}

/* Section 12: APPLIED in the last 7 days and every CONFLICT, pending again. */
export async function requeueAcknowledged(t, now) {
  for (const action of await t.all('actions')) {
    const recent = action.state === 'APPLIED' && now - action.ackedAt <= KEEP_MS;
    if (recent || action.state === 'CONFLICT') {
      await t.put('actions', { ...action, state: PENDING, code: '', message: '', ackedAt: 0 });
    }
  }
}

/* Acknowledged actions older than a week whose job the phone no longer holds. */
export async function purgeAcknowledged(t, now) {
  const held = new Set(await t.keys('jobs'));
  for (const action of await t.all('actions')) {
    if (action.state !== PENDING && now - action.ackedAt > KEEP_MS && !held.has(action.jobId)) {
      await t.del('actions', action.seq);
    }
  }
}

/* Only what is not yet sent: after a revocation nothing else is kept. */
export async function keepOnlyPending(t) {
  for (const action of await t.all('actions')) {
    if (action.state !== PENDING) await t.del('actions', action.seq);
  }
}

/* An action as the UI sees it. */
function view(action) {
  return {
    mutationId: action.mutationId,
    jobId: action.jobId,
    kind: action.kind,
    body: action.body,
    deviceTime: action.deviceTime,
    state: action.state,
    code: action.code,
    message: action.message,
    ackedAt: action.ackedAt || null,
  };
}

/* Everything recorded on jobId, in the order recorded. */
export async function actionsOf(jobId) {
  const list = await read(['actions'], (t) => t.byIndex('actions', 'jobId', jobId));
  return list.sort((a, b) => a.seq - b.seq).map(view);
}

/* REJECTED and CONFLICT actions of every job, newest first. */
export async function refusedActions() {
  const list = await read(['actions'], async (t) => [
    ...await t.byIndex('actions', 'state', 'REJECTED'),
    ...await t.byIndex('actions', 'state', 'CONFLICT'),
  ]);
  return list.sort((a, b) => b.ackedAt - a.ackedAt || b.seq - a.seq).map(view);
}

export function pendingCount() {
  return read(['actions'], (t) => t.countByIndex('actions', 'state', PENDING));
}
