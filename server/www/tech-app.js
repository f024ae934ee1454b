/*
 * tech-app.js: the entry point of the technician's app (tech.html),
 * loaded as an ES module after the libraries.
 *
 * It registers the service worker (tech-sw.js, so the app opens with no
 * network), waits for the libraries, loads the enrolled device (the
 * protocol engine, tech-device.js) or shows the enrollment, keeps the
 * status bar current, and shows the screen the address names:
 *   #enroll=CODE          enroll this phone (the dispatcher's QR code)
 *   #/                    the jobs held, today's in route order
 *   #/job/ID              a job and what may be recorded on it
 *   #/job/ID/FORM         note, parts, warranty, quote, answer (the
 *                         customer's to the quote), outcome, signoff
 *   #/problems            what the server refused or flagged
 * Screens are modules exporting render(ctx) → {title, body, dock}; this
 * file gives them ctx (the device, the job with its actions, record(),
 * go(), done()) and repaints the lists when the device changes.  Every
 * action is recorded on the phone first (device.record) and uploads with
 * the next sync.
 */

import { libs } from './tech-libs.js';
import { loadDevice, wasRevoked } from './tech-device.js';
import { byId, fill, h, top } from './tech-ui-kit.js';
import { toast } from './app-toast.js';
import { errorText } from './tech-format.js';
import { paintStatus, wireStatus } from './tech-ui-status.js';
import { renderEnroll, enrollCode } from './tech-enroll.js';
import { renderJobs } from './tech-jobs.js';
import { renderJob } from './tech-job.js';
import { renderNote } from './tech-ui-note.js';
import { renderParts } from './tech-parts.js';
import { renderWarranty } from './tech-ui-warranty.js';
import { renderQuote } from './tech-ui-quote.js';
import { renderAnswer } from './tech-ui-answer.js';
import { renderOutcome } from './tech-ui-outcome.js';
import { renderSignoff } from './tech-signoff.js';
import { renderProblems } from './tech-ui-problems.js';

/* Screens by the address's first word; job screens by their last. */
const JOB_FORMS = {
  '': renderJob, note: renderNote, parts: renderParts, warranty: renderWarranty,
  quote: renderQuote, answer: renderAnswer, outcome: renderOutcome, signoff: renderSignoff,
};
/* Screens repainted when the device's data changes (forms are not: the
 * technician is typing into them). */
const LIVE = new Set(['jobs', 'job', 'problems']);

const app = {
  device: null,   /* the enrolled Device, null before enrollment */
  stack: [],      /* routes visited in this page, to go back to the job */
  shown: null,    /* the address whose screen is on show */
  unsubscribe: null, /* from the device's changes */
  revoked: false, /* the dispatcher removed this phone */
  painting: null, /* the repaint in progress, so changes coalesce */
  again: false,
};

function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/tech/sw.js', { scope: '/tech' }).catch((e) => {
    console.warn('the offline copy of the app could not be set up:', e.message);
  });
}

function parseRoute(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'job' && /^\d+$/.test(parts[1] || '') && (parts[2] || '') in JOB_FORMS)
    return { name: parts[2] ? 'form' : 'job', id: Number(parts[1]), form: parts[2] || '' };
  if (parts[0] === 'problems') return { name: 'problems' };
  return { name: 'jobs' };
}

/* Go to route ("/job/3"); replace: instead of the current entry. */
function go(route, { replace = false } = {}) {
  if (replace) location.replace(`#${route}`);
  else location.hash = route;
}

/* After a form: back to its job, by going back when the job is the page
 * before (so the phone's back button does not return to the form). */
function done(jobId) {
  const to = `#/job/${jobId}`;
  if (app.stack.length >= 2 && app.stack[app.stack.length - 2] === to) history.back();
  else go(`/job/${jobId}`, { replace: true });
}

function remember(hash) {
  const at = app.stack.lastIndexOf(hash);
  if (at >= 0 && at === app.stack.length - 2) app.stack.pop();
  else if (app.stack[app.stack.length - 1] !== hash) app.stack.push(hash);
}

/* Start a sync when the phone is online and none is running; the status
 * bar shows how it went. */
async function kick() {
  const device = app.device;
  if (!device || !navigator.onLine) return;
  try {
    if (!(await device.status()).syncing) await device.sync();
  } catch { /* the status bar says it */ }
}

async function record(job, kind, body) {
  const id = await app.device.record(job.id, kind, body);
  byId('toast').replaceChildren(); /* one at a time: the last action's */
  toast(navigator.onLine ? 'Saved. Uploading…' : 'Saved on this phone: it uploads once online.', 'ok');
  kick();
  return id;
}

