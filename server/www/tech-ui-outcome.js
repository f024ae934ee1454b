/*
 * tech-ui-outcome.js: the end of a visit in the technician's app
 * (tech.html): how it went (done, partly done, parts missing, needs a
 * follow-up, customer not home: only the ones the job's state takes),
 * notes, and the labour time: how long the technician has been on site
 * and the labour lines the invoice charges out of warranty (prefilled
 * from the approved quote's labour, else the hours on site).  Done leads
 * to the customer's sign-off; the others ask the desk for another visit.
 */

import {
  h, card, button, radio, field, errorLine, lineEditor, linesTotal, totalsTable, byteLength, formTop, recordThenBack,
} from './tech-ui-kit.js';
import { currencyOf, zoneOf, timeIn, duration, toMs, OUTCOME_LABELS } from './tech-format.js';
import { predictStatus, predictWarranty, outcomesFor, arrivedAt } from './tech-actions.js';

const NOTES_MAX = 4000;
const LABOUR_MAX = 20;

/* The labour lines to start from: the approved quote's, else the hours
 * on site (at least one; none before arriving), free of charge when the
 * warranty covers it. */
function firstLabour(job, warranty, since) {
  const quoted = job.quote && job.quote.status === 'approved'
    ? (job.quote.lines || []).filter((l) => l.kind === 'LABOUR') : [];
  if (quoted.length) return quoted.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor }));
  if (!since) return [];
  const free = warranty === 'in_warranty' || warranty === 'replacement';
  const hours = Math.max(1, Math.ceil((Date.now() - since) / 3600000));
  return [{ description: 'Labour, hours', quantity: hours, unitPriceMinor: free ? 0 : '' }];
}

export function renderOutcome(ctx) {
  const { job, actions } = ctx;
  const status = predictStatus(job, actions);
  const warranty = predictWarranty(job, actions);
  const currency = currencyOf(job);
  const since = arrivedAt(job, actions, toMs);
  const minutes = since ? Math.max(0, Math.round((Date.now() - since) / 60000)) : 0;
  const choices = outcomesFor(status, warranty);
  const notes = h('textarea', { id: 'outcome-notes', rows: 4, maxlength: NOTES_MAX });
  const error = errorLine('outcome-error');
  const sum = h('div', { id: 'labour-sum' });
  const charged = warranty === 'out_of_warranty';
  const editor = lineEditor({
    currency, lines: firstLabour(job, warranty, since), addLabel: 'Add a labour line', maxQuantity: 1000,
    onchange: () => sum.replaceChildren(totalsTable([['Labour', linesTotal(editor.read().lines)]], currency)),
  });
  sum.replaceChildren(totalsTable([['Labour', linesTotal(editor.read().lines)]], currency));
  const group = h('fieldset', { class: 'card choices', id: 'outcome-choices' },
    h('legend', { text: 'How did the visit go?' }),
    choices.map((o, i) => radio('outcome', o, OUTCOME_LABELS[o], { id: `outcome-${o}`, checked: i === 0 && choices.length === 1 })));

  const save = button('Save the outcome', async () => {
    const picked = group.querySelector('input:checked');
    const { lines, error: wrong } = editor.read();
    if (!picked) return error.say('Choose how the visit went.');
    if (byteLength(notes.value) > NOTES_MAX) return error.say(`Notes hold at most ${NOTES_MAX} bytes.`);
    if (lines.length > LABOUR_MAX) return error.say(`At most ${LABOUR_MAX} labour lines.`);
    if (wrong) return error.say(wrong);
    await recordThenBack(ctx, save, error, 'outcome', {
      outcome: picked.value, notes: notes.value.trim(), parts: [],
      labour: lines.map(({ description, quantity, unitPriceMinor }) => ({ description, quantity, unitPriceMinor })),
    });
  }, { kind: 'primary', id: 'outcome-save' });

  const zone = zoneOf(job);
  return {
    title: 'Visit outcome',
    body: [
      ...formTop(job, 'Visit outcome'),
      group,
      field('Notes: what was done, what is left', notes),
      card('Labour time',
        h('p', { id: 'time-on-site', text: since ? `On site since ${timeIn(zone, since)}: ${duration(minutes)}.` : 'Arrival not recorded.' }),
        h('p', { class: 'hint', text: charged ? 'Out of warranty: the customer pays these lines.' : 'Covered by the warranty: the customer is not charged for labour.' }),
        editor, sum),
      error,
    ],
    dock: [save],
  };
}
