/*
 * book.js: the script of fsd's customer page (book.html).
 *
 * The page is opened from a link without login: /book/<token> lets the
 * customer pick a visit time, change it or cancel it; /quote/<token> lets
 * them approve or decline a repair quote.  The module reads the token from
 * the path, talks to the public JSON API and shows one view at a time.
 *
 * The token is a credential: it only ever goes into request URLs (and the
 * calendar link).  Nothing here logs it, stores it or shows it.
 *
 * Layout: words and constants; the link; the API; formatting; the DOM
 * helpers; the booking views and actions; the quote views and actions;
 * start-up.
 */

/* ---------- Words and constants ---------- */

const KIND_WORDS = {
  repair: 'Repair',
  install: 'Installation',
  maintenance: 'Maintenance',
  inspection: 'Inspection',
};

const CLOSED_DAY_WORDS = {
  too_soon: 'Too soon to book',
  parts_not_in_stock: 'Waiting for parts',
  no_skilled_technician: 'No technician available',
  all_busy: 'Fully booked',
  ok: 'No other free times',
};

const QUOTE_STATUS_WORDS = {
  pending: 'Waiting for your answer',
  approved: 'You approved this quote',
  declined: 'You declined this quote',
  expired: 'This quote has expired',
};

const QUOTE_ANSWER_WORDS = {
  approved: 'Thank you — you approved the quote; we will carry out the repair.',
  declined: 'You declined the quote; the unit stays as it is.',
};

/* Job statuses with a booked window the customer can still change. */
const BOOKED_STATUSES = new Set(['booked', 'awaiting_parts', 'parts_reserved', 'assigned']);

function canChangeVisit(job) {
  return BOOKED_STATUSES.has(job.status) && Boolean(job.window_start);
}

/* Job statuses of a visit under way, with the heading they show. */
const VISIT_UNDER_WAY = {
  en_route: 'Your technician is on the way',
  on_site: 'Your technician is with you',
};

const TEXT = {
  invalidLink: 'This link is not valid: it may have expired. Please ask us for a new one.',
  network: 'We could not reach our server. Please check your connection and try again.',
  server: 'Something went wrong on our side. Please try again in a moment.',
  pickIntro: 'Tap a time to book it. The technician arrives between the times shown.',
  booking: 'Booking your visit…',
  booked: 'Your visit is booked.',
  moving: 'Moving your visit…',
  moved: 'Your visit has been moved.',
  cancelling: 'Cancelling your visit…',
  cancelled: 'Your visit is cancelled.',
  sending: 'Sending your answer…',
  sent: 'Thank you, we have your answer.',
};

const PAGE_TITLES = {
  book: 'Book your service visit',
  quote: 'Your repair quote',
};

const INVALID_LINK_HEADING = 'This link does not work';

/* ---------- The link ---------- */

const LINK_PATH = /^\/(book|quote)\/([A-Za-z0-9_-]{43})$/;

/* The page's mode and the URLs it talks to, or null for a malformed link. */
function readLink(pathname) {
  const match = LINK_PATH.exec(pathname);
  if (!match) return null;
  const [, mode, token] = match;
  const api = mode === 'book' ? '/api/v1/public/bookings/' : '/api/v1/public/quotes/';
  return { mode, api: api + token, calendar: `/book/${token}/appointment.ics` };
}

const link = readLink(window.location.pathname);

const state = {
  busy: false,
  view: 'loading',
  clock: null,      /* formatters in the customer's time zone */
  booking: null,    /* the last GET answer in booking mode */
  purpose: 'confirm', /* what tapping a slot does: confirm or reschedule */
};

