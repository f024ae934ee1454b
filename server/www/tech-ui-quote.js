/*
 * tech-ui-quote.js: the quote form of the technician's app (tech.html),
 * for a unit out of warranty: the findings that put it out (from the
 * warranty screen), then one quote of priced lines: the parts reserved
 * for the job at their list price, the labour, and the call-out fee the
 * customer accepted when booking; live totals in the job's currency.
 * There is one quote per job: a revision needs a supervisor, so the form
 * says so before it is issued.  The reserved parts' lines name no
 * catalogue part (partId 0): they are the job's already, and a named part
 * would be reserved once more when the customer approves.
 */

import { h, button, errorLine, lineEditor, linesTotal, totalsTable, card, formTop, recordThenBack } from './tech-ui-kit.js';
import { currencyOf } from './tech-format.js';
import { findingsDraft, findingsFieldset, ruleFor } from './tech-ui-warranty.js';

const KINDS = [['PART', 'Part'], ['LABOUR', 'Labour'], ['CALLOUT', 'Call-out']];
const LINES_MAX = 100;

function firstLines(job) {
  const parts = (job.parts || []).filter((p) => p.state !== 'used').map((p) => ({
    kind: 'PART', description: `${p.name || p.sku} (${p.sku})`, quantity: p.quantity, unitPriceMinor: p.priceMinor ?? '', partId: 0,
  }));
  const labour = { kind: 'LABOUR', description: 'Labour, hours', quantity: 1, unitPriceMinor: '' };
  const callout = job.calloutMinor ? [{ kind: 'CALLOUT', description: 'Call-out fee', quantity: 1, unitPriceMinor: job.calloutMinor }] : [];
  return [...parts, labour, ...callout];
}

export function renderQuote(ctx) {
  const { job } = ctx;
  const currency = currencyOf(job);
  const error = errorLine('quote-error');
  const totals = h('div', { id: 'quote-totals' });
  const ruling = h('p', { id: 'quote-rule', class: 'notice', role: 'status' });
  let findings = { liquid: false, impact: false, tampered: false, performanceFault: false, ...findingsDraft(job.id) };

  const sums = (lines) => {
    const of = (kind) => linesTotal(lines.filter((l) => l.kind === kind));
    return [['Parts', of('PART')], ['Labour', of('LABOUR')], ['Call-out', of('CALLOUT')], ['Total', linesTotal(lines)]];
  };
  const editor = lineEditor({
    currency, kinds: KINDS, lines: firstLines(job), addLabel: 'Add a line',
    onchange: () => totals.replaceChildren(totalsTable(sums(editor.read().lines), currency, 'quote-sum')),
  });
  const judge = (now) => {
    findings = now;
    const rule = ruleFor(job, findings);
    ruling.dataset.outcome = rule.outcome;
    ruling.textContent = rule.outcome === 'out_of_warranty'
      ? `Out of warranty: ${rule.reason}.`
      : `With these findings the unit is in warranty (${rule.reason}): record the warranty decision instead.`;
  };
  const set = findingsFieldset(findings, judge);
  judge(findings);
  totals.replaceChildren(totalsTable(sums(editor.read().lines), currency, 'quote-sum'));

  const save = button('Issue the quote', async () => {
    const { lines, error: wrong } = editor.read();
    if (ruleFor(job, findings).outcome !== 'out_of_warranty') return error.say('The unit is in warranty with these findings: no quote.');
    if (!lines.length || lines.length > LINES_MAX) return error.say(`A quote has 1 to ${LINES_MAX} lines.`);
    if (wrong) return error.say(wrong);
    await recordThenBack(ctx, save, error, 'quote', {
      findings,
      lines: lines.map(({ kind, description, quantity, unitPriceMinor, partId }) => ({ kind, description, quantity, unitPriceMinor, partId })),
    });
  }, { kind: 'primary', id: 'quote-save' });

  return {
    title: 'Quote',
    body: [
      ...formTop(job, 'Quote'),
      h('p', { class: 'notice', text: 'One quote per job: once issued, only a supervisor can change it. The customer answers it from the link the dispatcher sends.' }),
      set.el, ruling,
      card('Lines', editor),
      card('Totals', totals),
      error,
    ],
    dock: [save],
  };
}
