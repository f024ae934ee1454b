/*
 * app-stage.js: what the desk can do next with a job, in the drawer's
 * "Next steps" section, and the invoice with its payment.  Each step is
 * a small form (a date, a reason, the customer's acceptance of the
 * call-out fee) that becomes one lifecycle event; events recorded for the
 * customer say so (on_behalf_of) with the reason the desk gives.  Which
 * steps a state offers follows the job state machine (docs/DOMAIN.md
 * "Job stages"); the server decides, and its refusal is shown as it comes.
 * The invoice prints on its own (app.css's print rules), from its button.
 * Pure builders: the drawer (app-drawer.js) wires the buttons.
 */

import { h, facts } from './app-dom.js';
import { dateTime, statusLabel } from './app-format.js';
import { linesTable } from './app-record.js';

const DESK = ['dispatcher', 'manager', 'admin'];
const MANAGER = ['manager', 'admin'];

/* A step: the event, its button, the fields it asks for, who may take it. */
const step = (event, label, fields = [], roles = DESK, extra = {}) => ({ event, label, fields, roles, ...extra });
const BOOK = step('book', 'Book as planned', ['accept_callout']);
const BACK_ORDER = step('parts_missing', 'Record back order', ['expected_on']);
const CANCEL = step('cancel', 'Cancel job', ['reason'], DESK, { danger: true });
const RESCHEDULE = step('reschedule', 'Offer new times', ['reason']);
const FOR_CUSTOMER = { on_behalf_of: 'customer' };

const REVISE = step('issue_quote', 'Revise the quote', ['reason', 'lines'], MANAGER);

const STEPS = {
  new: [BOOK, BACK_ORDER, CANCEL],
  slots_offered: [BOOK, BACK_ORDER, CANCEL],
  follow_up_needed: [BOOK, BACK_ORDER, CANCEL],
  booked: [BACK_ORDER, RESCHEDULE, CANCEL],
  awaiting_parts: [step('parts_reserved', 'Reserve parts now'), RESCHEDULE, CANCEL],
  parts_reserved: [BACK_ORDER, RESCHEDULE, CANCEL],
  assigned: [RESCHEDULE, CANCEL],
  quoted: [
    step('approve_quote', 'Customer approves the quote', ['reason'], DESK, FOR_CUSTOMER),
    step('decline_quote', 'Customer declines the quote', ['reason'], DESK, FOR_CUSTOMER),
    REVISE,
  ],
  quote_declined: [step('return_unrepaired', 'Return unrepaired', ['reason']), REVISE],
  quote_expired: [step('return_unrepaired', 'Return unrepaired', ['reason'])],
  signed_off: [step('review', 'Review the work', [], MANAGER)],
  reviewed: [step('close', 'Close the job', [], MANAGER)],
  returned_unrepaired: [step('close', 'Close the job', [], MANAGER)],
};

/* One editable quote line: kind, description, quantity, unit price. */
function lineRow(id, i, line) {
  const kind = h('select', { name: `kind:${i}`, 'aria-label': `Line ${i + 1} kind` },
    ['part', 'labour', 'callout'].map((k) => h('option', { value: k, selected: line && line.kind === k }, k)));
  return h('div', { class: 'quote-line' }, kind,
    h('input', { name: `description:${i}`, value: line ? line.description : '', maxlength: '200', placeholder: 'Description', 'aria-label': `Line ${i + 1} description` }),
    h('input', { name: `quantity:${i}`, type: 'number', min: '1', max: '10000', value: line ? String(line.quantity) : '1', 'aria-label': `Line ${i + 1} quantity` }),
    h('input', { name: `price:${i}`, type: 'number', min: '0', step: '0.01', value: line ? (line.unit_price_minor / 100).toFixed(2) : '', 'aria-label': `Line ${i + 1} unit price` }),
    line && line.part_id ? h('input', { type: 'hidden', name: `part_id:${i}`, value: String(line.part_id) }) : null);
}

