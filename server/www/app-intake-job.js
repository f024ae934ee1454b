/*
 * app-intake-job.js: the job form of a new request (app-intake.js) and
 * its booking.  Kind, fault, priority with the service level it implies
 * (the SLA policies), duration, the skill needed (suggested from earlier
 * jobs on the same model of unit) and a part from the catalogue with its
 * free warehouse stock shown.  Once created, the job is
 * booked on the phone from its slots (the customer's acceptance of the
 * call-out fee ticked when the server asks for it) or its booking link is
 * made for the customer.
 */

import { h, fill } from './app-dom.js';
import { duration, dateTime, time, plural } from './app-format.js';

const KINDS = [['repair', 'Repair'], ['maintenance', 'Maintenance'], ['install', 'Installation'], ['inspection', 'Inspection']];

const when = (start, end) => `${dateTime(start)}–${time(end)}`;

const field = (label, control) => h('label', { class: 'field' }, h('span', null, label), control);

/* Free warehouse stock of a part: quantity minus what is reserved. */
function freeStock(part) {
  const w = (part.stock || []).find((s) => s.location === 'warehouse');
  return w ? w.quantity - (w.reserved || 0) : 0;
}

function slaWords(p) {
  return `P${p.id}: respond within ${duration(p.respond_minutes)}, on site within ${duration(p.on_site_minutes)}`;
}

async function catalogue(api) {
  const [skills, parts, sla] = await Promise.all([
    api.get('/api/v1/skills?limit=200'), api.get('/api/v1/parts?limit=200'), api.get('/api/v1/sla-policies?limit=10')]);
  return { skills: skills.items, parts: parts.items, sla: sla.items };
}

function form(cat) {
  return h('form', { class: 'intake-job', id: 'intake-job' },
    h('h3', null, 'The job'),
    field('Kind', h('select', { name: 'kind' }, KINDS.map(([v, t]) => h('option', { value: v }, t)))),
    field('Fault', h('textarea', { name: 'fault', rows: '3', maxlength: '2000', required: true })),
    field('Priority', h('select', { name: 'priority' },
      cat.sla.map((p) => h('option', { value: p.id, selected: p.id === 3 }, slaWords(p))))),
    field('Duration (minutes)', h('input', { name: 'duration_minutes', type: 'number', min: '15', max: '720', value: '60' })),
    field('Skill needed', h('select', { name: 'skill' }, h('option', { value: '' }, 'None'),
      cat.skills.map((s) => h('option', { value: s.code }, s.name)))),
    h('p', { class: 'muted', id: 'intake-suggested' }),
    field('Level at least', h('input', { name: 'level', type: 'number', min: '1', max: '5', value: '1' })),
    field('Part', h('select', { name: 'part_id' }, h('option', { value: '' }, 'No part'),
      cat.parts.map((p) => h('option', { value: p.id },
        `${p.sku} · ${p.name} (${freeStock(p) > 0 ? `${freeStock(p)} in stock` : 'none in stock'})`)))),
    field('Quantity', h('input', { name: 'quantity', type: 'number', min: '1', max: '1000', value: '1' })),
    h('button', { type: 'submit', class: 'button primary' }, 'Create job'));
}

function jobBody(f, pick) {
  const v = (name) => f.elements[name].value;
  const out = {
    customer_id: pick.customer.id, kind: v('kind'), fault: v('fault'), priority: Number(v('priority')),
    duration_minutes: Number(v('duration_minutes')),
  };
  if (pick.asset) out.asset_id = pick.asset.id;
  if (v('skill')) out.required_skills = [{ skill: v('skill'), level: Number(v('level')) }];
  if (v('part_id')) out.parts = [{ part_id: Number(v('part_id')), quantity: Number(v('quantity')) }];
  return out;
}

