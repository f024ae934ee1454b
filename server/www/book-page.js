/*
 * book-page.js: the page-wide parts of fsd's customer page (book.html),
 * shared by the booking and the quote views: DOM helpers, switching
 * between the section[data-view] views, the status line, running one
 * request-making action at a time, showing errors and notices, the page
 * title, and the job summary with the name of the company doing the job.
 */

import { ApiError, ERROR_TEXT } from './book-api.js';
import { formatDuration } from './book-format.js';

const KIND_WORDS = {
  repair: 'Repair',
  install: 'Installation',
  maintenance: 'Maintenance',
  inspection: 'Inspection',
};

const INVALID_LINK_HEADING = 'This link does not work';

const state = {
  busy: false,
  view: 'loading',
};

/* ---------- DOM helpers ---------- */

export function byId(id) {
  return document.getElementById(id);
}

export function setText(id, text) {
  byId(id).textContent = text;
}

export function element(tag, { text, className } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  node.append(...children);
  return node;
}

/* ---------- Views and the status line ---------- */

/* Shows the one view named, and moves focus to its heading after a customer's action. */
export function showView(name, { focus = false } = {}) {
  for (const view of document.querySelectorAll('section[data-view]')) view.hidden = view.id !== name;
  state.view = name;
  if (focus) byId(name).querySelector('h2')?.focus();
}

export function currentView() {
  return state.view;
}

export function announce(text, tone = 'info') {
  const status = byId('status');
  status.textContent = text;
  status.classList.toggle('is-error', tone === 'error');
}

export function showNotice(heading, text, { focus = false } = {}) {
  setText('notice-heading', heading);
  setText('notice-text', text);
  showView('notice', { focus });
}

export function showInvalidLink(message) {
  byId('job').hidden = true;
  document.title = INVALID_LINK_HEADING;
  showNotice(INVALID_LINK_HEADING, message, { focus: state.view !== 'loading' });
}

export function setPageTitle(title) {
  setText('page-title', title);
  document.title = title;
}

/* ---------- Actions ---------- */

function setBusy(busy) {
  state.busy = busy;
  for (const button of document.querySelectorAll('button')) button.disabled = busy;
}

/* Disabling a button can drop keyboard focus: give it back when nothing else took it. */
function restoreFocus(previous) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (lost && previous && previous.isConnected && !previous.closest('[hidden]')) previous.focus();
}

/*
 * Runs one request-making action: one at a time, buttons disabled while it
 * runs, errors shown to the customer.  Resolves to true when it succeeded.
 */
export async function runAction(work) {
  if (state.busy) return false;
  const focused = document.activeElement;
  setBusy(true);
  announce('');
  try {
    await work();
    return true;
  } catch (error) {
    showError(error);
    return false;
  } finally {
    setBusy(false);
    restoreFocus(focused);
  }
}

function showError(error) {
  if (!(error instanceof ApiError)) announce(ERROR_TEXT.server, 'error');
  else if (error.status === 404) showInvalidLink(error.message);
  else announce(error.message, 'error');
}

/* ---------- The job summary ---------- */

/* Fills a fact of the job summary and hides its row when there is nothing to say. */
function setFact(id, text) {
  setText(id, text || '');
  byId(id).parentElement.hidden = !text;
}

export function renderJob(job) {
  setText('company', job.company || '');
  byId('company').hidden = !job.company;
  const contact = [job.company_phone, job.company_email].filter(Boolean).join(' · ');
  setText('company-contact', contact ? `Questions? ${contact}` : '');
  byId('company-contact').hidden = !contact;
  setFact('job-kind', `${KIND_WORDS[job.kind] || 'Service'} visit`);
  setFact('job-fault', job.fault);
  setFact('job-duration', formatDuration(job.duration_minutes));
  setFact('job-customer', job.customer_name);
  byId('job').hidden = false;
}