/* ---------- The API ---------- */

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/* GET path, or POST body as JSON when a body is given; resolves to the JSON answer. */
async function request(path, body) {
  const init = {
    method: body === undefined ? 'GET' : 'POST',
    credentials: 'omit',
    cache: 'no-store',
    headers: { Accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', TEXT.network);
  }
  const data = await response.json().catch(() => null);
  if (response.ok && data) return data;
  throw errorFromResponse(response, data);
}

function errorFromResponse(response, data) {
  const error = (data && data.error) || {};
  let message = error.message ? asSentence(error.message) : fallbackMessage(response.status);
  if (response.status === 429) message += ` ${waitAdvice(response.headers.get('Retry-After'))}`;
  return new ApiError(response.status, error.code || 'unknown', message);
}

function fallbackMessage(status) {
  return status === 404 ? TEXT.invalidLink : TEXT.server;
}

function waitAdvice(retryAfter) {
  const seconds = Number.parseInt(retryAfter || '', 10);
  if (!(seconds > 0)) return 'Please wait a moment before trying again.';
  if (seconds <= 60) return `Please try again in ${plural(seconds, 'second')}.`;
  return `Please try again in ${plural(Math.ceil(seconds / 60), 'minute')}.`;
}

/* ---------- Formatting ---------- */

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/* The server's messages start in lower case and have no full stop. */
function asSentence(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return TEXT.server;
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function formatDuration(minutes) {
  if (!Number.isFinite(minutes) || minutes <= 0) return '';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [];
  if (hours) parts.push(plural(hours, 'hour'));
  if (rest) parts.push(plural(rest, 'minute'));
  return `About ${parts.join(' ')}`;
}

/* Calendar dates ("2027-03-29") carry no time zone: read them at noon UTC. */
const CALENDAR_DAY = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long',
});
const CALENDAR_SHORT_DAY = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short',
});

/* "08:00" where the browser's clock runs to 24 hours, "8:00 AM" where it has AM and PM. */
function hourStyle() {
  const { hourCycle } = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions();
  return hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric';
}

function calendarDay(date, format = CALENDAR_DAY) {
  return format.format(new Date(`${date}T12:00:00Z`));
}

/* The time zone if this browser knows it, else the browser's own. */
function knownTimeZone(timeZone) {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/* Formatters for instants ("2027-03-29T06:00:00Z") in the customer's time zone. */
function makeClock(timeZone) {
  const zone = knownTimeZone(timeZone);
  const day = new Intl.DateTimeFormat(undefined, {
    timeZone: zone, weekday: 'long', day: 'numeric', month: 'long',
  });
  const time = new Intl.DateTimeFormat(undefined, {
    timeZone: zone, hour: hourStyle(), minute: '2-digit',
  });
  const dateParts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
  });
  const clock = {
    day: (iso) => day.format(new Date(iso)),
    time: (iso) => time.format(new Date(iso)),
    window: (start, end) => `${clock.time(start)}–${clock.time(end)}`,
    visit: (start, end) => `${clock.day(start)}, ${clock.window(start, end)}`,
    /* The local calendar date, "2027-03-29", to group slots by day. */
    dateKey(iso) {
      const parts = {};
      for (const { type, value } of dateParts.formatToParts(new Date(iso))) parts[type] = value;
      return `${parts.year}-${parts.month}-${parts.day}`;
    },
  };
  return clock;
}

/* Minor units (cents) as money; the server's integers are only divided for display. */
function moneyFormatter(currency) {
  let format;
  try {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  } catch {
    format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return (minor) => format.format(minor / 100);
}

/* ---------- DOM helpers ---------- */

function byId(id) {
  return document.getElementById(id);
}

function setText(id, text) {
  byId(id).textContent = text;
}

/* Fills a fact of the job summary and hides its row when there is nothing to say. */
function setFact(id, text) {
  setText(id, text || '');
  byId(id).parentElement.hidden = !text;
}

function element(tag, { text, className } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  node.append(...children);
  return node;
}

/* Shows the one view named, and moves focus to its heading after a customer's action. */
function showView(name, { focus = false } = {}) {
  for (const view of document.querySelectorAll('section[data-view]')) view.hidden = view.id !== name;
  state.view = name;
  if (focus) byId(name).querySelector('h2')?.focus();
}

function announce(text, tone = 'info') {
  const status = byId('status');
  status.textContent = text;
  status.classList.toggle('is-error', tone === 'error');
}

function setBusy(busy) {
  state.busy = busy;
  for (const button of document.querySelectorAll('button')) button.disabled = busy;
}

/* Disabling a button can drop keyboard focus: give it back when nothing else took it. */
function restoreFocus(previous) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (lost && previous && previous.isConnected && !previous.closest('[hidden]')) previous.focus();
}

