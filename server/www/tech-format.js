/*
 * tech-format.js: words and numbers for the technician's app (tech.html):
 * instants in a job's own time zone (a phone may be set to any zone, the
 * job's times are the company's), calendar days relative to today, money
 * in a currency's minor units both ways, and the plain-English labels of
 * the codes the app shows (statuses, outcomes, action kinds and states,
 * the engine's error codes).  Pure functions over Intl; no DOM, no device.
 * The desk's labels (app-format.js) are reused, not retyped.
 */

import { plural, duration, statusLabel, priorityLabel, kindLabel, partStateLabel, words } from './app-format.js';

export { plural, duration, statusLabel, priorityLabel, kindLabel, partStateLabel, words };

/* The company's zone and currency, from the page (tech.html's data-*):
 * what a job without its own timezone or currency is shown in. */
const root = document.documentElement.dataset;
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const known = (mark) => (mark && !mark.startsWith('{{') ? mark : '');
export const companyZone = known(root.companyZone) || browserZone;
export const companyCurrency = known(root.currency) || 'CNY';

export const zoneOf = (job) => (job && job.timezone) || companyZone;
export const currencyOf = (job) => (job && job.currency) || companyCurrency;

/* An instant as milliseconds: the protocol's times are Unix seconds, the
 * engine's own (lastSyncAt) milliseconds; a value past 10^11 is taken as
 * milliseconds (10^11 seconds is the year 5138). */
export const toMs = (t) => {
  const n = Number(t || 0);
  return n > 1e11 ? n : n * 1000;
};

/* ---------- Instants in a zone ---------- */

/* Intl formatters are slow to make: one per zone and style. */
const formats = new Map();
function format(zone, style) {
  const key = `${zone}|${style}`;
  let f = formats.get(key);
  if (!f) {
    const options = {
      time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
      day: { year: 'numeric', month: '2-digit', day: '2-digit' },
      date: { weekday: 'short', day: 'numeric', month: 'short' },
      dateTime: { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    }[style];
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
    } catch { /* an unknown zone: UTC rather than nothing */
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
    }
    formats.set(key, f);
  }
  return f;
}

/* "14:05" */
export const timeIn = (zone, t) => (t ? format(zone, 'time').format(new Date(toMs(t))) : '');
/* "Wed, 9 Dec, 14:05" */
export const dateTimeIn = (zone, t) => (t ? format(zone, 'dateTime').format(new Date(toMs(t))) : '');
/* The calendar day "2026-12-09" of an instant in zone. */
export function dayIn(zone, t) {
  const part = {};
  for (const { type, value } of format(zone, 'day').formatToParts(new Date(toMs(t)))) part[type] = value;
  return `${part.year}-${part.month}-${part.day}`;
}

/* "Today", "Tomorrow", "Yesterday" or "Thu, 10 Dec" for day (YYYY-MM-DD)
 * seen from today's day in the same zone. */
