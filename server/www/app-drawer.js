/*
 * app-drawer.js: the job drawer (#drawer), opened by clicking a job or
 * pressing Enter on it.  Fetches everything about the job at once - the
 * job, its record, timeline and sync conflicts, then its customer, asset
 * and part names - and shows the sections of app-record.js.  Wires the
 * drawer's actions: assign, the next lifecycle steps (app-stage.js), the
 * payment of the invoice, part approval
 * (managers), the customer link with Copy, resolving sync conflicts.
 *
 * Not modal: the board stays usable beside it.  Escape or the close
 * button closes it and focus goes back to the job on the board.  A
 * refresh (the job changed) rebuilds the sections but keeps focus,
 * scroll position and a link just made.
 */

import { byId, h, fill, selectorOf } from './app-dom.js';
import {
  summarySection, customerSection, partsSection, quoteSection, visitsSection, signOffSection,
  conflictsSection, linkSection, timelineSection,
} from './app-record.js';
import { statusLabel } from './app-format.js';
import { stageSection, stageBody, invoiceSection } from './app-stage.js';

/* board: { api, user, toast, job(id), techName(id), reload(), openAssign(job), focusJob(id) } */
export function createDrawer(board) {
  const drawer = byId('drawer');
  const body = byId('drawer-body');
  const title = byId('drawer-title');
  const canApprove = board.user.role === 'manager' || board.user.role === 'admin';
  const partNames = new Map();
  let jobId = null;
  let job = null;
  let loads = 0;
  let link = null;     /* {jobId, url} of the link just made: shown once */

  const get = (path) => board.api.get(path);
  const optional = (path) => get(path).catch((e) => (e.status === 404 ? null : Promise.reject(e)));

  async function fetchAll(id) {
    const [j, record, timeline, conflicts] = await Promise.all([
      get(`/api/v1/jobs/${id}`), get(`/api/v1/jobs/${id}/record`), get(`/api/v1/jobs/${id}/timeline`),
      optional(`/api/v1/jobs/${id}/conflicts`),
    ]);
    const missing = [...new Set(j.parts.map((p) => p.part_id))].filter((p) => !partNames.has(p));
    const [customer, asset] = await Promise.all([
      optional(`/api/v1/customers/${j.customer_id}`),
      j.asset_id ? optional(`/api/v1/assets/${j.asset_id}`) : null,
      ...missing.map((p) => optional(`/api/v1/parts/${p}`).then((part) => partNames.set(p, part))),
    ]);
    return { job: j, record, timeline, conflicts, customer, asset };
  }

  /* "Job #12 · Huaxin Dental Clinic": the customer's name as fetched, else as on the board. */
  function setTitle(id, name) {
    const known = name || (board.job(id) && board.job(id).customer_name);
    title.textContent = `Job #${id}${known ? ` · ${known}` : ''}`;
  }

  function render(d) {
    job = d.job;
    const onBoard = board.job(job.id);
    setTitle(job.id, d.customer && d.customer.name);
    fill(body,
      summarySection(job, onBoard ? onBoard.sla_risk : null, board.techName),
      stageSection(job, board.user.role,
        [...d.record.quotes].reverse().find((q) => q.status !== 'superseded')),
      customerSection(d.customer, d.asset, d.record.warranty),
      partsSection(job.parts, partNames, canApprove),
      quoteSection(d.record.quotes),
      visitsSection(d.record.visits, board.techName),
      signOffSection(d.record.sign_offs, job.id),
      invoiceSection(d.record.invoice, job.id, d.customer && d.customer.name),
      conflictsSection(d.conflicts ? d.conflicts.items : null, board.techName),
      linkSection(),
      timelineSection(d.timeline.items, board.techName));
    if (link && link.jobId === job.id) showLink(link.url);
    drawer.dataset.job = job.id;
  }

  async function load(keepFocus) {
    const id = jobId;
    const load = ++loads;
    const focused = keepFocus && drawer.contains(document.activeElement) ? selectorOf(document.activeElement) : null;
    const scroll = body.scrollTop;
    drawer.setAttribute('aria-busy', 'true');
    try {
      const data = await fetchAll(id);
      if (load !== loads || id !== jobId) return;
      render(data);
      body.scrollTop = scroll;
      const again = focused && drawer.querySelector(focused);
      if (again) again.focus({ preventScroll: true });
      else if (focused) title.focus({ preventScroll: true });
    } catch (e) {
      if (load !== loads) return;
      fill(body, h('p', { class: 'form-error' }, e.message),
        h('button', { type: 'button', class: 'button', id: 'drawer-retry' }, 'Try again'));
    } finally {
      if (load === loads) drawer.removeAttribute('aria-busy');
    }
  }

  function open(id) {
    if (jobId === id && !drawer.hidden) {
      title.focus();
      return;
    }
    jobId = id;
    job = null;
    link = null;
    setTitle(id, null);
    fill(body, h('p', { class: 'muted' }, 'Loading the job…'));
    drawer.hidden = false;
    document.body.classList.add('drawer-open');
    title.focus();
    load(false);
  }

  function close() {
    if (drawer.hidden) return;
    const id = jobId;
    drawer.hidden = true;
    document.body.classList.remove('drawer-open');
    delete drawer.dataset.job;
    jobId = null;
    job = null;
    loads++;
    board.focusJob(id);
  }

  /* ---------- Actions ---------- */

  /* Run an action's request; done is the message for its result (a string or result → string). */
  async function act(button, work, done) {
    button.disabled = true;
    try {
      const result = await work();
      board.toast(typeof done === 'function' ? done(result) : done, 'ok');
      board.reload();
      await load(true);
    } catch (e) {
      board.toast(e.message, 'error');
      button.disabled = false;
    }
  }

  function showLink(url) {
    const out = byId('link-out');
    if (!out) return;
    byId('link-url').value = url;
    out.hidden = false;
  }

  async function makeLink(button) {
    const purpose = byId('link-purpose').value;
    button.disabled = true;
    try {
      const reply = await board.api.post(`/api/v1/jobs/${job.id}/booking-link`, { purpose });
      link = { jobId: job.id, url: new URL(reply.url, window.location.origin).href };
      showLink(link.url);
      byId('link-note').textContent = `Expires ${new Date(reply.expires_at).toLocaleString()}. Shown once: copy it now.`;
      byId('link-url').select();
      byId('link-url').focus();
    } catch (e) {
      board.toast(e.message, 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function copyLink() {
    const input = byId('link-url');
    try {
      await navigator.clipboard.writeText(input.value);
      board.toast('Link copied.', 'ok');
    } catch {
      input.select();
      board.toast('Copying was refused by the browser: the link is selected, press Ctrl+C.', 'info');
    }
  }

  const ACTIONS = [
    ['#drawer-close', () => close()],
    ['#drawer-retry', () => load(false)],
    ['.drawer-assign', () => board.openAssign(board.job(job.id) || { ...job, customer_name: '' })],
    ['.approve-part', (b) => act(b, () => board.api.post(`/api/v1/jobs/${job.id}/parts/${b.dataset.line}/approve`),
      'Part approved.')],
    ['#make-link', (b) => makeLink(b)],
    ['.print-invoice', () => window.print()],
    ['#copy-link', () => copyLink()],
    ['.resolve', (b) => {
      const note = b.parentElement.querySelector('.resolve-note').value.trim();
      return act(b, () => board.api.post(`/api/v1/sync-conflicts/${b.dataset.conflict}/resolve`,
        note ? { note } : {}), 'Conflict resolved.');
    }],
  ];

  drawer.addEventListener('click', (event) => {
    for (const [selector, run] of ACTIONS) {
      const button = event.target.closest(selector);
      if (button && drawer.contains(button)) {
        run(button);
        return;
      }
    }
  });
  /* a next step's form, or the payment's: one request each */
  drawer.addEventListener('submit', (event) => {
    const form = event.target;
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    if (form.classList.contains('stage-step')) {
      act(button, () => board.api.post(`/api/v1/jobs/${job.id}/events`, stageBody(form, job.version)),
        (j) => `Job #${j.id} is now ${statusLabel(j.status).toLowerCase()}.`);
    } else if (form.classList.contains('stage-pay')) {
      const reference = new FormData(form).get('reference');
      act(button, () => board.api.post(`/api/v1/jobs/${job.id}/invoice/payment`, reference ? { reference } : {}),
        'Payment recorded.');
    }
  });
  drawer.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  return {
    open,
    close,
    isOpen: () => jobId !== null,
    jobId: () => jobId,
    refresh: () => (jobId !== null ? load(true) : null),
  };
}