/*
 * Runs one request-making action: one at a time, buttons disabled while it
 * runs, errors shown to the customer.  Resolves to true when it succeeded.
 */
async function runAction(work) {
  if (state.busy) return false;
  const focused = document.activeElement;
  setBusy(true);
  announce('');
  try {
    await work();
    return true;
  } catch (error) {
    showError(error);
    return false;
  } finally {
    setBusy(false);
    restoreFocus(focused);
  }
}

function showError(error) {
  if (!(error instanceof ApiError)) announce(TEXT.server, 'error');
  else if (error.status === 404) showInvalidLink(error.message);
  else announce(error.message, 'error');
}

function showNotice(heading, text, { focus = false } = {}) {
  setText('notice-heading', heading);
  setText('notice-text', text);
  showView('notice', { focus });
}

function showInvalidLink(message) {
  byId('job').hidden = true;
  document.title = INVALID_LINK_HEADING;
  showNotice(INVALID_LINK_HEADING, message, { focus: state.view !== 'loading' });
}

function setPageTitle(title) {
  setText('page-title', title);
  document.title = title;
}

function renderJob(job) {
  setFact('job-kind', `${KIND_WORDS[job.kind] || 'Service'} visit`);
  setFact('job-fault', job.fault);
  setFact('job-duration', formatDuration(job.duration_minutes));
  setFact('job-customer', job.customer_name);
  byId('job').hidden = false;
}

/* ---------- Booking: views ---------- */

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
  renderSlotDays(offered);
  renderClosedDays(days, offered);
  byId('pick-empty').hidden = offered.length > 0;
  byId('keep-time').hidden = !rescheduling;
  showView('pick', { focus });
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
  setText('confirmed-heading', underWay || 'Your visit is booked');
  byId('visit-details').hidden = !job.window_start;
  if (job.window_start) setText('visit-when', state.clock.visit(job.window_start, job.window_end));
  setCancelQuestion(false);
  byId('manage').hidden = Boolean(underWay);
  showView('confirmed', { focus });
}

function setCancelQuestion(open) {
  byId('cancel-ask').hidden = !open;
  byId('manage').hidden = open;
}

/* ---------- Booking: actions ---------- */

async function loadBooking() {
  state.booking = await request(link.api);
  state.clock = makeClock(state.booking.job.timezone);
  renderJob(state.booking.job);
}

