/*
 * tech-ui-kit.js: the pieces every screen of the technician's app
 * (tech.html) is built from: cards, labelled fields, big buttons, check
 * rows, a form's error line, and an editor of priced lines (a quote's and
 * a visit's labour) that keeps its sum.  The element builder is the
 * desk's (app-dom.js); no device, no routing.  Under the strict CSP
 * nothing here sets a style attribute or uses innerHTML.
 */

import { h, fill, byId, facts } from './app-dom.js';
import { money, moneyInput, parseMoney, errorText, quoteStatusLabel, dateTimeIn } from './tech-format.js';

export { h, fill, byId, facts };

let fieldSeq = 0;
const nextId = (stem) => `${stem}-${++fieldSeq}`;

/* A card: a heading and its content. */
export const card = (title, ...children) =>
  h('section', { class: 'card' }, title ? h('h2', { text: title }) : null, ...children);

/* A big button; kind 'primary', 'secondary', 'danger' or 'quiet'. */
export function button(text, onclick, { kind = 'secondary', id, type = 'button', ...attrs } = {}) {
  return h('button', { type, id, class: `button ${kind}`, onclick, ...attrs }, text);
}

/* A label above its control (an input, textarea or select, or an
 * element holding one, which the label names); the control is given an
 * id when it has none.  hint is a short line under the label. */
export function field(label, control, hint) {
  const named = control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea');
  if (!named.id) named.id = nextId('f');
  return h('div', { class: 'field' },
    h('label', { for: named.id, text: label }),
    hint ? h('p', { class: 'hint', text: hint }) : null,
    control);
}

/* A checkbox row the size of a thumb. */
export function check(label, attrs = {}) {
  const input = h('input', { type: 'checkbox', ...attrs });
  return { input, row: h('label', { class: 'check' }, input, h('span', { text: label })) };
}

/* A radio row; name groups them. */
export function radio(name, value, label, attrs = {}) {
  const input = h('input', { type: 'radio', name, value, ...attrs });
  return h('label', { class: 'check' }, input, h('span', { text: label }));
}

/* The error line of a form: say(text) shows it, say('') hides it. */
export function errorLine(id) {
  const el = h('p', { id, class: 'form-error', role: 'alert', hidden: true });
  el.say = (text) => {
    el.textContent = text || '';
    el.hidden = !text;
    if (text) el.scrollIntoView({ block: 'nearest' });
  };
  return el;
}

/* A screen's top: the way back (an address), its heading, which gets
 * the focus when the screen opens, and a line under it (text or nodes). */
export function top(title, { back, backText = '‹ Job', sub } = {}) {
  return [
    back ? h('p', { class: 'back' }, h('a', { href: back, text: backText })) : null,
    h('h1', { tabindex: -1, text: title }),
    sub ? h('p', { class: 'sub' }, sub) : null,
  ];
}

/* The top of a form of job: back to the job, the customer under it. */
export const formTop = (job, title) =>
  top(title, { back: `#/job/${job.id}`, sub: (job.customer && job.customer.name) || `Job ${job.id}` });

/* Run work (recording an action) with btn disabled; a failure is said
 * on error and btn is given back. */
export async function saving(btn, error, work) {
  btn.disabled = true;
  try {
    await work();
  } catch (e) {
    console.error(e);
    error.say(errorText(e));
    btn.disabled = false;
  }
}

/* A form's end: record the action kind with body, then back to the job;
 * a failure is said on error. */
export const recordThenBack = (ctx, btn, error, kind, body) => saving(btn, error, async () => {
  await ctx.record(kind, body);
  ctx.done();
});

/* A text input for an amount of money. */
export const moneyBox = (minor, currency, attrs = {}) =>
  h('input', { inputmode: 'decimal', autocomplete: 'off', value: minor === '' ? '' : moneyInput(minor, currency), ...attrs });

/* A whole-number input. */
export const countBox = (value, attrs = {}) =>
  h('input', { type: 'number', inputmode: 'numeric', min: 0, step: 1, value, ...attrs });

/* The bytes of a string as UTF-8 (the protocol's limits are bytes). */
export const byteLength = (text) => new TextEncoder().encode(text).length;

