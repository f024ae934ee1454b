/*
 * app-lanes.js: the technicians' lanes of the dispatcher board: a time
 * axis, and per technician a lane (the drop target, .lane[data-tech])
 * with name, skill chips and a workload bar, the shift shaded on the
 * track, travel gaps, and each visit as a block (.job[data-job]) from its
 * planned start (`start`, else its window's start) for its duration.  Visits that would overlap go to extra
 * rows so none hides another.
 *
 * Builds the whole lane area in one DocumentFragment and inserts it once;
 * positions go through the CSSOM (el.style.left), which the CSP allows.
 */

import { h, fill } from './app-dom.js';
import { time, duration, percent, zoneOffset } from './app-format.js';
import { skillChips, priorityBadge, jobDescription } from './app-badges.js';

export const HEAD_WIDTH = 232;      /* px, the lane's name column (app.css --lane-head) */
const ROW_HEIGHT = 44;              /* px per row of visits (app.css .block height + gap) */
const MIN = 60000;
const HOUR = 60 * MIN;

const ms = (iso) => (iso ? Date.parse(iso) : NaN);

/* Where a visit sits: its planned start when the board sends one, else its window's start. */
const visitStart = (job) => ms(job.start || job.window_start);

/* The axis: whole hours (in the zone shown) around every shift and visit of the day. */
export function dayRange(data) {
  let start = Infinity;
  let end = -Infinity;
  const widen = (a, b) => {
    if (Number.isFinite(a)) start = Math.min(start, a);
    if (Number.isFinite(b)) end = Math.max(end, b);
  };
  for (const t of data.technicians) widen(ms(t.shift_start), ms(t.shift_end));
  for (const j of data.jobs) {
    if (j.technician_id === null) continue;
    const from = visitStart(j);
    widen(from - (j.travel_minutes || 0) * MIN, from + j.duration_minutes * MIN);
  }
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    start = Date.parse(`${data.date}T08:00:00Z`);
    end = start + 10 * HOUR;
  }
  const floorHour = (t) => t - ((((t / MIN + zoneOffset(t)) % 60) + 60) % 60) * MIN;
  start = floorHour(start);
  end = floorHour(end - 1) + HOUR;
  return { start, end, minutes: (end - start) / MIN };
}

/* Greedy rows: each visit (with its travel) goes to the first row free at its start. */
function rows(visits) {
  const ends = [];
  for (const v of visits) {
    let row = ends.findIndex((end) => end <= v.from);
    if (row < 0) row = ends.length;
    ends[row] = v.to;
    v.row = row;
  }
  return Math.max(1, ends.length);
}

function axis(range, ppm) {
  const track = h('div', { class: 'track axis-track' });
  track.style.width = `${range.minutes * ppm}px`;
  const step = ppm * 60 < 56 ? 2 : 1;
  for (let t = range.start, i = 0; t < range.end; t += HOUR, i++) {
    if (i % step) continue;
    const tick = h('span', { class: 'tick' }, time(new Date(t).toISOString()));
    tick.style.left = `${((t - range.start) / MIN) * ppm}px`;
    track.append(tick);
  }
  return h('div', { class: 'axis', 'aria-hidden': 'true' },
    h('div', { class: 'lane-head axis-corner' }, 'Technician'), track);
}

function loadBar(tech) {
  const capacity = tech.capacity_minutes || 0;
  const ratio = capacity ? tech.load_minutes / capacity : 0;
  const fill = h('span', { class: 'load-fill' });
  fill.style.width = `${Math.min(100, ratio * 100)}%`;
  const over = ratio > 1;
  return h('div', { class: `load${over ? ' over' : ''}`, title: `Booked ${percent(ratio)} of the day's capacity` },
    h('span', { class: 'load-bar' }, fill),
    h('span', { class: 'load-text' }, `${duration(tech.load_minutes)} / ${duration(capacity)}`));
}

/* Visits whose work is over: shown as done, not as work still to do. */
const DONE = new Set(['work_done', 'signed_off', 'reviewed', 'closed', 'returned_unrepaired']);

