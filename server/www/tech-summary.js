/*
 * tech-summary.js: the summary a customer signs on the technician's phone
 * (SignOff.summary, proto/PROTOCOL.md section 7): what was done, the
 * parts fitted with their serials, the labour, the call-out fee, the
 * warranty and the total due, in the job's currency.
 *
 * The bytes the customer signs are UTF-8 JSON text of one object whose
 * keys come in a fixed order (JSON.stringify keeps the order they were
 * set in), amounts integers in minor units:
 *   job_id, customer_name, work, parts_used [{sku, name, quantity,
 *   serial, unit_price_minor}], labour [{description, quantity,
 *   unit_price_minor}], callout_minor, warranty, currency, total_minor.
 * The screen shows that same object (tech-signoff.js) and the hash of
 * those bytes; the server keeps both.  Charges are the server's
 * (server/store/store_signoff.c): only out of warranty, the parts used at
 * their list price, the labour recorded and the call-out fee (the one
 * accepted at booking, else the approved quote's); in or under a
 * replacement warranty every price shown and the total are 0.  Pure: no
 * DOM.
 */

import { currencyOf } from './tech-format.js';
import { predictWarranty } from './tech-actions.js';

const live = (actions, kind) => actions.filter((a) => a.kind === kind && a.state !== 'REJECTED');

/* The parts used on the job: what this phone recorded, else the
 * snapshot's parts marked used (their serials unknown here). */
export function partsUsedOf(job, actions) {
  const byId = new Map((job.parts || []).map((p) => [p.partId, p]));
  const recorded = live(actions, 'partsUsed').flatMap((a) => a.body.parts || [])
    .concat(live(actions, 'outcome').flatMap((a) => a.body.parts || []));
  const list = recorded.length ? recorded
    : (job.parts || []).filter((p) => p.state === 'used').map((p) => ({ partId: p.partId, sku: p.sku, quantity: p.quantity, serial: '' }));
  return list.map((p) => {
    const part = byId.get(p.partId) || {};
    return {
      sku: p.sku || part.sku || '', name: part.name || '', quantity: p.quantity,
      serial: p.serial || '', unit_price_minor: Number(part.priceMinor || 0),
    };
  });
}

/* The last outcome this phone recorded on the job (null: none). */
const lastOutcome = (actions) => live(actions, 'outcome').pop() || null;

/* The call-out fee: the one accepted at booking, else the approved
 * quote's call-out lines. */
function calloutOf(job) {
  if (job.calloutMinor) return Number(job.calloutMinor);
  const q = job.quote;
  if (!q || q.status !== 'approved') return 0;
  return (q.lines || []).filter((l) => l.kind === 'CALLOUT').reduce((s, l) => s + l.quantity * Number(l.unitPriceMinor), 0);
}

/* The summary object of job for customerName, keys in the signed order. */
export function buildSummary(job, actions, customerName) {
  const outcome = lastOutcome(actions);
  const warranty = predictWarranty(job, actions);
  const charged = warranty === 'out_of_warranty';
  /* under warranty nothing is charged: every price the customer sees is 0 */
  const price = (minor) => (charged ? Number(minor || 0) : 0);
  const parts = partsUsedOf(job, actions).map((p) => ({ ...p, unit_price_minor: price(p.unit_price_minor) }));
  const labour = ((outcome && outcome.body.labour) || []).map((l) => ({
    description: l.description, quantity: l.quantity, unit_price_minor: price(l.unitPriceMinor),
  }));
  const callout = charged ? calloutOf(job) : 0;
  const due = (lines) => lines.reduce((s, l) => s + l.quantity * l.unit_price_minor, 0);
  return {
    job_id: Number(job.id),
    customer_name: customerName,
    work: (outcome && outcome.body.notes) || job.fault || '',
    parts_used: parts,
    labour,
    callout_minor: callout,
    warranty,
    currency: currencyOf(job),
    total_minor: charged ? due(parts) + due(labour) + callout : 0,
  };
}

/* The bytes the customer signs. */
export const summaryBytes = (summary) => new TextEncoder().encode(JSON.stringify(summary));

/* Lowercase hex of bytes. */
export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