const FIELD = {
  expected_on: (id) => h('label', null, 'Parts expected on ',
    h('input', { type: 'date', name: 'expected_on', id: `${id}-expected_on`, required: true })),
  reason: (id, s) => h('label', null, s.on_behalf_of ? 'How the customer answered ' : 'Reason ',
    h('input', { name: 'reason', id: `${id}-reason`, maxlength: '500', required: s.event !== 'reschedule' })),
  lines: (id, s, quote) => h('div', { class: 'quote-lines' },
    [...((quote && quote.lines) || []), null].map((line, i) => lineRow(id, i, line))),
  accept_callout: (id) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'accept_callout', id: `${id}-accept_callout` }),
    ' The customer accepted the call-out fee (out of warranty)'),
};

function stepForm(s, index, quote) {
  const id = `stage-${index}`;
  return h('form', { class: 'stage-step', dataset: { event: s.event, behalf: s.on_behalf_of || '' } },
    s.fields.map((f) => FIELD[f](id, s, quote)),
    h('button', { type: 'submit', class: `button ${s.danger ? 'danger' : 'primary'} stage-go` }, s.label));
}

/* The steps this user may take now, or null when there are none; quote:
 * the job's live quote, which a revision starts from. */
export function stageSection(job, role, quote) {
  const steps = (STEPS[job.status] || []).filter((s) => s.roles.includes(role));
  if (!steps.length) return null;
  return h('section', { class: 'drawer-section stage' },
    h('h3', null, 'Next steps'),
    h('p', { class: 'muted' }, `The job is ${statusLabel(job.status).toLowerCase()}.`),
    steps.map((s, i) => stepForm(s, i, quote)));
}

/* The quote lines of a revision's form: rows with a description. */
function formLines(data) {
  const lines = [];
  for (let i = 0; data.has(`kind:${i}`); i++) {
    if (!data.get(`description:${i}`)) continue;
    const line = {
      kind: data.get(`kind:${i}`), description: data.get(`description:${i}`),
      quantity: Number(data.get(`quantity:${i}`)), unit_price_minor: Math.round(Number(data.get(`price:${i}`)) * 100),
    };
    if (data.get(`part_id:${i}`)) line.part_id = Number(data.get(`part_id:${i}`));
    lines.push(line);
  }
  return lines;
}

/* The event body a step's form makes. */
export function stageBody(form, version) {
  const body = { event: form.dataset.event, version };
  const data = new FormData(form);
  const LINE = /^(kind|description|quantity|price|part_id):\d+$/;
  for (const [key, value] of data) {
    if (key !== 'accept_callout' && !LINE.test(key) && value !== '') body[key] = value;
  }
  if (data.has('kind:0')) body.lines = formLines(data);
  if (data.has('accept_callout')) body.accept_callout = true;
  if (form.dataset.behalf) body.on_behalf_of = form.dataset.behalf;
  return body;
}

/* The invoice: its lines, totals, and the payment (recorded here). */
export function invoiceSection(invoice, jobId, customerName) {
  if (!invoice) return null;
  const paid = Boolean(invoice.paid_at);
  return h('section', { class: 'drawer-section invoice' },
    h('h3', null, 'Invoice'),
    h('p', { class: 'invoice-for' }, `Job #${jobId}${customerName ? ` · ${customerName}` : ''}`),
    linesTable(invoice.lines, invoice.total_minor, 'invoice-total'),
    facts([
      ['Issued', dateTime(invoice.issued_at)],
      ['Payment', paid ? `Paid ${dateTime(invoice.paid_at)}${invoice.payment_reference ? ` · ${invoice.payment_reference}` : ''}` : 'Unpaid'],
    ]),
    paid ? null : h('form', { class: 'stage-pay', dataset: { job: jobId } },
      h('label', null, 'Payment reference ', h('input', { name: 'reference', maxlength: '200' })),
      h('button', { type: 'submit', class: 'button primary' }, 'Record payment')),
    h('button', { type: 'button', class: 'button print-invoice' }, 'Print invoice'));
}
