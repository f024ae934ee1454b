/*
 * book-api.js: the link and the public JSON API of fsd's customer page
 * (book.html).  Reads the page's mode and token from the path, makes the
 * requests and turns failed answers into ApiErrors with a message the
 * customer can read.
 *
 * The token is a credential: it only ever goes into request URLs (and the
 * calendar link).  Nothing here logs it, stores it or shows it.
 */

import { plural } from './book-format.js';

/* What the customer reads when a request fails without a message of its own. */
export const ERROR_TEXT = {
  invalidLink: 'This link is not valid: it may have expired. Please ask us for a new one.',
  network: 'We could not reach our server. Please check your connection and try again.',
  server: 'Something went wrong on our side. Please try again in a moment.',
};

/* ---------- The link ---------- */

const LINK_PATH = /^\/(book|quote)\/([A-Za-z0-9_-]{43})$/;

/* The page's mode and the URLs it talks to, or null for a malformed link. */
function readLink(pathname) {
  const match = LINK_PATH.exec(pathname);
  if (!match) return null;
  const [, mode, token] = match;
  const api = mode === 'book' ? '/api/v1/public/bookings/' : '/api/v1/public/quotes/';
  return { mode, api: api + token, calendar: `/book/${token}/appointment.ics` };
}

export const link = readLink(window.location.pathname);

/* ---------- Requests ---------- */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/* A 409: the page is out of date with the job. */
export function isConflict(error) {
  return error instanceof ApiError && error.status === 409;
}

/* GET path, or POST body as JSON when a body is given; resolves to the JSON answer. */
export async function request(path, body) {
  const init = {
    method: body === undefined ? 'GET' : 'POST',
    credentials: 'omit',
    cache: 'no-store',
    headers: { Accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', ERROR_TEXT.network);
  }
  const data = await response.json().catch(() => null);
  if (response.ok && data) return data;
  throw errorFromResponse(response, data);
}

/* ---------- Error messages ---------- */

function errorFromResponse(response, data) {
  const error = (data && data.error) || {};
  let message = error.message ? asSentence(error.message) : fallbackMessage(response.status);
  if (response.status === 429) message += ` ${waitAdvice(response.headers.get('Retry-After'))}`;
  return new ApiError(response.status, error.code || 'unknown', message);
}

function fallbackMessage(status) {
  return status === 404 ? ERROR_TEXT.invalidLink : ERROR_TEXT.server;
}

function waitAdvice(retryAfter) {
  const seconds = Number.parseInt(retryAfter || '', 10);
  if (!(seconds > 0)) return 'Please wait a moment before trying again.';
  if (seconds <= 60) return `Please try again in ${plural(seconds, 'second')}.`;
  return `Please try again in ${plural(Math.ceil(seconds / 60), 'minute')}.`;
}

/* The server's messages start in lower case and have no full stop. */
function asSentence(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return ERROR_TEXT.server;
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
