/*
 * book-visit.js: the booking views and actions of fsd's customer page
 * (book.html), for /book/<token> links: the slot picker with free times
 * by day and the days without any, the booked visit, choosing a slot,
 * moving the visit and cancelling it.
 */

import { link, request, isConflict } from './book-api.js';
import { calendarDay, CALENDAR_SHORT_DAY, makeClock, moneyFormatter, zoneWords } from './book-format.js';
import {
  byId, setText, element, showView, announce, showNotice, runAction, renderJob,
} from './book-page.js';

const CLOSED_DAY_WORDS = {
  too_soon: 'Too soon to book',
  parts_not_in_stock: 'Waiting for parts',
  no_skilled_technician: 'No technician available',
  all_busy: 'Fully booked',
  ok: 'No other free times',
};

/* Job statuses of a visit under way, with the heading they show. */
const VISIT_UNDER_WAY = {
  en_route: 'Your technician is on the way',
  on_site: 'Your technician is with you',
};

const TEXT = {
  pickIntro: 'Tap a time to book it. The technician arrives between the times shown.',
  booking: 'Booking your visit…',
  booked: 'Your visit is booked.',
  moving: 'Moving your visit…',
  moved: 'Your visit has been moved.',
  cancelling: 'Cancelling your visit…',
  cancelled: 'Your visit is cancelled.',
};

/* What the parts of the job mean for the customer (the answer's parts). */
function partsWords(parts) {
  const expected = parts && parts.expected_on ? calendarDay(parts.expected_on) : '';
  if (!parts || parts.status === 'in_stock') return '';
  if (parts.status === 'expected') {
    return `A part for your repair is on order and expected on ${expected}, so the first times offered are from the day after.`;
  }
  return 'A part for your repair is on order. We will send you times as soon as we know when it arrives.';
}

/* Job statuses with a booked window the customer can still change. */
const BOOKED_STATUSES = new Set(['booked', 'awaiting_parts', 'parts_reserved', 'assigned']);

const state = {
  clock: null,      /* formatters in the customer's time zone */
  booking: null,    /* the last GET answer */
  purpose: 'confirm', /* what tapping a slot does: confirm or reschedule */
};

function canChangeVisit(job) {
  return BOOKED_STATUSES.has(job.status) && Boolean(job.window_start);
}

/* ---------- Views ---------- */

/* Shows what the job's status allows: pick a slot, the booked visit, or a notice. */
function showBookingState({ focus = false } = {}) {
  const { job } = state.booking;
  if (job.status === 'slots_offered') showSlotPicker('confirm', { focus });
  else if (canChangeVisit(job) || VISIT_UNDER_WAY[job.status]) showVisit(job, { focus });
  else if (job.status === 'cancelled') showNotice('Visit cancelled', 'This visit is cancelled.', { focus });
  else showNotice('Nothing to book', 'There is nothing to book on this link any more.', { focus });
}

function showSlotPicker(purpose, { focus = false } = {}) {
  const { job, slots, days } = state.booking;
  const rescheduling = purpose === 'reschedule';
  const offered = rescheduling ? slots.filter((slot) => !sameInstant(slot.start, job.window_start)) : slots;
  state.purpose = purpose;
  setText('pick-heading', rescheduling ? 'Choose a new time' : 'Choose a time');
  setText('pick-intro', rescheduling
    ? `Your visit is now on ${state.clock.visit(job.window_start, job.window_end)}. Tap a new time to move it.`
    : TEXT.pickIntro);
  setText('pick-zone', `Times are in ${zoneWords(job.timezone)}.`);
  setText('pick-parts', partsWords(state.booking.parts));
  byId('pick-parts').hidden = !partsWords(state.booking.parts);
  showCallout(state.booking.callout);
  renderSlotDays(offered);
  renderClosedDays(days, offered);
  byId('pick-empty').hidden = offered.length > 0;
  byId('keep-time').hidden = !rescheduling;
  showView('pick', { focus });
}

/* The call-out fee this visit carries, to accept before a time is booked. */
function showCallout(callout) {
  byId('callout').hidden = !callout;
  if (!callout) return;
  const fee = moneyFormatter(callout.currency)(callout.fee_minor);
  setText('callout-text', `This visit carries a call-out fee of ${fee}: ${callout.reason}. It is charged if the technician confirms the unit is out of warranty, whether or not you go ahead with the repair.`);
  setText('callout-accept-label', `I accept the call-out fee of ${fee}`);
}

function sameInstant(a, b) {
  return Boolean(a && b) && Date.parse(a) === Date.parse(b);
}

function groupSlotsByDay(slots) {
  const days = new Map();
  for (const slot of slots) {
    const date = state.clock.dateKey(slot.start);
    if (!days.has(date)) days.set(date, []);
    days.get(date).push(slot);
  }
  return days;
}

function renderSlotDays(slots) {
  const blocks = [...groupSlotsByDay(slots)].map(([date, daySlots]) => slotDay(date, daySlots));
  byId('slot-days').replaceChildren(...blocks);
}

function slotDay(date, slots) {
  const headingId = `day-${date}`;
  const heading = element('h3', { text: calendarDay(date) });
  heading.id = headingId;
  const items = slots.map((slot) => element('li', {}, [slotButton(slot, headingId)]));
  const list = element('ul', { className: 'slots' }, items);
  list.setAttribute('role', 'list');
  return element('div', { className: 'day' }, [heading, list]);
}

