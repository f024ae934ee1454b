/*
 * tech-db.js: the phone's store, IndexedDB database 'fsd-tech', and the
 * one way the engine uses it: a transaction around an async function.
 *
 * Three object stores (schema version 1):
 *   meta     small records by name (META below): the device's identity
 *            and secret keys, the pinned keyset, the bundle chain, the
 *            batch in flight, the mutation counter, the last sync's status
 *   jobs     the job snapshots held, plain objects keyed by id
 *   actions  everything the technician recorded, in order (seq): pending
 *            until a verified bundle acknowledges it, then APPLIED,
 *            REJECTED or CONFLICT with the server's code and message;
 *            indexed by mutationId (unique), jobId and state
 * transact() runs fn(t) in one transaction with strict durability and
 * resolves once it has committed; if fn throws, everything it wrote is
 * rolled back.  fn may await only t's requests: awaiting anything else
 * (the network, a timer) would let IndexedDB commit the transaction early.
 */

export const DB_NAME = 'fsd-tech';
const DB_VERSION = 1;

export const META = {
  device: 'device',     // {deviceId, technicianId, signSk, boxPk, boxSk, name, enrolledAt}
  trust: 'trust',       // {version, keys: [{keyId, pk}]}: the pinned keyset
  chain: 'chain',       // {batchSeq, cursor, bundleSeq, lastBundleHash, highestIssuedAt, epoch, leftEpochs}
  inflight: 'inflight', // {batchSeq, body, mutationIds}: the exact bytes of the batch sent
  counter: 'counter',   // the last mutation counter used (never repeats)
  status: 'status',     // {lastSyncAt, lastError}
  lost: 'lost',         // 'unknown_device' or 'device_revoked': enroll again
};
export const STORES = ['meta', 'jobs', 'actions'];

let opening = null;

function upgrade(db, from) {
  if (from < 1) {
    db.createObjectStore('meta');
    db.createObjectStore('jobs', { keyPath: 'id' });
    const actions = db.createObjectStore('actions', { keyPath: 'seq', autoIncrement: true });
    actions.createIndex('mutationId', 'mutationId', { unique: true });
    actions.createIndex('jobId', 'jobId');
    actions.createIndex('state', 'state');
  }
}

/* The open database (opened once per page). */
export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = (event) => upgrade(req.result, event.oldVersion);
      req.onsuccess = () => {
        const db = req.result;
        // a newer page wants to upgrade the schema: let it
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        // closed by the browser (storage cleared): open it again next time
        db.onclose = () => {
          opening = null;
        };
        resolve(db);
      };
      req.onerror = () => {
        opening = null;
        reject(req.error);
      };
    });
  }
  return opening;
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/* The requests fn may make, each a promise of its result. */
function requests(tx) {
  const store = (name) => tx.objectStore(name);
  return {
    get: (name, key) => done(store(name).get(key)),
    put: (name, value, key) => done(key === undefined ? store(name).put(value) : store(name).put(value, key)),
    add: (name, value) => done(store(name).add(value)),
    del: (name, key) => done(store(name).delete(key)),
    clear: (name) => done(store(name).clear()),
    all: (name, query, count) => done(store(name).getAll(query, count)),
    keys: (name) => done(store(name).getAllKeys()),
    byIndex: (name, index, query, count) => done(store(name).index(index).getAll(query, count)),
    oneByIndex: (name, index, key) => done(store(name).index(index).get(key)),
    countByIndex: (name, index, query) => done(store(name).index(index).count(query)),
    meta: (key) => done(store('meta').get(key)),
    setMeta: (key, value) => done(store('meta').put(value, key)),
    delMeta: (key) => done(store('meta').delete(key)),
  };
}

/* fn(t)'s result, once its transaction on stores committed. */
export async function transact(stores, mode, fn) {
  const db = await openDb();
  const tx = db.transaction(stores, mode, { durability: 'strict' });
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error || new DOMException('The transaction was aborted.', 'AbortError'));
  });
  let result;
  try {
    result = await fn(requests(tx));
  } catch (error) {
    committed.catch(() => {});
    try {
      tx.abort();
    } catch (ignored) {
      // already finished: nothing to undo
    }
    throw error;
  }
  try {
    if (mode === 'readwrite' && tx.commit) tx.commit(); // no need to wait for the event loop
  } catch (ignored) {
    // it committed by itself already
  }
  await committed;
  return result;
}

/* Read-only shorthand. */
export function read(stores, fn) {
  return transact(stores, 'readonly', fn);
}

/* Everything the phone holds, forgotten (one transaction). */
export function clearAll() {
  return transact(STORES, 'readwrite', async (t) => {
    for (const name of STORES) await t.clear(name);
  });
}