/* What a job screen needs: the job, its actions and the problems. */
async function jobContext(id) {
  const device = app.device;
  const [job, actions, problems] = await Promise.all([device.job(id), device.actions(id), device.problems()]);
  return {
    job, actions, problems,
    record: (kind, body) => record(job, kind, body),
    done: () => done(id),
  };
}

function show(screen, { focus }) {
  document.title = screen.title ? `${screen.title} · fsd technician` : 'fsd technician';
  const scroll = focus ? 0 : window.scrollY;
  fill(byId('screen'), screen.body);
  const dock = byId('dock');
  fill(dock, screen.dock || []);
  dock.hidden = !(screen.dock && screen.dock.length);
  document.body.classList.toggle('has-dock', !dock.hidden);
  byId('starting').hidden = true;
  if (focus) {
    window.scrollTo(0, 0);
    const heading = byId('screen').querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
  } else {
    window.scrollTo(0, scroll);
  }
}

async function renderRoute(route) {
  const ctx = { device: app.device, go };
  if (route.name === 'jobs') return renderJobs(ctx);
  if (route.name === 'problems') return renderProblems(ctx);
  const job = await jobContext(route.id);
  if (!job.job) return missingJob(route.id);
  return JOB_FORMS[route.form]({ ...ctx, ...job });
}

function missingJob(id) {
  return {
    title: 'Job not on this phone',
    body: [...top(`Job ${id} is not on this phone`),
      h('p', { text: 'It was moved to another technician, closed or cancelled, or this phone has not synced it yet.' }),
      h('p', null, h('a', { href: '#/', class: 'button primary', text: 'Back to the jobs' }))],
  };
}

/* Show the screen of the address; live: a repaint after a change. */
async function paint({ live = false } = {}) {
  if (!app.device) return;
  const hash = location.hash;
  const route = parseRoute(hash);
  /* a change repaints a screen of data, once it is on screen */
  if (live && (!LIVE.has(route.name) || app.shown !== hash)) return;
  try {
    const screen = await renderRoute(route);
    if (location.hash !== hash) return; /* moved on meanwhile: that paint shows */
    app.shown = hash;
    show(screen, { focus: !live });
  } catch (e) {
    console.error(e);
    show({ title: 'Problem', body: [...top('This screen could not be shown'), h('p', { text: errorText(e) })] }, { focus: true });
  }
}

/* Repaint once per burst of changes; a device the dispatcher removed
 * goes back to the enrollment. */
async function changed() {
  if (app.revoked) return;
  const status = await paintStatus(app.device);
  if (status && status.revoked) {
    app.revoked = true;
    return showEnroll('revoked');
  }
  if (app.painting) {
    app.again = true;
    return;
  }
  app.painting = paint({ live: true });
  await app.painting;
  app.painting = null;
  if (app.again) {
    app.again = false;
    changed();
  }
}

/* The enrolled device from now on. */
function adopt(device) {
  if (app.unsubscribe) app.unsubscribe();
  app.device = device;
  app.unsubscribe = device.onChange(changed);
  device.startAutoSync();
  paintStatus(device);
}

async function showEnroll(reason) {
  const code = enrollCode(location.hash);
  show(renderEnroll({
    code, reason, previous: app.device,
    enrolled: async (device) => {
      app.revoked = false;
      adopt(device);
      history.replaceState(null, '', `${location.pathname}#/`);
      app.stack = ['#/'];
      await paint();
    },
  }), { focus: true });
  paintStatus(reason === 'enrolled' ? app.device : null);
}

async function onHashChange() {
  if (enrollCode(location.hash)) return showEnroll(app.revoked ? 'revoked' : app.device ? 'enrolled' : '');
  if (!app.device || app.revoked) return;
  remember(location.hash || '#/');
  await paint();
}

async function main() {
  registerWorker();
  wireStatus(() => app.device, kick);
  try {
    await libs();
    const device = await loadDevice();
    app.revoked = !device && await wasRevoked();
    if (!device || enrollCode(location.hash)) {
      if (device) adopt(device);
      await showEnroll(app.revoked ? 'revoked' : device ? 'enrolled' : '');
    } else {
      adopt(device);
      remember(location.hash || '#/');
      await paint();
    }
  } catch (e) {
    console.error(e);
    fill(byId('screen'), top('The app could not start'), h('p', { text: errorText(e) }));
    byId('starting').hidden = true;
  }
  window.addEventListener('hashchange', onHashChange);
  window.addEventListener('online', () => paintStatus(app.device));
  window.addEventListener('offline', () => paintStatus(app.device));
}

main();
