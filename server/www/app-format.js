/*
 * app-format.js: words and numbers for the dispatcher app (app.html):
 * times in the chosen time zone, calendar dates, durations, money, and
 * the plain-English labels of the API's codes (statuses, priorities, SLA
 * risk, part states, assignment reasons, timeline actions).  Pure
 * functions over Intl; no DOM, no requests.
 */

export function plural(count, noun, many = `${noun}s`) {
  return `${count} ${count === 1 ? noun : many}`;
}

/* "1 h 30 min", "45 min" */
export function duration(minutes) {
  if (!Number.isFinite(minutes)) return '';
  const m = Math.round(Math.abs(minutes));
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/* ---------- Time zones ---------- */

/*
 * Intl formatters are slow to make and the board formats the same few
 * instants hundreds of times: formatters are made once per zone, and
 * formatted times are remembered until the zone changes.
 */
let zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
let timeFormat;
let dateTimeFormat;
let partsFormat;
const times = new Map();

/* The zone times are shown in; an unknown zone falls back to UTC. */
export function setZone(name) {
  try {
    timeFormat = new Intl.DateTimeFormat(undefined, { timeZone: name, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimeFormat = new Intl.DateTimeFormat(undefined, {
      timeZone: name, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    partsFormat = null;
    times.clear();
    zone = name;
  } catch {
    if (name !== 'UTC') setZone('UTC');
  }
}
setZone(zone);

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
export const currentZone = () => zone;

/* The zone's offset from UTC in minutes at the instant ms. */
export function zoneOffset(ms) {
  const parts = {};
  partsFormat = partsFormat || new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric',
  });
  for (const { type, value } of partsFormat.formatToParts(new Date(ms))) parts[type] = Number(value);
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return Math.round((local - Math.floor(ms / 60000) * 60000) / 60000);
}

export function time(iso) {
  if (!iso) return '';
  let text = times.get(iso);
  if (text === undefined) {
    text = timeFormat.format(new Date(iso));
    times.set(iso, text);
  }
  return text;
}

export const dateTime = (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : '');
export const timeRange = (start, end) => (start ? `${time(start)}–${time(end)}` : 'no window');

/* ---------- Calendar dates ("2026-11-24", no zone) ---------- */

export function addDays(date, days) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

let longDateFormat;
export function longDate(date) {
  longDateFormat = longDateFormat ||
    new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  return longDateFormat.format(new Date(`${date}T12:00:00Z`));
}

/* ---------- Money (minor units) ---------- */

let moneyFormat;
export function money(minor) {
  moneyFormat = moneyFormat || new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return moneyFormat.format((minor || 0) / 100);
}

/* Amounts in the company's currency (an ISO 4217 code) from now on. */
export function setCurrency(code) {
  try {
    moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: code });
  } catch { /* an unknown code keeps plain numbers */ }
}

/* ---------- Labels of codes ---------- */

export const words = (code) => String(code || '').replace(/_/g, ' ');
const label = (table) => (code) => table[code] || words(code);

export const statusLabel = label({
  new: 'New', slots_offered: 'Slots offered', booked: 'Booked', awaiting_parts: 'Awaiting parts',
  parts_reserved: 'Parts reserved', assigned: 'Assigned', en_route: 'En route', on_site: 'On site',
  in_warranty: 'In warranty', replacement: 'Replacement', quoted: 'Quoted', quote_approved: 'Quote approved',
  quote_declined: 'Quote declined', quote_expired: 'Quote expired', work_done: 'Work done',
  signed_off: 'Signed off', rework: 'Rework', reviewed: 'Reviewed', closed: 'Closed', cancelled: 'Cancelled',
  returned_unrepaired: 'Returned unrepaired', follow_up_needed: 'Follow-up needed',
});

/* Priority 1 is the most urgent. */
const PRIORITIES = { 1: 'Urgent', 2: 'High', 3: 'Normal', 4: 'Low', 5: 'Lowest' };
export const priorityLabel = (p) => PRIORITIES[p] || `Priority ${p}`;

export const riskLabel = label({ late: 'Late', at_risk: 'At risk', ok: 'On time' });

export const kindLabel = label({ repair: 'Repair', install: 'Install', maintenance: 'Maintenance', inspection: 'Inspection' });

export const partStateLabel = label({
  needed: 'To reserve', awaiting_approval: 'Needs approval', reserved: 'Reserved',
  back_ordered: 'Back-ordered', used: 'Used', returned: 'Returned',
});

/* Why the time a device gave for an action was corrected (the
 * timeline's time_note). */
export const timeNoteLabel = label({
  device_clock_ahead: "time corrected: the device's clock was ahead",
  before_enrollment: 'time corrected: it was before the device was enrolled',
  before_previous_event: "time corrected: it was before the job's previous event",
});

/* Why a technician can or cannot take a job (GET /jobs/{id}/candidates). */
export const reasonLabel = label({
  ok: 'Can take it', missing_skill: 'Lacks a required skill', level_below: 'Skill level too low',
  outside_shift: 'Not on shift then', overlap: 'No free time', over_capacity: 'Day is full',
  too_far: 'Too far to arrive in time', pinned: 'Pinned to someone else',
});

/* Why a plan leaves a job without a technician. */
export const planReasonLabel = label({
  no_qualified: 'Nobody on shift has the skills', no_room: 'Qualified technicians are full',
  pinned: 'Pinned, and it does not fit its technician',
});

export const actionLabel = (action) => {
  const text = words(action);
  return text[0] ? text[0].toUpperCase() + text.slice(1) : '';
};

export const percent = (ratio) => `${Math.round((ratio || 0) * 100)} %`;
