/*
 * tech-ui-warranty.js: the warranty decision of the technician's app
 * (tech.html).  The technician ticks what the unit shows (liquid, impact,
 * tampering, a performance fault); the screen says at once what the rule
 * gives and offers only that: a repair in warranty, a replacement unit,
 * or, out of warranty, a quote (tech-ui-quote.js, which takes the same
 * findings).
 *
 * The rule is the server's (server/rules/warranty.h), repeated here so
 * that the phone can say it offline: any customer-caused damage (liquid,
 * impact, tampering) is out of warranty; a unit sold without warranty is
 * out; with no purchase date only a dispatcher's override covers it (the
 * snapshot's expected warranty says whether there is one); a visit after
 * the period is out; a performance fault on days 0-60 after purchase
 * gets a replacement; otherwise the repair is in warranty.  The server
 * decides again when the action arrives and refuses one that disagrees
 * (warranty_mismatch), so the two must stay the same.
 */

import { h, button, check, errorLine, formTop, recordThenBack } from './tech-ui-kit.js';
import { unitCard } from './tech-job.js';

export const REPLACEMENT_DAYS = 60;

export const FINDINGS = [
  ['liquid', 'Liquid ingress'],
  ['impact', 'Impact or deformation'],
  ['tampered', 'Unauthorised repair or broken seal'],
  ['performanceFault', 'Performance fault (it fails at its job)'],
];
const DAMAGE_WORDS = { liquid: 'liquid ingress', impact: 'impact or deformation', tampered: 'unauthorised repair or broken seal' };

const DAY = 86400000;
const parseDate = (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s || '') ? Date.parse(`${s}T00:00:00Z`) : NaN);
const daysInMonth = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate(); /* m 1-12 */
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

/* The last covered day (ms, UTC midnight) of months from purchase date p;
 * the anniversary's day is clamped to a short month (warranty.h). */
export function periodEnd(p, months) {
  const [y, m, d] = p.split('-').map(Number);
  const total = m - 1 + months;
  const ay = y + Math.floor(total / 12);
  const am = (total % 12) + 1;
  return Date.UTC(ay, am - 1, Math.min(d, daysInMonth(ay, am))) - DAY;
}

/*
 * The rule: {purchaseDate, warrantyMonths, expected} of the job (expected
 * the snapshot's expectedWarranty, which carries a dispatcher's override),
 * visitDate "YYYY-MM-DD" (UTC, as the server takes it) and findings →
 * {outcome: 'in_warranty' | 'replacement' | 'out_of_warranty', reason}.
 */
export function warrantyRule({ purchaseDate, warrantyMonths, expected, visitDate, findings }) {
  const damage = Object.keys(DAMAGE_WORDS).filter((k) => findings[k]);
  if (damage.length) return { outcome: 'out_of_warranty', reason: `customer-caused damage: ${damage.map((k) => DAMAGE_WORDS[k]).join(', ')}` };
  if (warrantyMonths === 0) return { outcome: 'out_of_warranty', reason: 'the unit was sold without warranty' };
  const bought = parseDate(purchaseDate);
  if (Number.isNaN(bought)) {
    return expected === 'in_warranty'
      ? { outcome: 'in_warranty', reason: 'purchase date unknown; covered by the dispatcher' }
      : { outcome: 'out_of_warranty', reason: 'purchase date unknown' };
  }
  const end = periodEnd(purchaseDate, warrantyMonths);
  const visit = parseDate(visitDate);
  if (visit > end) return { outcome: 'out_of_warranty', reason: `warranty ended on ${iso(end)}` };
  const day = Math.round((visit - bought) / DAY);
  if (findings.performanceFault && day <= REPLACEMENT_DAYS)
    return { outcome: 'replacement', reason: `performance fault on day ${day} after purchase, within ${REPLACEMENT_DAYS}` };
  return { outcome: 'in_warranty', reason: `in warranty until ${iso(end)}` };
}

/* The rule for job today with findings. */
export function ruleFor(job, findings) {
  const a = job.asset || {};
  return warrantyRule({
    purchaseDate: a.purchaseDate, warrantyMonths: a.warrantyMonths ?? 12,
    expected: job.expectedWarranty, visitDate: new Date().toISOString().slice(0, 10), findings,
  });
}

/* Findings ticked on this screen, kept for the quote (and a reload). */
const draftKey = (jobId) => `fsd-tech-findings-${jobId}`;
export function findingsDraft(jobId) {
  try {
    return JSON.parse(sessionStorage.getItem(draftKey(jobId))) || {};
  } catch {
    return {};
  }
}
const keepDraft = (jobId, findings) => sessionStorage.setItem(draftKey(jobId), JSON.stringify(findings));

/* The findings' checkboxes: {el, read()}; onchange after every tick. */
export function findingsFieldset(initial, onchange) {
  const boxes = FINDINGS.map(([key, label]) => [key, check(label, { id: `finding-${key}`, checked: !!initial[key] })]);
  const el = h('fieldset', { class: 'card findings' },
    h('legend', { text: 'What the unit shows' }),
    boxes.map(([, c]) => c.row));
  const read = () => Object.fromEntries(boxes.map(([key, c]) => [key, c.input.checked]));
  el.addEventListener('change', () => onchange(read()));
  return { el, read };
}

const SAY = {
  in_warranty: 'In warranty: repair at no charge',
  replacement: 'Replacement unit: swap the unit at no charge',
  out_of_warranty: 'Out of warranty: make a quote',
};

export function renderWarranty(ctx) {
  const { job } = ctx;
  const decision = h('div', { id: 'warranty-decision', class: 'decision', role: 'status', 'aria-live': 'polite' });
  const error = errorLine('warranty-error');
  const dock = h('div', { class: 'dock-row' });
  let findings = { liquid: false, impact: false, tampered: false, performanceFault: false, ...findingsDraft(job.id) };

  const record = (outcome, label) => {
    const b = button(label, () => recordThenBack(ctx, b, error, 'warranty', { outcome, findings }),
      { kind: 'primary', id: 'warranty-save' });
    return b;
  };
  const update = (now) => {
    findings = now;
    keepDraft(job.id, findings);
    const rule = ruleFor(job, findings);
    decision.dataset.outcome = rule.outcome;
    decision.replaceChildren(h('strong', { text: SAY[rule.outcome] }), h('span', { text: `Because ${rule.reason}.` }));
    dock.replaceChildren(rule.outcome === 'in_warranty' ? record('IN_WARRANTY', 'Record: repair in warranty')
      : rule.outcome === 'replacement' ? record('REPLACEMENT', 'Record: replace the unit')
        : button('Make a quote', () => ctx.go(`/job/${job.id}/quote`), { kind: 'primary', id: 'warranty-quote' }));
  };
  const set = findingsFieldset(findings, update);
  update(findings);
  return {
    title: 'Warranty',
    body: [
      ...formTop(job, 'Warranty decision'),
      unitCard(job),
      set.el, decision, error,
    ],
    dock: [dock],
  };
}
