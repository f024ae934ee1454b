/*
 * tech-job.js: the job screen of the technician's app (tech.html): the
 * customer (call, open the address in a maps app), the visit's window in
 * the job's zone, the fault, the unit and what the warranty rule expects,
 * the parts reserved, the quote if there is one, what this phone recorded
 * with where each stands (waiting, uploaded, refused with why), the job's
 * history from the server, and the actions the job's state takes, the
 * first ones in the dock at the bottom.  On the way and Arrived record
 * with one tap; the others open their form.
 */

import { h, card, facts, button, top, quoteView } from './tech-ui-kit.js';
import {
  zoneOf, currencyOf, dayIn, dayLabel, windowText, dateTimeIn, duration, statusLabel, priorityLabel,
  kindLabel, partStateLabel, warrantyLabel, actionLabel, stateLabel, words,
} from './tech-format.js';
import { offered, predictStatus, quoteOf } from './tech-actions.js';
import { describe } from './tech-ui-history.js';

const sentence = (text) => (text ? text[0].toUpperCase() + text.slice(1) : '');

/* How many actions the dock holds; the rest go in a card. */
const DOCK_SIZE = 3;

/* A maps link: geo: with the coordinates when known, the address as the
 * query either way (phones open their maps app with it). */
export function mapsLink(customer) {
  const q = encodeURIComponent(customer.address || '');
  const known = customer.lat || customer.lon;
  return known ? `geo:${customer.lat},${customer.lon}?q=${q}` : `geo:0,0?q=${q}`;
}

function customerCard(job) {
  const c = job.customer || {};
  return card('Customer',
    c.address ? h('p', { class: 'address', text: c.address }) : null,
    h('p', { class: 'action-grid' },
      c.phone ? h('a', { href: `tel:${c.phone.replace(/[^\d+]/g, '')}`, class: 'button secondary', id: 'call' }, `Call ${c.phone}`) : null,
      c.address ? h('a', { href: mapsLink(c), class: 'button secondary', id: 'directions' }, 'Directions') : null));
}

function visitCard(job) {
  const zone = zoneOf(job);
  const day = job.windowStart ? dayLabel(dayIn(zone, job.windowStart), dayIn(zone, Date.now())) : '';
  return card('Visit', facts([
    ['Window', job.windowStart ? `${day}, ${windowText(job)}` : windowText(job)],
    ['Time zone', zone],
    ['Time needed', job.durationMinutes ? duration(job.durationMinutes) : ''],
    ['Kind', kindLabel(job.kind)],
    ['Priority', job.priority ? priorityLabel(job.priority) : ''],
    ['Fault', job.fault],
  ]));
}

/* The unit and what the warranty rule expects of it (also the warranty
 * screen's). */
export function unitCard(job) {
  const a = job.asset || {};
  const expected = job.expectedWarranty
    ? h('span', { id: 'expected-warranty', class: 'stack-text' }, h('strong', { text: warrantyLabel(job.expectedWarranty) }),
      job.expectedWarrantyReason ? h('span', { text: sentence(job.expectedWarrantyReason) }) : null)
    : '';
  return card('Unit', facts([
    ['Model', a.model],
    ['Serial', a.serial],
    ['Bought', a.purchaseDate || 'Not known'],
    ['Warranty', a.warrantyMonths ? `${a.warrantyMonths} months` : 'None'],
    ['Expected', expected],
    ['Decided', job.warranty ? warrantyLabel(job.warranty) : ''],
  ]));
}

function partsCard(job) {
  const parts = job.parts || [];
  if (!parts.length) return null;
  return card('Parts reserved', h('ul', { class: 'plain', id: 'parts-reserved' }, parts.map((p) =>
    h('li', { dataset: { partId: p.partId } },
      h('strong', { text: `${p.quantity} × ${p.name || p.sku}` }), ` ${p.sku} · ${partStateLabel(p.state)}`))));
}

/* The quote; a link to the customer's quote page, when the snapshot has
 * one, opens it (online only); the customer may also answer on this
 * phone (the action "Customer's answer", tech-ui-answer.js). */
function quoteCard(job, actions, online) {
  const q = quoteOf(job, actions);
  if (!q) return null;
  const open = q.link
    ? button('Customer approves on this phone', () => window.open(q.link, '_blank', 'noopener'),
      { kind: 'secondary', id: 'quote-open', disabled: !online })
    : null;
  return card('Quote', quoteView(q, currencyOf(job), zoneOf(job)), open,
    q.link && !online ? h('p', { class: 'hint', text: 'The quote page needs the network: connect first.' }) : null);
}

/* What this phone recorded on the job, newest first, with its state. */
function mineCard(job, actions, problems) {
  if (!actions.length) return null;
  const why = new Map(problems.map((p) => [p.mutationId, p.explanation]));
  const zone = zoneOf(job);
  return card('Recorded on this phone', h('ol', { class: 'history', id: 'my-actions' }, [...actions].reverse().map((a) =>
    h('li', { dataset: { kind: a.kind, state: a.state, mutationId: a.mutationId } },
      h('span', { class: 'when', text: dateTimeIn(zone, a.deviceTime) }),
      h('strong', { text: actionLabel(a.kind) }),
      h('span', { class: 'what', text: describe(a, job) }),
      h('span', { class: `badge state-${a.state}`, text: stateLabel(a.state) }),
      a.state === 'REJECTED' || a.state === 'CONFLICT'
        ? h('span', { class: 'explanation', text: why.get(a.mutationId) || a.message || words(a.code) }) : null))));
}

function historyCard(job) {
  const history = job.history || [];
  if (!history.length) return null;
  const zone = zoneOf(job);
  return card('History', h('ol', { class: 'history', id: 'history' }, [...history].reverse().map((e) =>
    h('li', null,
      h('span', { class: 'when', text: dateTimeIn(zone, e.at) }),
      h('strong', { text: sentence(words(e.kind)) }),
      e.text ? h('span', { class: 'what', text: e.text }) : null,
      e.by ? h('span', { class: 'by', text: e.by }) : null))));
}

/* The button of an offered action: one tap records enRoute and arrive. */
function actionButton(ctx, { kind, route }, primary) {
  const { job } = ctx;
  const onclick = route
    ? () => ctx.go(`/job/${job.id}/${route}`)
    : async (event) => {
      event.currentTarget.disabled = true;
      await ctx.record(kind, {});
    };
  return button(actionLabel(kind), onclick, { kind: primary ? 'primary' : 'secondary', id: `do-${kind}` });
}

export async function renderJob(ctx) {
  const { job, actions, problems } = ctx;
  const status = predictStatus(job, actions);
  const actionsOffered = offered(job, actions);
  const buttons = actionsOffered.map((a, i) => actionButton(ctx, a, i === 0 && a.kind !== 'note'));
  const online = navigator.onLine;
  const body = [
    ...top((job.customer && job.customer.name) || `Job ${job.id}`, {
      back: '#/', backText: '‹ Jobs',
      sub: [`Job ${job.id} · `,
        h('span', { id: 'job-status', class: `badge status-${status}`, dataset: { status }, text: statusLabel(status) }),
        status !== job.status ? h('span', { class: 'hint', text: ' (waiting to upload)' }) : null],
    }),
    customerCard(job), visitCard(job), unitCard(job), partsCard(job), quoteCard(job, actions, online),
    buttons.length > DOCK_SIZE ? card('More actions', h('div', { class: 'action-grid' }, buttons.slice(DOCK_SIZE))) : null,
    mineCard(job, actions, problems), historyCard(job),
  ];
  return { title: `Job ${job.id}`, body, dock: buttons.slice(0, DOCK_SIZE) };
}