/* Confirms or reschedules to the tapped slot, as the picker was opened for. */
function chooseSlot(button) {
  const purpose = state.purpose;
  const rescheduling = purpose === 'reschedule';
  return runAction(async () => {
    button.classList.add('is-chosen');
    announce(rescheduling ? TEXT.moving : TEXT.booking);
    try {
      const answer = await request(`${link.api}/${purpose}`, { start: button.dataset.start });
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
  if (!(error instanceof ApiError) || error.status !== 409) throw error;
  await loadBooking();
  const { job } = state.booking;
  const stillPicking = purpose === 'reschedule' ? canChangeVisit(job) : job.status === 'slots_offered';
  if (error.code === 'slot_taken' && stillPicking) showSlotPicker(purpose, { focus: true });
  else showBookingState({ focus: true });
  announce(error.message, 'error');
}

function startReschedule() {
  return runAction(async () => {
    await loadBooking();
    if (canChangeVisit(state.booking.job)) showSlotPicker('reschedule', { focus: true });
    else showBookingState({ focus: true });
  });
}

function keepCurrentTime() {
  announce('');
  showVisit(state.booking.job, { focus: true });
}

function askToCancel() {
  setCancelQuestion(true);
  byId('cancel-no').focus();
}

function keepVisit() {
  setCancelQuestion(false);
  byId('cancel').focus();
}

function cancelVisit() {
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

/* ---------- Quote: views ---------- */

function renderQuote(quote) {
  const money = moneyFormatter(quote.currency);
  byId('quote-lines').replaceChildren(...quote.lines.map((line) => quoteRow(line, money)));
  setText('quote-parts', money(quote.parts_minor));
  setText('quote-labour', money(quote.labour_minor));
  setText('quote-callout', money(quote.callout_minor));
  setText('quote-total', money(quote.total_minor));
  setText('quote-expiry', quote.expires_at
    ? `Please answer by ${state.clock.day(quote.expires_at)}, ${state.clock.time(quote.expires_at)}.`
    : '');
  renderQuoteStatus(quote.status);
}

const QUANTITY = new Intl.NumberFormat();

function quoteRow(line, money) {
  return element('tr', {}, [
    element('td', { text: line.description }),
    element('td', { className: 'num', text: QUANTITY.format(line.quantity) }),
    element('td', { className: 'num', text: money(line.unit_price_minor) }),
    element('td', { className: 'num', text: money(line.amount_minor) }),
  ]);
}

/* The status line, and the buttons and deadline only while the quote waits for an answer. */
function renderQuoteStatus(status) {
  const pending = status === 'pending';
  const expiry = byId('quote-expiry');
  setText('quote-state', QUOTE_STATUS_WORDS[status] || 'This quote can no longer be answered');
  byId('quote-actions').hidden = !pending;
  expiry.hidden = !pending || !expiry.textContent;
}

function showQuoteAnswer(quoteStatus) {
  renderQuoteStatus(quoteStatus);
  setText('quote-answer-text', QUOTE_ANSWER_WORDS[quoteStatus] || TEXT.sent);
  const answer = byId('quote-answer');
  answer.hidden = false;
  answer.focus();
}

/* ---------- Quote: actions ---------- */

async function loadQuote() {
  const data = await request(link.api);
  state.clock = makeClock(data.job.timezone);
  renderJob(data.job);
  renderQuote(data.quote);
}

function answerQuote(decision) {
  return runAction(async () => {
    announce(TEXT.sending);
    try {
      const answer = await request(link.api, { decision });
      showQuoteAnswer(answer.quote_status);
      announce(TEXT.sent);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 409) throw error;
      await loadQuote();
      announce(error.message, 'error');
    }
  });
}

/* ---------- Start-up ---------- */

async function openPage() {
  showView('loading');
  const opened = await runAction(async () => {
    if (link.mode === 'book') {
      await loadBooking();
      showBookingState();
    } else {
      await loadQuote();
      showView('quote');
    }
  });
  if (!opened && state.view === 'loading') showView('failed', { focus: true });
}

function onClick(id, handler) {
  byId(id).addEventListener('click', handler);
}

function wireEvents() {
  byId('slot-days').addEventListener('click', (event) => {
    const button = event.target.closest('button.slot');
    if (button) chooseSlot(button);
  });
  onClick('retry', openPage);
  onClick('keep-time', keepCurrentTime);
  onClick('reschedule', startReschedule);
  onClick('cancel', askToCancel);
  onClick('cancel-yes', cancelVisit);
  onClick('cancel-no', keepVisit);
  onClick('approve', () => answerQuote('approve'));
  onClick('decline', () => answerQuote('decline'));
}

function start() {
  wireEvents();
  if (!link) {
    showInvalidLink(TEXT.invalidLink);
    return;
  }
  setPageTitle(PAGE_TITLES[link.mode]);
  if (link.mode === 'book') byId('ics').href = link.calendar;
  openPage();
}

start();