/* What to do with the job just created: book a slot now, or send the link. */
function bookingPanel(job) {
  return h('section', { class: 'intake-booking', id: 'intake-booking' },
    h('h3', null, `Job #${job.id} created`),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'intake-callout' }),
      ' The customer accepts the call-out fee (asked when the unit is out of warranty)'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', id: 'intake-slots' }, 'Book by phone'),
      h('button', { type: 'button', class: 'button', id: 'intake-link' }, 'Send booking link')),
    h('ul', { class: 'rows intake-slot-list', id: 'intake-slot-list' }),
    h('p', { class: 'muted', id: 'intake-note', role: 'status' }));
}

/* Preselect the skill earlier jobs on the unit's model needed most. */
export async function suggestSkills(box, ctx, asset) {
  const f = box.querySelector('#intake-job');
  if (!f || !asset) return;
  const s = await ctx.api.get(`/api/v1/assets/${asset.id}/suggested-skills`);
  const note = box.querySelector('#intake-suggested');
  if (!s.skills.length) {
    note.textContent = `No earlier jobs on ${s.model} to suggest a skill from.`;
    return;
  }
  f.elements.skill.value = s.skills[0].skill;
  f.elements.level.value = String(s.skills[0].level);
  note.textContent = `Earlier jobs on ${s.model} needed: ${s.skills.map((k) => `${k.skill} ${k.level} (${plural(k.jobs, 'job')})`).join(', ')}.`;
}

export function jobForm(ctx, picked) {
  const box = h('div', { class: 'intake-job-box' }, h('p', { class: 'muted' }, 'Loading the catalogue…'));
  let job = null;

  catalogue(ctx.api).then((cat) => {
    fill(box, form(cat));
    return suggestSkills(box, ctx, picked().asset);
  }).catch((e) => fill(box, h('p', { class: 'form-error' }, e.message)));

  async function showSlots() {
    const answer = await ctx.api.get(`/api/v1/jobs/${job.id}/slots`);
    const note = box.querySelector('#intake-note');
    note.textContent = answer.slots.length ? `${plural(answer.slots.length, 'free window')}.`
      : `No free window: ${[...new Set(answer.days.map((d) => d.reason))].join(', ').replace(/_/g, ' ')}.`;
    fill(box.querySelector('#intake-slot-list'), answer.slots.slice(0, 12).map((s) => h('li', null,
      h('button', { type: 'button', class: 'button small book-slot', dataset: { start: s.start, end: s.end } },
        when(s.start, s.end)))));
  }

  async function book(button) {
    const body = { event: 'book', window_start: button.dataset.start, window_end: button.dataset.end };
    if (box.querySelector('#intake-callout').checked) body.accept_callout = true;
    const j = await ctx.api.post(`/api/v1/jobs/${job.id}/events`, body);
    ctx.toast(`Job #${j.id} booked (${j.status.replace(/_/g, ' ')}).`, 'ok');
    box.querySelector('#intake-note').textContent = `Booked for ${when(j.window_start, j.window_end)}.`;
    fill(box.querySelector('#intake-slot-list'));
  }

  async function sendLink() {
    const link = await ctx.api.post(`/api/v1/jobs/${job.id}/booking-link`, { purpose: 'booking' });
    box.querySelector('#intake-note').textContent = `Send the customer this link: ${window.location.origin}${link.url}`;
  }

  box.addEventListener('submit', async (event) => {
    event.preventDefault();
    const pick = picked();
    try {
      job = await ctx.api.post('/api/v1/jobs', jobBody(event.target, pick));
      fill(box, bookingPanel(job));
    } catch (e) {
      ctx.toast(e.message, 'error');
    }
  });
  box.addEventListener('click', (event) => {
    const run = event.target.closest('#intake-slots') ? showSlots
      : event.target.closest('#intake-link') ? sendLink
        : event.target.closest('.book-slot') ? () => book(event.target.closest('.book-slot')) : null;
    if (run) run().catch((e) => ctx.toast(e.message, 'error'));
  });
  return box;
}