/*
 * An editor of priced lines: rows of description, quantity and unit
 * price, with a remove button and an "add" button.  kinds, when given,
 * is [[value, label]…] for a kind selector per row; maxQuantity the
 * largest quantity a line takes.  onchange() runs after every edit.  read() gives {lines, error}: lines as
 * {kind, description, quantity, unitPriceMinor, partId}, error a sentence
 * naming the first bad row.
 */
export function lineEditor({ currency, lines, kinds, addLabel, maxQuantity = 10000, onchange = () => {} }) {
  const list = h('ol', { class: 'lines' });
  const rowOf = (line) => {
    const kind = kinds ? h('select', { 'aria-label': 'Kind' },
      kinds.map(([value, text]) => h('option', { value, selected: value === line.kind, text }))) : null;
    const description = h('input', { value: line.description || '', maxlength: 200, autocomplete: 'off', class: 'line-desc' });
    const quantity = countBox(line.quantity ?? 1, { min: 1, class: 'line-qty' });
    const price = moneyBox(line.unitPriceMinor ?? 0, currency, { class: 'line-price' });
    const li = h('li', { class: 'line' },
      kind ? field('Kind', kind) : null,
      field('Description', description),
      h('div', { class: 'row' }, field('Quantity', quantity), field('Unit price', price)),
      button('Remove', () => { li.remove(); onchange(); }, { kind: 'quiet small', 'aria-label': `Remove ${line.description || 'this line'}` }));
    li.read = () => ({
      kind: kind ? kind.value : line.kind, partId: line.partId || 0,
      description: description.value.trim(), quantity: Number(quantity.value),
      unitPriceMinor: parseMoney(price.value, currency),
    });
    li.addEventListener('input', onchange);
    return li;
  };
  for (const line of lines) list.append(rowOf(line));
  const add = button(addLabel, () => {
    const li = rowOf({ kind: kinds ? kinds[0][0] : undefined, description: '', quantity: 1, unitPriceMinor: '' });
    list.append(li);
    li.querySelector('input').focus();
    onchange();
  }, { kind: 'secondary small' });
  const el = h('div', { class: 'line-editor' }, list, add);
  el.read = () => {
    const read = [...list.children].map((li) => li.read());
    const at = read.findIndex((l) => !l.description || byteLength(l.description) > 200 ||
      !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > maxQuantity || !Number.isFinite(l.unitPriceMinor));
    if (at < 0) return { lines: read, error: '' };
    const l = read[at];
    const why = !l.description ? 'needs a description'
      : byteLength(l.description) > 200 ? 'has a description longer than 200 bytes'
        : !Number.isFinite(l.unitPriceMinor) ? `has a unit price that is not an amount (like ${moneyInput(15000, currency)})`
          : `needs a quantity from 1 to ${maxQuantity}`;
    return { lines: read, error: `Line ${at + 1} ${why}.` };
  };
  return el;
}

/* The sum of priced lines in minor units (bad lines count 0). */
export const linesTotal = (lines) =>
  lines.reduce((sum, l) => sum + (Number.isFinite(l.unitPriceMinor) && l.quantity > 0 ? l.quantity * l.unitPriceMinor : 0), 0);

/* A quote as the customer reads it: where it stands, its lines and its
 * total, in currency; times in zone. */
export function quoteView(q, currency, zone) {
  return h('div', { class: 'quote-view' },
    h('p', null, h('span', { class: 'badge', id: 'quote-status', text: quoteStatusLabel(q.status) }),
      q.expiresAt && q.status === 'pending' ? ` until ${dateTimeIn(zone, q.expiresAt)}` : ''),
    h('ul', { class: 'plain' }, (q.lines || []).map((l) =>
      h('li', { text: `${l.quantity} × ${l.description}: ${money(l.quantity * l.unitPriceMinor, currency)}` }))),
    h('p', { class: 'lead', id: 'quote-total', text: `Total ${money(q.totalMinor, currency)}` }));
}

/* A table of totals: [[label, minor]…], the last one the total. */
export function totalsTable(rows, currency, id) {
  return h('table', { class: 'totals', id },
    h('tbody', null, rows.map(([label, minor], i) =>
      h('tr', { class: i === rows.length - 1 ? 'total' : null },
        h('th', { scope: 'row', text: label }),
        h('td', { class: 'num', text: money(minor, currency) })))));
}
