/*
 * tech-device.js: the technician app's protocol engine, as the pages use
 * it.  Everything below it (tech-wire, tech-keyset, tech-bundle, tech-db,
 * tech-sync and tech-engine-*) is the engine's own.
 *
 *   loadDevice()            the enrolled Device of this phone, or null
 *   enroll({code, deviceName})  enroll with a dispatcher's one-time code
 *   wasRevoked()            true when a dispatcher removed this phone (until
 *                           it enrolls again)
 *   summaryHash(bytes)      BLAKE2b-256 of a sign-off summary
 *   libs()                  the libraries, ready (await before summaryHash)
 *   DeviceError             {code, message}: what every failure throws
 *
 * A Device reads and records offline, always: record() writes the action
 * to the phone's store before it resolves, and sync() (or startAutoSync())
 * sends it later.  Sync runs are serialised within the page and, through
 * the Web Locks API, between the app's tabs; listeners of onChange() in
 * every tab hear of changes.
 */
import { asDeviceError } from './tech-engine-errors.js';
import { libs, loaded } from './tech-libs.js';
import { META, clearAll, read, transact } from './tech-db.js';
import { actionsOf, pendingCount, recordAction, refusedActions } from './tech-engine-outbox.js';
import { enrollPhone } from './tech-engine-enroll.js';
import { explain } from './tech-engine-explain.js';
import { runSync } from './tech-sync.js';
import { autoSync } from './tech-engine-auto.js';
import { hash32 } from './tech-wire.js';

export { DeviceError } from './tech-engine-errors.js';
export { libs } from './tech-libs.js';

const LOCK = 'fsd-tech-sync';
const CHANNEL = 'fsd-tech';

let current = null;

/* BLAKE2b-256 (32 bytes) of bytes; libs() must have resolved. */
export function summaryHash(bytes) {
  loaded();
  return hash32(bytes);
}

async function heldMeta() {
  return read(['meta'], async (t) => ({
    device: await t.meta(META.device),
    lost: await t.meta(META.lost),
    status: await t.meta(META.status),
  }));
}

/* The enrolled Device, or null (never enrolled, removed or wiped). */
export async function loadDevice() {
  await libs();
  const { device, lost } = await heldMeta();
  if (!device || lost === 'device_revoked') return null;
  if (!current || current.deviceId !== device.deviceId) replaceCurrent(new Device(device));
  return current;
}

/* fn's result; whatever it throws, as a DeviceError. */
async function guarded(fn) {
  try {
    return await fn();
  } catch (error) {
    throw asDeviceError(error);
  }
}

/* Enroll this phone with a dispatcher's code; the new Device. */
export async function enroll({ code, deviceName } = {}) {
  const device = await guarded(async () => {
    await libs();
    return enrollPhone({ code, deviceName });
  });
  replaceCurrent(new Device(device));
  current.changed();
  return current;
}

function replaceCurrent(device) {
  if (current) current.close();
  current = device;
}

/* True when a dispatcher removed this phone and it has not enrolled since. */
export async function wasRevoked() {
  return (await heldMeta()).lost === 'device_revoked';
}

/* Sync run fn alone among the app's tabs (where the browser can tell). */
function exclusive(fn) {
  return navigator.locks ? navigator.locks.request(LOCK, fn) : fn();
}

function byWindowThenId(a, b) {
  return a.windowStart - b.windowStart || a.id - b.id;
}

class Device {
  constructor(record) {
    this.deviceId = record.deviceId;
    this.technicianId = record.technicianId;
    this.listeners = new Set();
    this.running = null;
    this.stopAuto = null;
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    if (this.channel) this.channel.onmessage = () => this.notify();
  }

  async status() {
    const { lost, status } = await heldMeta();
    return {
      lastSyncAt: (status && status.lastSyncAt) || null,
      lastError: (status && status.lastError) || null,
      pending: await pendingCount(),
      syncing: Boolean(this.running),
      online: navigator.onLine !== false,
      revoked: lost === 'device_revoked',
      enrollAgain: Boolean(lost),
    };
  }

  async jobs() {
    const jobs = await read(['jobs'], (t) => t.all('jobs'));
    return jobs.sort(byWindowThenId);
  }

  async job(id) {
    return (await read(['jobs'], (t) => t.get('jobs', Number(id)))) || null;
  }

  async record(jobId, kind, body) {
    const mutationId = await guarded(async () => {
      await libs();
      return recordAction(Number(jobId), kind, body);
    });
    this.changed();
    return mutationId;
  }

  actions(jobId) {
    return actionsOf(Number(jobId));
  }

  async problems() {
    return (await refusedActions()).map((a) => ({ ...a, explanation: explain(a.code, a.message) }));
  }

  /* One full sync run; a call while one runs joins it. */
  sync() {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
        this.changed();
      });
      this.changed();
    }
    return this.running;
  }

  async run() {
    try {
      await libs();
      await exclusive(() => runSync(() => this.changed()));
      await this.saveStatus({ lastSyncAt: Date.now(), lastError: null });
    } catch (thrown) {
      const error = asDeviceError(thrown);
      const { status } = await heldMeta().catch(() => ({}));
      await this.saveStatus({
        lastSyncAt: (status && status.lastSyncAt) || null,
        lastError: { code: error.code, message: error.message },
      }).catch(() => {});
      throw error;
    }
  }

  saveStatus(status) {
    return transact(['meta'], 'readwrite', (t) => t.setMeta(META.status, status));
  }

  /* Sync now, every minute, when the phone comes online and when the app
   * is shown again (tech-engine-auto.js); failures land in
   * status().lastError.  Returns a stop function. */
  startAutoSync() {
    if (!this.stopAuto) this.stopAuto = autoSync(() => this.sync());
    return () => this.stopAutoSync();
  }

  stopAutoSync() {
    if (this.stopAuto) this.stopAuto();
    this.stopAuto = null;
  }

  /* No more automatic runs nor news from other tabs (a newer Device took over). */
  close() {
    this.stopAutoSync();
    if (this.channel) this.channel.close();
    this.channel = null;
  }

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /* Tell this tab's listeners and the other tabs'. */
  changed() {
    this.notify();
    if (this.channel) this.channel.postMessage('changed');
  }

  notify() {
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (error) {
        setTimeout(() => { throw error; }); // a listener's bug is reported, not ours
      }
    }
  }

  /* Forget everything: jobs, keys, actions. */
  async wipe() {
    this.stopAutoSync();
    await clearAll();
    if (current === this) current = null;
    this.changed();
  }
}

export { Device };
