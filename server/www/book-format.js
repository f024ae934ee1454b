/*
 * book-format.js: formatting for fsd's customer page (book.html): counts,
 * durations, calendar dates, instants in the customer's time zone, and
 * money.  Pure functions over Intl; no DOM, no requests.
 */

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function formatDuration(minutes) {
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
export const CALENDAR_SHORT_DAY = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short',
});

export function calendarDay(date, format = CALENDAR_DAY) {
  return format.format(new Date(`${date}T12:00:00Z`));
}

/* "08:00" where the browser's clock runs to 24 hours, "8:00 AM" where it has AM and PM. */
function hourStyle() {
  const { hourCycle } = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions();
  return hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric';
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
export function makeClock(timeZone) {
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

/* The zone's name in words, "China Standard Time", else its IANA name. */
export function zoneWords(timeZone) {
  try {
    const parts = new Intl.DateTimeFormat(undefined, { timeZone, timeZoneName: 'long' }).formatToParts(new Date());
    const name = parts.find((p) => p.type === 'timeZoneName');
    return name ? name.value : timeZone;
  } catch {
    return timeZone;
  }
}

/* Minor units (cents) as money; the server's integers are only divided for display. */
export function moneyFormatter(currency) {
  let format;
  try {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  } catch {
    format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return (minor) => format.format(minor / 100);
}
