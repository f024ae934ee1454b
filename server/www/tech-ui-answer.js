/*
 * tech-ui-answer.js: the customer answers the quote on the technician's
 * phone (tech.html), for a customer who cannot open the quote link
 * (PROTOCOL.md section 7, quote_answer).  The screen shows the quote as
 * the customer's quote page does, takes who answers and, for a decline,
 * why; an approval is asked once more with the amount, as the page asks.
 * The answer is the customer's own: the server applies it under the
 * link's rules, and judges the quote's expiry when it arrives, so one
 * recorded offline may still be refused (quote_expired).
 */

import { h, button, field, errorLine, byteLength, formTop, recordThenBack, quoteView, card } from './tech-ui-kit.js';
import { currencyOf, zoneOf, money } from './tech-format.js';
import { quoteOf } from './tech-actions.js';

const NAME_MAX = 200;
const REASON_MAX = 1000;

export function renderAnswer(ctx) {
  const { job, actions } = ctx;
  const q = quoteOf(job, actions) || { status: 'pending', lines: [], totalMinor: 0 };
  const currency = currencyOf(job);
  const name = h('input', { id: 'answer-name', value: (job.customer && job.customer.name) || '', maxlength: NAME_MAX, autocomplete: 'off' });
  const reason = h('textarea', { id: 'answer-reason', rows: 3, maxlength: REASON_MAX });
  const error = errorLine('answer-error');
  const ask = h('p', { id: 'answer-ask', class: 'notice', role: 'status', hidden: true });

  const body = (approved) => ({ approved, customerName: name.value.trim(), reason: reason.value.trim() });
  const wrong = () => {
    const n = name.value.trim();
    if (!n || byteLength(n) > NAME_MAX) return `Type the name of who answers (up to ${NAME_MAX} characters).`;
    if (byteLength(reason.value) > REASON_MAX) return `The reason holds at most ${REASON_MAX} bytes.`;
    return '';
  };
  /* an approval of money is asked twice: the second tap records it */
  const approve = button('Customer approves', () => {
    if (wrong()) return error.say(wrong());
    if (ask.hidden) {
      ask.textContent = `Approve ${money(q.totalMinor, currency)}? The repair goes ahead and this amount is charged.`;
      ask.hidden = false;
      approve.textContent = `Yes, approve ${money(q.totalMinor, currency)}`;
      return undefined;
    }
    return recordThenBack(ctx, approve, error, 'quoteAnswer', body(true));
  }, { kind: 'primary', id: 'answer-approve' });
  const decline = button('Customer declines', () => {
    if (wrong()) return error.say(wrong());
    return recordThenBack(ctx, decline, error, 'quoteAnswer', body(false));
  }, { kind: 'danger', id: 'answer-decline' });

  return {
    title: 'Quote answer',
    body: [
      ...formTop(job, "The customer's answer"),
      h('p', { text: 'Hand the phone to the customer: they read the quote and answer it here.' }),
      card('Quote', quoteView(q, currency, zoneOf(job))),
      field('Name of who answers', name),
      field('Why (when declining; optional)', reason),
      ask, error,
    ],
    dock: [approve, decline],
  };
}