function block(job, v, ppm, range) {
  const done = DONE.has(job.status);
  const el = h('button', {
    type: 'button',
    class: `job block risk-${done ? 'done' : job.sla_risk} status-${job.status}${job.pinned ? ' pinned' : ''}${done ? ' done' : ''}`,
    dataset: { job: job.id }, draggable: 'true', tabindex: '-1',
    'aria-label': jobDescription(job), title: jobDescription(job),
  },
  priorityBadge(job.priority),
  h('span', { class: 'block-name' }, job.customer_name || `Job ${job.id}`),
  h('span', { class: 'block-time' }, `${done ? '✓ done · ' : ''}#${job.id} · ${time(job.start || job.window_start)}`));
  el.style.left = `${((v.start - range.start) / MIN) * ppm}px`;
  el.style.width = `${Math.max(job.duration_minutes * ppm, 18)}px`;
  el.style.top = `${v.row * ROW_HEIGHT + 4}px`;
  return el;
}

function travel(job, v, ppm, range) {
  const el = h('div', { class: 'travel', title: `${duration(job.travel_minutes)} travel` });
  el.style.left = `${((v.start - job.travel_minutes * MIN - range.start) / MIN) * ppm}px`;
  el.style.width = `${job.travel_minutes * ppm}px`;
  el.style.top = `${v.row * ROW_HEIGHT + 4}px`;
  return el;
}

/* The day's shifts (several when split), shaded on the track. */
function shifts(tech, ppm, range) {
  const list = tech.shifts || (tech.shift_start ? [{ start: tech.shift_start, end: tech.shift_end }] : []);
  if (!list.length) return h('span', { class: 'off-day' }, 'Not working this day');
  return list.map((s) => {
    const el = h('div', { class: 'shift', title: `Shift ${time(s.start)}–${time(s.end)}` });
    el.style.left = `${((ms(s.start) - range.start) / MIN) * ppm}px`;
    el.style.width = `${((ms(s.end) - ms(s.start)) / MIN) * ppm}px`;
    return el;
  });
}

function lane(tech, jobs, ppm, range, skillNames) {
  const visits = jobs.filter((j) => j.window_start)
    .map((job) => {
      const start = visitStart(job);
      return { job, start, from: start - (job.travel_minutes || 0) * MIN, to: start + job.duration_minutes * MIN };
    })
    .sort((a, b) => a.from - b.from);
  const track = h('div', { class: 'track' }, shifts(tech, ppm, range));
  track.style.width = `${range.minutes * ppm}px`;
  track.style.minHeight = `${rows(visits) * ROW_HEIGHT + 8}px`;
  for (const v of visits) {
    if (v.job.travel_minutes > 0) track.append(travel(v.job, v, ppm, range));
    track.append(block(v.job, v, ppm, range));
  }
  const unplaced = jobs.length - visits.length;
  const label = `${tech.name}: ${jobs.length} jobs, ${duration(tech.load_minutes)} of ${duration(tech.capacity_minutes)} booked`;
  return h('div', { class: 'lane', dataset: { tech: tech.id }, role: 'group', 'aria-label': label },
    h('div', { class: 'lane-head' },
      h('span', { class: 'tech-name' }, tech.name),
      unplaced ? h('span', { class: 'badge', title: 'Assigned jobs without an arrival window' }, `+${unplaced} unscheduled`) : null,
      skillChips(tech.skills, skillNames),
      loadBar(tech)),
    track);
}

/* A line at the current time, when it falls on the axis. */
function nowLine(range, ppm) {
  const now = Date.now();
  if (now < range.start || now > range.end) return null;
  const el = h('div', { class: 'now', 'aria-hidden': 'true', title: `Now, ${time(new Date(now).toISOString())}` });
  el.style.left = `${HEAD_WIDTH + ((now - range.start) / MIN) * ppm}px`;
  return el;
}

/*
 * Fill root with the lanes of data ({date, technicians, jobs}); ppm is
 * pixels per minute.  Jobs are grouped by technician once: O(jobs).
 */
export function renderLanes(root, data, range, ppm, skillNames) {
  const byTech = new Map(data.technicians.map((t) => [t.id, []]));
  for (const job of data.jobs) {
    if (job.technician_id !== null && byTech.has(job.technician_id)) byTech.get(job.technician_id).push(job);
  }
  fill(root,
    axis(range, ppm),
    data.technicians.map((t) => lane(t, byTech.get(t.id), ppm, range, skillNames)),
    nowLine(range, ppm),
    data.technicians.length ? null : h('p', { class: 'empty' }, 'No active technicians.'));
}
