/*
 * tech-ui-history.js: one line of words for an action this phone
 * recorded (its kind's body, as the engine keeps it): what a note said,
 * which parts with which serials, the warranty decision, a quote's total,
 * a visit's outcome, the customer's answer at sign-off.  Pure.
 */

import { currencyOf, money, OUTCOME_LABELS, warrantyLabel } from './tech-format.js';

const partText = (p) => `${p.quantity} × ${p.sku || `part ${p.partId}`}${p.serial ? `, serial ${p.serial}` : ''}${p.faultySerial ? `, removed ${p.faultySerial}` : ''}`;

const FINDINGS = { liquid: 'liquid', impact: 'impact', tampered: 'tampered', performanceFault: 'performance fault' };
const findingsText = (f) => Object.keys(FINDINGS).filter((k) => f && f[k]).map((k) => FINDINGS[k]).join(', ') || 'no damage';

const DESCRIBE = {
  enRoute: () => '',
  arrive: () => '',
  note: (b) => b.text || '',
  partsUsed: (b) => (b.parts || []).map(partText).join('; '),
  warranty: (b) => `${warrantyLabel(b.outcome)} (${findingsText(b.findings)})`,
  quote: (b, job) => `${(b.lines || []).length} lines, ${money((b.lines || []).reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0), currencyOf(job))}`,
  outcome: (b) => [OUTCOME_LABELS[b.outcome] || b.outcome, b.notes].filter(Boolean).join(': '),
  quoteAnswer: (b) => `${b.approved ? 'Approved' : 'Declined'} by ${b.customerName}${b.reason ? `: ${b.reason}` : ''}`,
  signOff: (b) => (b.accepted
    ? `Accepted by ${b.customerName}, ${b.rating} of 5${b.comment ? `: ${b.comment}` : ''}`
    : `Rejected by ${b.customerName || 'the customer'}: ${b.rejectReason}`),
};

export function describe(action, job) {
  const f = DESCRIBE[action.kind];
  return f ? f(action.body || {}, job) : '';
}
