/*
 * app-login.js: the two views of the dispatcher app before the board:
 * the login form (#login-form, POST /api/v1/login) and, for an account
 * with a one-time password, the form that sets a new one
 * (#password-form, POST /api/v1/me/password).  Each hands the session
 * reply (or nothing) to the callback the app gives; errors are shown
 * beside the form in plain words (wrong password, too many attempts with
 * the wait, password too short or reused).
 */

import { byId } from './app-dom.js';

const MIN_PASSWORD = 12;

let afterLogin = null;
let afterChange = null;
let wired = false;

function showError(id, message) {
  const el = byId(id);
  el.textContent = message || '';
  el.hidden = !message;
}

function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
}

async function submitLogin(api, event) {
  event.preventDefault();
  const username = byId('login-username').value.trim();
  const password = byId('login-password').value;
  if (!username || !password) {
    showError('login-error', 'Enter your username and password.');
    byId(username ? 'login-password' : 'login-username').focus();
    return;
  }
  const button = byId('login-submit');
  busy(button, true);
  showError('login-error', '');
  try {
    const reply = await api.post('/api/v1/login', { username, password });
    byId('login-password').value = '';
    afterLogin(reply);
  } catch (e) {
    showError('login-error', e.code === 'invalid_credentials' ? 'Wrong username or password.' : e.message);
    byId('login-password').select();
    byId('login-password').focus();
  } finally {
    busy(button, false);
  }
}

async function submitPassword(api, event) {
  event.preventDefault();
  const current = byId('password-current').value;
  const next = byId('password-new').value;
  const repeat = byId('password-repeat').value;
  let problem = '';
  let field = null;
  if (!current) [problem, field] = ['Enter your current password.', 'password-current'];
  else if (next.length < MIN_PASSWORD) [problem, field] = [`The new password needs at least ${MIN_PASSWORD} characters.`, 'password-new'];
  else if (next !== repeat) [problem, field] = ['The two new passwords differ.', 'password-repeat'];
  if (problem) {
    showError('password-error', problem);
    byId(field).focus();
    return;
  }
  const button = byId('password-submit');
  busy(button, true);
  showError('password-error', '');
  try {
    await api.post('/api/v1/me/password', { current_password: current, new_password: next });
    for (const id of ['password-current', 'password-new', 'password-repeat']) byId(id).value = '';
    afterChange();
  } catch (e) {
    const wrong = e.code === 'invalid_credentials';
    showError('password-error', wrong ? 'The current password is wrong.' : e.message);
    byId(wrong ? 'password-current' : 'password-new').focus();
  } finally {
    busy(button, false);
  }
}

function wire(api) {
  if (wired) return;
  wired = true;
  byId('login-form').addEventListener('submit', (e) => submitLogin(api, e));
  byId('password-form').addEventListener('submit', (e) => submitPassword(api, e));
}

/* Show the login form; onLoggedIn(reply) gets the login's reply. */
export function showLogin(api, message, onLoggedIn) {
  wire(api);
  afterLogin = onLoggedIn;
  showError('login-error', message);
  byId('login-view').hidden = false;
  byId('password-view').hidden = true;
  const name = byId('login-username');
  (name.value ? byId('login-password') : name).focus();
}

/* Show the new-password form; onChanged() once the password is changed. */
export function showPasswordChange(api, onChanged) {
  wire(api);
  afterChange = onChanged;
  showError('password-error', '');
  byId('login-view').hidden = true;
  byId('password-view').hidden = false;
  byId('password-current').focus();
}

export function hideAuth() {
  byId('login-view').hidden = true;
  byId('password-view').hidden = true;
}
