/*
 * app-queue.js: the unassigned queue of the dispatcher board (#queue):
 * one card (.job[data-job]) per job without a technician, in the order
 * the server sends (SLA risk, then priority, then due time), each with
 * its badges, window, duration, required skills and an "Assign…" button
 * (.assign[data-job]); and the text filter over the cards.  Builds the
 * list in one DocumentFragment; filtering only toggles `hidden`.
 */

import { h, fill } from './app-dom.js';
import { duration, timeRange, dateTime, kindLabel, statusLabel } from './app-format.js';
import { priorityBadge, riskBadge, statusBadge, skillChips, jobDescription } from './app-badges.js';

/* Statuses a dispatcher can assign from (POST /jobs/{id}/assign). */
export const ASSIGNABLE = new Set(['parts_reserved', 'rework', 'assigned']);

function card(job, skillNames) {
  const assignable = ASSIGNABLE.has(job.status);
  return h('li', {
    class: `job card risk-${job.sla_risk}`, dataset: { job: job.id }, tabindex: '-1', draggable: 'true',
    'aria-label': jobDescription(job), title: job.fault || null,
  },
  h('div', { class: 'card-top' },
    priorityBadge(job.priority), riskBadge(job.sla_risk),
    assignable ? null : statusBadge(job.status),
    h('span', { class: 'card-title' }, job.customer_name || 'Unknown customer'),
    h('span', { class: 'card-id' }, `#${job.id}`)),
  h('div', { class: 'card-meta' },
    `${kindLabel(job.kind)} · ${duration(job.duration_minutes)} · ${timeRange(job.window_start, job.window_end)}`,
    job.sla_due_at ? ` · due ${dateTime(job.sla_due_at)}` : ''),
  h('div', { class: 'card-foot' },
    skillChips(job.required_skills, skillNames),
    h('button', {
      type: 'button', class: 'assign button small', dataset: { job: job.id }, tabindex: '-1',
      title: assignable ? 'Pick a technician (A)' : `${statusLabel(job.status)}: not ready to assign yet`,
      'aria-label': `Assign job ${job.id}`,
    }, 'Assign…')));
}

/* What the filter matches a job against, lower case. */
function haystack(job, skillNames) {
  const skills = (job.required_skills || []).map((s) => `${s.code} ${skillNames.get(s.code) || ''}`);
  return [`#${job.id}`, job.customer_name, job.fault, job.kind, statusLabel(job.status), ...skills]
    .join(' ').toLowerCase();
}

/*
 * Fill list with the unassigned jobs; returns the filter function to call
 * with the filter text (also applied now), which returns the count shown.
 */
export function renderQueue(list, jobs, skillNames, filterText) {
  const waiting = jobs.filter((j) => j.technician_id === null);
  const texts = new Map(waiting.map((j) => [j.id, haystack(j, skillNames)]));
  fill(list, waiting.map((j) => card(j, skillNames)));
  const filter = (text) => {
    const words = String(text || '').toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const el of list.children) {
      const hay = texts.get(Number(el.dataset.job));
      el.hidden = !words.every((w) => hay.includes(w));
      if (!el.hidden) shown++;
    }
    return shown;
  };
  return { filter, total: waiting.length, shown: filter(filterText) };
}
