/*
 * app-api.js: the staff JSON API as the dispatcher app (app.html) uses it.
 *
 * One fetch wrapper for every request: JSON in and out, the session cookie
 * sent same-origin, and the CSRF token (from login or GET /api/v1/me) in
 * X-CSRF-Token on every request that is not a GET.  A failed answer
 * becomes an ApiError {status, code, message, field} whose message is the
 * server's, written as a sentence.  A 401 on anything but the login itself
 * means the session ended: the handler set with onSessionEnd is called.
 *
 * The token is a credential: it is kept in this module only, never stored
 * or logged.
 */

const NETWORK_MESSAGE = 'The server could not be reached. Check the connection and try again.';
const SERVER_MESSAGE = 'Something went wrong on the server. Try again in a moment.';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

let csrfToken = null;
let sessionEndHandler = null;

/* Keep the token of a login or /me reply; null forgets it. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/* Called (once per 401) when the session is found to have ended. */
export function onSessionEnd(handler) {
  sessionEndHandler = handler;
}

/* The server's messages start in lower case and have no full stop. */
function asSentence(text) {
  const trimmed = String(text || '').trim();
  if (!trimmed) return SERVER_MESSAGE;
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function waitAdvice(retryAfter) {
  const seconds = Number.parseInt(retryAfter || '', 10);
  if (!(seconds > 0)) return 'Wait a moment before trying again.';
  if (seconds <= 90) return `Try again in ${seconds} seconds.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

function errorFrom(response, data) {
  const error = (data && data.error) || {};
  let message = error.message ? asSentence(error.message) : SERVER_MESSAGE;
  if (response.status === 429) message += ` ${waitAdvice(response.headers.get('Retry-After'))}`;
  return new ApiError(response.status, error.code || 'http_' + response.status, message, error.field);
}

/* One request; resolves to the parsed JSON answer (null for 204). */
async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  const error = errorFrom(response, data);
  if (response.status === 401 && !path.endsWith('/login') && sessionEndHandler) sessionEndHandler(error);
  throw error;
}

/* The object handed to every view as ctx.api. */
export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body),
  patch: (path, body) => request('PATCH', path, body),
  del: (path) => request('DELETE', path),
};
