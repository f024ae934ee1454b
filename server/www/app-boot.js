/*
 * app-boot.js: what the dispatcher app asks the server before anything
 * else, and how it reads its routes.  app.html loads this module with
 * `async`, so it runs as soon as it arrives - before the rest of the app
 * is fetched and compiled - and starts GET /api/v1/me and, on a board
 * route, that day's GET /api/v1/board at once.  app.js imports the same
 * module instance and picks both answers up.
 *
 * Routes: #/board, #/board/YYYY-MM-DD, #/technicians, #/reports; any
 * other "#/..." is parsed as it is, anything else is the board.
 */

import { api } from './app-api.js';

const ROUTE = /^#\/([a-z]+)(?:\/([^/]*))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/* {name, date}: date is a valid YYYY-MM-DD or null (the server's today). */
export function parseRoute(hash) {
  const match = ROUTE.exec(hash || '');
  if (!match) return { name: 'board', date: null };
  const date = DATE.test(match[2] || '') && !Number.isNaN(Date.parse(match[2])) ? match[2] : null;
  return { name: match[1], date };
}

export const boardPath = (date) => `/api/v1/board${date ? `?date=${encodeURIComponent(date)}` : ''}`;

/* A promise that never rejects unhandled: the caller awaits it when it wants the answer. */
function early(path) {
  const promise = api.get(path);
  promise.catch(() => {});
  return promise;
}

const first = parseRoute(window.location.hash);

/* The server says when the browser sent no session cookie: nobody is
 * signed in, and asking the API would only be answered 401. */
const signedOut = document.documentElement.dataset.session === 'none';

/* GET /api/v1/me, started at load; a 401 at once when nobody can be signed in. */
export const me = signedOut
  ? Promise.reject(Object.assign(new Error('not signed in'), { status: 401 }))
  : early('/api/v1/me');
me.catch(() => {});

/* {date, promise} of the board route's day at load, or null; taken once. */
let board = first.name === 'board' && !signedOut
  ? { date: first.date, promise: early(boardPath(first.date)) } : null;

export function takeEarlyBoard(date) {
  const found = board && board.date === date ? board.promise : null;
  board = null;
  return found;
}

/* Forget the early board (nobody is signed in, or another day is wanted). */
export function dropEarlyBoard() {
  board = null;
}
