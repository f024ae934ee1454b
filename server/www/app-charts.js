/*
 * app-charts.js: the small drawing kit of fsd's dispatcher pages
 * (technicians, reports): an element builder, day arithmetic on
 * YYYY-MM-DD strings, number formats, and SVG charts (horizontal bars with
 * one or more series, a rate gauge, a line over the days of a period) with
 * the data table that goes with each.
 *
 * Every chart is an <svg role="img"> in a fixed viewBox that scales to its
 * container; its <title> names it and its <desc> reads out every number.
 * Colours come from classes styled in app-pages.css, never from style
 * attributes, so the charts obey the page's strict CSP and its dark scheme.
 * Text only ever goes in through textContent.  Nothing here fetches.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 360;        /* viewBox width; text is drawn at 12 units */
const CHAR_W = 6.6;       /* rough width of one character at that size */
let lastId = 0;

/* ---------- Elements ---------- */

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/* An HTML element: attributes (false/null skipped), then text or node children. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/* ---------- Days ---------- */

const DAY_MS = 86400000;

/* The local calendar day of a Date as YYYY-MM-DD. */
export function isoDay(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/* YYYY-MM-DD moved by a whole number of days. */
export function addDays(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/* Whole days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const dayFormats = [false, true].map((year) => new Intl.DateTimeFormat(undefined,
  { day: 'numeric', month: 'short', year: year ? 'numeric' : undefined, timeZone: 'UTC' }));

/* "25 Oct" (or "25 Oct 2026" with the year) for "2026-10-25". */
export function shortDay(day, withYear = false) {
  return dayFormats[Number(withYear)].format(new Date(`${day}T00:00:00Z`));
}

/* ---------- Numbers ---------- */

export const NO_DATA = 'no data yet';

export function formatNumber(value) {
  return value === null || value === undefined ? NO_DATA : Number(value).toLocaleString();
}

/* "83 %" for 0.83; null (nothing measured) reads "no data yet". */
export function formatRate(rate) {
  return rate === null || rate === undefined ? NO_DATA : `${Math.round(rate * 100)} %`;
}

/* "83 % (10 of 12)" for a {met, total, rate} ratio. */
export function formatRatio(ratio) {
  if (!ratio || ratio.rate === null || ratio.rate === undefined) return NO_DATA;
  return `${formatRate(ratio.rate)} (${ratio.met} of ${ratio.total})`;
}

function clip(text, width) {
  const max = Math.max(3, Math.floor(width / CHAR_W));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/* ---------- Frame ---------- */

/* An accessible, scalable <svg> named by `title` and described by `desc`. */
function frame(title, desc, height) {
  const id = `rp-chart-${++lastId}`;
  return svg('svg', {
    class: 'rp-svg', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img',
    'aria-labelledby': `${id}-t`, 'aria-describedby': `${id}-d`,
  }, svg('title', { id: `${id}-t` }, title), svg('desc', { id: `${id}-d` }, desc));
}

/* What a chart shows when there is nothing to draw. */
function emptyChart(title, note) {
  const out = frame(title, note, 60);
  out.append(svg('text', { class: 'rp-empty', x: WIDTH / 2, y: 34, 'text-anchor': 'middle' }, note));
  return out;
}

function legend(names, y) {
  const group = svg('g', { class: 'rp-legend', 'aria-hidden': 'true' });
  let x = 0;
  names.forEach((name, i) => {
    group.append(svg('rect', { class: `rp-s${i}`, x, y: y - 9, width: 10, height: 10, rx: 2 }),
      svg('text', { class: 'rp-label', x: x + 14, y }, name));
    x += 24 + name.length * CHAR_W;
  });
  return group;
}

/* ---------- Horizontal bars ---------- */

/*
 * One row per category, one bar per series in each row, the value written
 * after the bar.
 *   categories  labels, top to bottom
 *   series      [{ name, values: [number|null per category] }]; two or more get a legend
 *   max         the scale's end (default: the largest value)
 *   track       draw the whole scale behind each bar (for rates)
 *   format      (value, category index, series index) -> text
 *   empty       the note when there are no categories
 * A null value draws no bar and its text reads "no data yet".
 */
export function barChart({ title, categories, series, max, track = false,
  format = formatNumber, empty = NO_DATA }) {
  if (!categories.length) return emptyChart(title, empty);
  const text = (ci, si) => format(series[si].values[ci], ci, si);
  const many = series.length > 1;
  const desc = categories.map((category, ci) => `${category}: ${series.map((s, si) =>
    (many ? `${s.name} ` : '') + text(ci, si)).join(', ')}`).join('; ');

  const BAR = 14, GAP = 3, PAD = 8;
  const labelW = Math.min(130, 8 + CHAR_W * Math.max(...categories.map((c) => c.length)));
  let valueW = 0;
  categories.forEach((_, ci) => series.forEach((_, si) => {
    valueW = Math.max(valueW, text(ci, si).length * CHAR_W + 8);
  }));
  valueW = Math.min(valueW, 140);
  const plotW = WIDTH - labelW - valueW;
  const top = many ? 22 : 0;
  const rowH = series.length * (BAR + GAP) - GAP + 2 * PAD;
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  const end = max || Math.max(1, ...values);
  const out = frame(title, desc, top + rowH * categories.length);
  if (many) out.append(legend(series.map((s) => s.name), 12));

  categories.forEach((category, ci) => {
    const y0 = top + ci * rowH;
    const row = svg('g', { class: 'rp-row' },
      svg('text', { class: 'rp-label', x: labelW - 8, y: y0 + rowH / 2 + 4, 'text-anchor': 'end' },
        svg('title', {}, category), clip(category, labelW - 8)));
    series.forEach((s, si) => {
      const value = s.values[ci];
      const y = y0 + PAD + si * (BAR + GAP);
      const w = value === null || value === undefined ? 0 : Math.min(1, value / end) * plotW;
      if (track) row.append(svg('rect', { class: 'rp-track', x: labelW, y, width: plotW, height: BAR, rx: 2 }));
      if (w > 0) {
        row.append(svg('rect', { class: `rp-bar rp-s${si}`, x: labelW, y, width: w.toFixed(1), height: BAR, rx: 2 },
          svg('title', {}, `${category}${many ? ` (${s.name})` : ''}: ${text(ci, si)}`)));
      }
      const x = labelW + (track ? plotW : w) + 4;
      row.append(svg('text', { class: 'rp-value', x: x.toFixed(1), y: y + BAR - 3 }, text(ci, si)));
    });
    out.append(row);
  });
  return out;
}

/* ---------- Gauge ---------- */

/* A ring filled to `rate` (0..1), the percentage inside and `detail` under it. */
export function gauge({ title, rate, detail }) {
  const known = rate !== null && rate !== undefined;
  const out = frame(title, known ? `${formatRate(rate)}, ${detail}` : NO_DATA, 150);
  const cx = WIDTH / 2, cy = 64, r = 48;
  const length = 2 * Math.PI * r;
  out.append(svg('circle', { class: 'rp-ring-track', cx, cy, r }));
  if (known && rate > 0) {
    out.append(svg('circle', {
      class: 'rp-ring', cx, cy, r, transform: `rotate(-90 ${cx} ${cy})`,
      'stroke-dasharray': `${(Math.min(1, rate) * length).toFixed(2)} ${length.toFixed(2)}`,
    }));
  }
  out.append(svg('text', { class: 'rp-big', x: cx, y: cy + 8, 'text-anchor': 'middle' }, known ? formatRate(rate) : '—'),
    svg('text', { class: 'rp-label', x: cx, y: 142, 'text-anchor': 'middle' }, known ? detail : NO_DATA));
  return out;
}

/* ---------- Line over days ---------- */

/*
 * A line through points over the days of a period.
 *   from, to    the period (YYYY-MM-DD); x runs over every day of it
 *   points      [{ day, value, note }] in any order; days without a point are skipped
 *   min, max    the value axis, with a grid line at each whole number
 *   format      value -> text
 */
export function lineChart({ title, from, to, points, min, max, format = formatNumber, empty = NO_DATA }) {
  const inside = points.filter((p) => p.value !== null && p.value !== undefined &&
    daysBetween(from, p.day) >= 0 && daysBetween(p.day, to) >= 0)
    .sort((a, b) => a.day.localeCompare(b.day));
  if (!inside.length) return emptyChart(title, empty);
  const describe = (p) => `${shortDay(p.day)}: ${format(p.value)}${p.note ? ` (${p.note})` : ''}`;
  const H = 180, L = 28, R = 14, T = 10, B = 26;
  const days = Math.max(1, daysBetween(from, to));
  const xOf = (day) => L + (daysBetween(from, day) / days) * (WIDTH - L - R);
  const yOf = (v) => T + (1 - (Math.min(max, Math.max(min, v)) - min) / (max - min)) * (H - T - B);
  const out = frame(title, inside.map(describe).join('; '), H);

  const grid = svg('g', { class: 'rp-axes', 'aria-hidden': 'true' });
  for (let v = Math.ceil(min); v <= max; v += 1) {
    grid.append(svg('line', { x1: L, x2: WIDTH - R, y1: yOf(v), y2: yOf(v) }),
      svg('text', { class: 'rp-label', x: L - 6, y: yOf(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  const ticks = [...new Set([from, addDays(from, Math.round(days / 2)), to])];
  ticks.forEach((day, i) => {
    const anchor = i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
    grid.append(svg('text', { class: 'rp-label', x: xOf(day), y: H - 8, 'text-anchor': anchor }, shortDay(day)));
  });
  out.append(grid);

  const path = inside.map((p, i) => `${i ? 'L' : 'M'}${xOf(p.day).toFixed(1)} ${yOf(p.value).toFixed(1)}`);
  out.append(svg('path', { class: 'rp-line', d: path.join(' ') }));
  for (const p of inside) {
    out.append(svg('circle', { class: 'rp-dot', cx: xOf(p.day).toFixed(1), cy: yOf(p.value).toFixed(1), r: 3.5 },
      svg('title', {}, describe(p))));
  }
  return out;
}

/* ---------- Numbers as a table ---------- */

/* A plain table of a chart's numbers: headers, then rows of cell texts. */
export function dataTable(caption, headers, rows) {
  return el('table', { class: 'rp-table' },
    el('caption', { class: 'rp-sr' }, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((row) => el('tr', {},
      row.map((cell, i) => (i === 0 ? el('th', { scope: 'row' }, cell) : el('td', {}, cell)))))));
}
