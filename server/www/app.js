/*
 * app.js: the entry point of fsd's dispatcher app (app.html), loaded as
 * an ES module.  Decides between the login form and the app from
 * GET /api/v1/me (started by app-boot.js beside the day's board, so a
 * signed-in dispatcher waits for one round trip), shows the header and its
 * navigation, routes the hash to a view, and logs out.
 *
 * Routes (parsed in app-boot.js): #/board (the default;
 * #/board/YYYY-MM-DD for a day), #/technicians, #/reports (managers and
 * admins only).
 *
 * THE VIEW CONTRACT.  A view module exports
 *     mountX(container, ctx) → optional cleanup function
 * and is imported on first use: app-technicians.js exports
 * mountTechnicians, app-reports.js exports mountReports.  The view owns
 * container's children until its cleanup runs (on leaving the route or
 * logging out).  ctx is
 *     api       get(path), post(path, body), patch(path, body), del(path):
 *               parsed JSON (null for 204); a failed reply throws
 *               ApiError {status, code, message, field}, message being a
 *               sentence to show as is.  The CSRF header is added here.
 *     user      {id, username, role}; role is dispatcher, manager or admin
 *     navigate  (hash) → goes to that route, e.g. navigate('#/board/2026-11-24')
 *     toast     (message, tone) → a message in the live region #toast;
 *               tone 'ok', 'info' or 'error'
 * The board (app-board.js) follows the same shape with a show(date) for
 * day changes that keep it mounted.
 */

import { api, setCsrfToken, onSessionEnd } from './app-api.js';
import { byId } from './app-dom.js';
import { toast } from './app-toast.js';
import { setCurrency } from './app-format.js';
import { showLogin, showPasswordChange, hideAuth } from './app-login.js';
import { mountBoard } from './app-board.js';
import { me, parseRoute, takeEarlyBoard, dropEarlyBoard } from './app-boot.js';

const TITLES = {
  board: 'Board', intake: 'New request', technicians: 'Technicians', parts: 'Parts and stock', reports: 'Reports',
  settings: 'Settings',
};
const MANAGERS = new Set(['manager', 'admin']);

/* Views other than the board, loaded when first opened. */
const LAZY_VIEWS = {
  intake: async () => (await import('./app-intake.js')).mountIntake,
  parts: async () => (await import('./app-parts.js')).mountParts,
  settings: async () => (await import('./app-settings.js')).mountSettings,
  technicians: async () => (await import('./app-technicians.js')).mountTechnicians,
  reports: async () => (await import('./app-reports.js')).mountReports,
};

let phase = 'starting';     /* starting, login, password, app */
let user = null;
let view = null;            /* {name, cleanup, show} of the mounted view */
let routing = 0;

const ctx = {
  api,
  get user() { return user; },
  navigate(hash) {
    if (window.location.hash === hash) route();
    else window.location.hash = hash;
  },
  toast,
};

function setNav(name) {
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === `#/${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${TITLES[name] || 'fsd'} · fsd dispatch`;
}

function unmount() {
  if (view && view.cleanup) view.cleanup();
  view = null;
  byId('view').replaceChildren();
}

function message(text) {
  const p = document.createElement('p');
  p.className = 'view-message';
  p.textContent = text;
  byId('view').replaceChildren(p);
}

async function mountLazy(name) {
  const mine = ++routing;
  message('Loading…');
  try {
    const mount = await LAZY_VIEWS[name]();
    if (mine !== routing || phase !== 'app') return;
    byId('view').replaceChildren();
    const cleanup = mount(byId('view'), ctx);
    view = { name, cleanup: typeof cleanup === 'function' ? cleanup : null };
  } catch (e) {
    if (mine === routing) message(`This page could not be opened: ${e.message}`);
  }
}

function route() {
  if (phase !== 'app') return;
  const hash = window.location.hash;
  if (hash && !hash.startsWith('#/')) return;       /* an in-page link such as the skip link */
  const r = parseRoute(hash);
  if (!TITLES[r.name]) {
    window.location.replace('#/board');
    return;
  }
  setNav(r.name);
  if (view && view.name === r.name && view.show) {
    view.show(r.date);
    return;
  }
  const moved = view !== null;
  unmount();
  if (r.name === 'reports' && !MANAGERS.has(user.role)) {
    message('Reports are for managers and admins.');
  } else if (r.name === 'settings' && !MANAGERS.has(user.role)) {
    message('Settings are for managers and admins.');
  } else if (r.name === 'board') {
    routing++;
    const board = mountBoard(byId('view'), ctx, r.date, takeEarlyBoard(r.date));
    view = { name: 'board', cleanup: board.cleanup, show: board.show };
  } else {
    mountLazy(r.name);
  }
  if (moved) byId('main').focus({ preventScroll: true });
}

function showApp() {
  phase = 'app';
  hideAuth();
  byId('starting').hidden = true;
  byId('who').textContent = `${user.username} · ${user.role}`;
  byId('nav-reports').hidden = !MANAGERS.has(user.role);
  byId('nav-settings').hidden = !MANAGERS.has(user.role);
  byId('topbar').hidden = false;
  byId('view').hidden = false;
  route();
}

function leaveApp() {
  unmount();
  dropEarlyBoard();
  user = null;
  setCsrfToken(null);
  byId('topbar').hidden = true;
  byId('view').hidden = true;
  byId('starting').hidden = true;
}

function enter(reply) {
  setCsrfToken(reply.csrf_token);
  user = reply.user;
  if (user.must_change_password) {
    phase = 'password';
    byId('starting').hidden = true;
    showPasswordChange(api, () => {
      user = { ...user, must_change_password: false };
      toast('Password changed.', 'ok');
      showApp();
    });
    return;
  }
  showApp();
}

function toLogin(note) {
  leaveApp();
  phase = 'login';
  showLogin(api, note, enter);
}

async function logout() {
  try {
    await api.post('/api/v1/logout');
  } catch { /* the session is left either way */ }
  toLogin('');
  toast('You are logged out.', 'info');
}

async function start() {
  setCurrency(document.documentElement.dataset.currency); /* the company's, from the page */
  onSessionEnd(() => {
    if (phase === 'app' || phase === 'password') toLogin('Your session has ended. Sign in again to continue.');
  });
  byId('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  try {
    enter(await me);
  } catch (e) {
    dropEarlyBoard();
    phase = 'login';
    byId('starting').hidden = true;
    showLogin(api, e.status === 401 ? '' : e.message, enter);
  }
}

start();