export function dayLabel(day, today) {
  const diff = Math.round((Date.parse(`${day}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86400000);
  if (diff === 0) return 'Today';
  if (diff === 1) return 'Tomorrow';
  if (diff === -1) return 'Yesterday';
  return format('UTC', 'date').format(new Date(`${day}T12:00:00Z`));
}

/* A job's arrival window in its zone: "10:30–12:30"; "No time set". */
export function windowText(job) {
  if (!job.windowStart) return 'No time set';
  const zone = zoneOf(job);
  return `${timeIn(zone, job.windowStart)}–${timeIn(zone, job.windowEnd)}`;
}

/* ---------- Money in minor units ---------- */

const moneyFormats = new Map();
function moneyFormat(currency) {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      f = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, f);
  }
  return f;
}

/* The digits after the point of currency: 2 for CNY, 0 for JPY. */
export const minorDigits = (currency) => moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;

/* "¥1,234.50" for 123450 in CNY */
export const money = (minor, currency) =>
  moneyFormat(currency).format(Number(minor || 0) / 10 ** minorDigits(currency));

/* What a technician typed ("150", "150.5", "1,234.50") in minor units;
 * NaN when it is not an amount of currency (more digits after the point
 * than it has, a sign, letters). */
export function parseMoney(text, currency) {
  const digits = minorDigits(currency);
  const clean = String(text).trim().replace(/[,\s]/g, '');
  const match = /^(\d{1,13})(?:\.(\d*))?$/.exec(clean);
  if (!match || (match[2] || '').length > digits) return NaN;
  return Number(match[1]) * 10 ** digits + Number((match[2] || '').padEnd(digits, '0') || 0);
}

/* Minor units as an amount to edit: "150.00". */
export const moneyInput = (minor, currency) => (Number(minor || 0) / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));

/* ---------- Labels ---------- */

export const ACTION_LABELS = {
  enRoute: 'On the way', arrive: 'Arrived', note: 'Note', partsUsed: 'Parts used',
  warranty: 'Warranty decision', quote: 'Quote', outcome: 'Visit outcome', signOff: 'Sign-off',
  quoteAnswer: "Customer's answer",
};
export const actionLabel = (kind) => ACTION_LABELS[kind] || words(kind);

export const OUTCOME_LABELS = {
  COMPLETED: 'Done', CUSTOMER_NOT_HOME: 'Customer not home', PARTS_MISSING: 'Parts missing',
  PARTLY_DONE: 'Partly done', NEEDS_FOLLOW_UP: 'Needs a follow-up visit',
};

export const WARRANTY_LABELS = {
  in_warranty: 'In warranty', replacement: 'Replacement unit', out_of_warranty: 'Out of warranty',
  IN_WARRANTY: 'In warranty: repair', REPLACEMENT: 'Replacement unit',
};
export const warrantyLabel = (code) => WARRANTY_LABELS[code] || words(code);

/* An action's state on this phone, as the job screen says it. */
export const STATE_LABELS = {
  pending: 'Waiting to upload', APPLIED: 'Uploaded', REJECTED: 'Refused', CONFLICT: 'Kept for the dispatcher',
};
export const stateLabel = (state) => STATE_LABELS[state] || words(state);

export const quoteStatusLabel = (s) => ({
  pending: 'Waiting for the customer', approved: 'Approved', declined: 'Declined', expired: 'Expired',
}[s] || words(s));

/* The engine's error codes (DeviceError.code) in plain words; any other
 * (local_store, an action refused before it is recorded) says its own
 * message, which the engine writes for a person. */
const ERRORS = {
  offline: 'No network. Your work is kept on this phone and uploads when the network is back.',
  invalid_code: 'This code is unknown, used or expired. Ask the dispatcher for a new one.',
  device_revoked: 'This phone was removed by the dispatcher. Ask for a new code to enroll it again.',
  unknown_device: 'The server does not know this phone any more. Ask the dispatcher for a new code to enroll it again.',
  rate_limited: 'The server is busy. The phone tries again in a minute.',
  unavailable: 'The server is not answering just now. The phone tries again in a minute.',
  storage: 'The server had a problem saving. The phone tries again in a minute.',
  internal: 'The server had a problem. The phone tries again in a minute.',
  too_large: 'Too much to upload at once. The phone tries again in smaller parts.',
  expired: "The server's answer had expired. Check the phone's date and time; the phone tries again.",
  bad_signature: 'The server could not check this phone. Ask the dispatcher for a new code to enroll it again.',
  rollback: 'The server sent older data than this phone holds. Tell the dispatcher.',
  broken_chain: 'This phone and the server disagree about what was sent. Tell the dispatcher.',
  wrong_signer: 'An answer was not signed by the server. Nothing was changed.',
  wrong_audience: 'An answer was meant for another phone. Nothing was changed.',
  unsealable: 'An answer could not be opened on this phone. Nothing was changed.',
  not_enrolled: 'This phone is not enrolled. Enroll it with a code from the dispatcher.',
  already_enrolled: 'This phone is enrolled already.',
};
export function errorText(error) {
  if (!error) return '';
  return ERRORS[error.code] || error.message || 'Something went wrong. The phone tries again in a minute.';
}