function slotButton(slot, headingId) {
  const button = element('button', { className: 'slot', text: state.clock.window(slot.start, slot.end) });
  button.type = 'button';
  button.dataset.start = slot.start;
  button.setAttribute('aria-describedby', headingId);
  return button;
}

/* One line per reason: "Fully booked: Sat 27 Mar; Sun 28 Mar". */
function renderClosedDays(days, offered) {
  const open = new Set(offered.map((slot) => state.clock.dateKey(slot.start)));
  const byReason = new Map();
  for (const day of days) {
    if (open.has(day.date)) continue;
    const reason = CLOSED_DAY_WORDS[day.reason] || 'No free times';
    if (!byReason.has(reason)) byReason.set(reason, []);
    byReason.get(reason).push(calendarDay(day.date, CALENDAR_SHORT_DAY));
  }
  const lines = [...byReason].map(([reason, dates]) => element('li', { text: `${reason}: ${dates.join('; ')}` }));
  byId('closed-days').replaceChildren(...lines);
  byId('closed').hidden = lines.length === 0;
}

/* The booked visit, or the visit under way (then without change or cancel). */
function showVisit(job, { focus = false } = {}) {
  const underWay = VISIT_UNDER_WAY[job.status];
  const waiting = job.status === 'awaiting_parts';
  const parts = state.booking.parts || {};
  setText('confirmed-heading', underWay || (waiting ? 'Your visit is booked: waiting for a part' : 'Your visit is booked'));
  byId('parts-wait').hidden = !waiting;
  if (waiting) {
    setText('parts-wait', parts.expected_on
      ? `A part for your repair is on order and expected on ${calendarDay(parts.expected_on)}. The technician comes once it is here; if it is late, we will get in touch to move the visit.`
      : 'A part for your repair is on order. The technician comes once it is here; if it is late, we will get in touch to move the visit.');
  }
  byId('visit-details').hidden = !job.window_start;
  if (job.window_start) setText('visit-when', state.clock.visit(job.window_start, job.window_end));
  setText('visit-zone', `The technician will arrive between these times (${zoneWords(job.timezone)}).`);
  setCancelQuestion(false);
  byId('manage').hidden = Boolean(underWay);
  showView('confirmed', { focus });
}

function setCancelQuestion(open) {
  byId('cancel-ask').hidden = !open;
  byId('manage').hidden = open;
}

/* ---------- Actions ---------- */

async function loadBooking() {
  state.booking = await request(link.api);
  state.clock = makeClock(state.booking.job.timezone);
  renderJob(state.booking.job);
}

/* Loads the booking and shows what it allows: the page's first action. */
export async function openBooking() {
  await loadBooking();
  showBookingState();
}

/* Confirms or reschedules to the tapped slot, as the picker was opened for. */
export function chooseSlot(button) {
  const purpose = state.purpose;
  const rescheduling = purpose === 'reschedule';
  return runAction(async () => {
    button.classList.add('is-chosen');
    announce(rescheduling ? TEXT.moving : TEXT.booking);
    try {
      const body = { start: button.dataset.start };
      if (state.booking.callout) {
        if (!byId('callout-accept').checked) {
          announce('Please accept the call-out fee first: tick the box above the times.', 'error');
          byId('callout-accept').focus();
          return;
        }
        body.accept_callout = true;
      }
      const answer = await request(`${link.api}/${purpose}`, body);
      const { window_start, window_end, status = 'booked' } = answer;
      Object.assign(state.booking.job, { window_start, window_end, status });
      showVisit(state.booking.job, { focus: true });
      announce(rescheduling ? TEXT.moved : TEXT.booked);
    } catch (error) {
      await recoverFromConflict(error, purpose);
    } finally {
      button.classList.remove('is-chosen');
    }
  });
}

/* A 409 means the page is out of date: reload, show what is true now, then say why. */
async function recoverFromConflict(error, purpose) {
  if (!isConflict(error)) throw error;
  await loadBooking();
  const { job } = state.booking;
  const stillPicking = purpose === 'reschedule' ? canChangeVisit(job) : job.status === 'slots_offered';
  if (error.code === 'slot_taken' && stillPicking) showSlotPicker(purpose, { focus: true });
  else showBookingState({ focus: true });
  announce(error.message, 'error');
}

export function startReschedule() {
  return runAction(async () => {
    await loadBooking();
    if (canChangeVisit(state.booking.job)) showSlotPicker('reschedule', { focus: true });
    else showBookingState({ focus: true });
  });
}

export function keepCurrentTime() {
  announce('');
  showVisit(state.booking.job, { focus: true });
}

export function askToCancel() {
  setCancelQuestion(true);
  byId('cancel-no').focus();
}

export function keepVisit() {
  setCancelQuestion(false);
  byId('cancel').focus();
}

export function cancelVisit() {
  return runAction(async () => {
    announce(TEXT.cancelling);
    try {
      const answer = await request(`${link.api}/cancel`, {});
      state.booking.job.status = answer.status || 'cancelled';
      showBookingState({ focus: true });
      announce(TEXT.cancelled);
    } catch (error) {
      await recoverFromConflict(error, 'cancel');
    }
  });
}
