/*
 * tech-engine-http.js: the engine's transport to /sync/v1/ on the app's
 * own origin (PROTOCOL.md section 1).
 *
 * One request at a time, protobuf bytes in and out, a timeout on the
 * whole exchange and a cap on the bytes read (a reply over the cap is
 * refused as too_large before it is all in memory).  No network, a
 * timeout, 429 and 5xx become transient DeviceErrors (section 10); any
 * other non-200 reply is the server's refusal, a DeviceError with the
 * SyncError's code (lastBatchSeq with stale_batch).  No cookie is sent:
 * the device protocol authenticates by signature alone.
 */
import { loaded } from './tech-libs.js';
import { DeviceError, transientError } from './tech-engine-errors.js';

export const TIMEOUT_MS = 30000;
const MAX_ERROR_BYTES = 64 * 1024;
const CODE = /^[a-z][a-z0-9_]{0,47}$/;

export function syncUrl(path) {
  return `${location.origin}/sync/v1/${path}`;
}

/* The body of response, at most maxBytes of it. */
async function readCapped(response, maxBytes) {
  const declared = Number(response.headers.get('Content-Length'));
  if (declared > maxBytes) {
    response.body && response.body.cancel().catch(() => {});
    throw new DeviceError('too_large', `The reply is ${declared} bytes, over the limit of ${maxBytes}.`);
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      reader.cancel().catch(() => {});
      throw new DeviceError('too_large', `The reply is over the limit of ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/* The server's refusal (an unsigned SyncError) as a DeviceError. */
function refusal(status, bytes) {
  const { pb } = loaded();
  let error = null;
  try {
    if (bytes.length <= MAX_ERROR_BYTES) error = pb.SyncError.decode(bytes);
  } catch (ignored) {
    // not a SyncError: the status alone speaks
  }
  const code = error && CODE.test(error.code) ? error.code : `http_${status}`;
  const message = error && error.message ? String(error.message).slice(0, 300) : `The server answered ${status}.`;
  const transient = status === 429 || status >= 500;
  const out = transient ? transientError(code, message) : new DeviceError(code, message);
  out.status = status;
  out.lastBatchSeq = error ? Number(error.lastBatchSeq) : 0;
  return out;
}

/* POST body (or GET without one) to path; the 200 reply's bytes. */
export async function exchange(path, body, maxBytes) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    let response;
    try {
      response = await fetch(syncUrl(path), {
        method: body ? 'POST' : 'GET',
        headers: body ? { 'Content-Type': 'application/x-protobuf' } : {},
        body: body || undefined,
        credentials: 'omit',
        cache: 'no-store',
        signal: abort.signal,
      });
    } catch (error) {
      throw transientError('offline', 'The server could not be reached.');
    }
    let bytes;
    try {
      bytes = await readCapped(response, response.ok ? maxBytes : MAX_ERROR_BYTES);
    } catch (error) {
      if (error instanceof DeviceError && response.ok) throw error;
      if (!(error instanceof DeviceError)) throw transientError('offline', 'The connection broke during the reply.');
      bytes = new Uint8Array(0);
    }
    if (response.status !== 200) throw refusal(response.status, bytes);
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}
