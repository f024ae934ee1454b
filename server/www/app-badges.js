/*
 * app-badges.js: the small pieces that say what a job is, shared by the
 * queue, the lanes, the job drawer and the plan dialog: priority, SLA
 * risk and status badges, skill chips, a job's one-line name and its
 * spoken description.  Builds elements; no requests, no state.
 */

import { h } from './app-dom.js';
import { priorityLabel, riskLabel, statusLabel, kindLabel, timeRange, duration } from './app-format.js';

export const priorityBadge = (p) =>
  h('span', { class: `badge prio prio-${p}`, title: `Priority ${p}: ${priorityLabel(p)}` }, `P${p}`);

/* Nothing for jobs on time: only the exceptions catch the eye. */
export const riskBadge = (risk) =>
  (risk === 'late' || risk === 'at_risk' ? h('span', { class: `badge risk risk-${risk}` }, riskLabel(risk)) : null);

export const statusBadge = (status) => h('span', { class: `badge status status-${status}` }, statusLabel(status));

/* Skills a job needs ([{code, min_level}]) or a technician holds ([{code, name, level}]): code and level, the name as tooltip. */
export function skillChips(skills, names) {
  return h('span', { class: 'chips' }, (skills || []).map((s) => {
    const name = s.name || (names && names.get(s.code)) || s.code;
    const level = s.min_level !== undefined ? `≥${s.min_level}` : String(s.level);
    return h('span', { class: 'chip', title: `${name}, level ${level}` }, `${s.code} ${level}`);
  }));
}

/* "#12 Huaxin Dental Clinic" */
export const jobName = (job) => `#${job.id} ${job.customer_name || ''}`.trim();

/* What a screen reader says for a job, and what a pointer's tooltip shows. */
export function jobDescription(job) {
  const parts = [
    `Job ${job.id}`, job.customer_name, kindLabel(job.kind), priorityLabel(job.priority),
    statusLabel(job.status), timeRange(job.window_start, job.window_end), duration(job.duration_minutes),
  ];
  if (job.sla_risk === 'late' || job.sla_risk === 'at_risk') parts.push(`SLA ${riskLabel(job.sla_risk).toLowerCase()}`);
  if (job.pinned) parts.push('pinned');
  return parts.filter(Boolean).join(', ');
}
