/*
 * book-quote.js: the quote view and answer of fsd's customer page
 * (book.html), for /quote/<token> links: why a repair is charged, the
 * quote's lines and totals, where it stands in plain words (with the day
 * it was answered), its deadline, and approving it (after confirming the
 * amount) or declining it.
 */

import { link, request, isConflict } from './book-api.js';
import { makeClock, moneyFormatter } from './book-format.js';
import { byId, setText, element, showView, announce, runAction, renderJob } from './book-page.js';

/* Where the quote stands, with the day it was answered or ran out. */
function statusWords(quote) {
  const on = (iso) => (iso ? ` on ${clock.day(iso)}` : '');
  switch (quote.status) {
    case 'pending': return 'Waiting for your answer';
    case 'approved': return `You approved this quote${on(quote.answered_at)}; it can no longer be changed here`;
    case 'declined': return `This quote can no longer be approved because you declined it${on(quote.answered_at)}`;
    case 'expired': return `This quote can no longer be approved because it ran out${on(quote.expires_at)} without an answer`;
    default: return 'This quote can no longer be answered';
  }
}

const QUOTE_ANSWER_WORDS = {
  approved: 'Thank you — you approved the quote; we will carry out the repair.',
  declined: 'You declined the quote; the unit stays as it is.',
};

const TEXT = {
  sending: 'Sending your answer…',
  sent: 'Thank you, we have your answer.',
};

const QUANTITY = new Intl.NumberFormat();

/* Formatters in the customer's time zone, set when the quote is loaded. */
let clock = null;
const state = { quote: null };

/* ---------- Views ---------- */

function renderQuote(quote) {
  const money = moneyFormatter(quote.currency);
  byId('quote-lines').replaceChildren(...quote.lines.map((line) => quoteRow(line, money)));
  setText('quote-parts', money(quote.parts_minor));
  setText('quote-labour', money(quote.labour_minor));
  setText('quote-callout', money(quote.callout_minor));
  setText('quote-total', money(quote.total_minor));
  setText('quote-expiry', quote.expires_at
    ? `Please answer by ${clock.day(quote.expires_at)}, ${clock.time(quote.expires_at)}.`
    : '');
  setText('quote-reason', quote.due_because
    ? `The repair is charged because the unit is out of warranty: ${quote.due_because}.`
    : 'The repair is charged because the unit is out of warranty.');
  setText('approve-confirm-text', `Approve ${money(quote.total_minor)}? The repair goes ahead and this amount is charged.`);
  state.quote = quote;
  renderQuoteStatus(quote);
}

function quoteRow(line, money) {
  return element('tr', {}, [
    element('td', { text: line.description }),
    element('td', { className: 'num', text: QUANTITY.format(line.quantity) }),
    element('td', { className: 'num', text: money(line.unit_price_minor) }),
    element('td', { className: 'num', text: money(line.amount_minor) }),
  ]);
}

/* The status line, and the buttons and deadline only while the quote waits for an answer. */
function renderQuoteStatus(quote) {
  const pending = quote.status === 'pending';
  const expiry = byId('quote-expiry');
  setText('quote-state', statusWords(quote));
  byId('quote-actions').hidden = !pending;
  byId('approve-confirm').hidden = true;
  expiry.hidden = !pending || !expiry.textContent;
}

function showQuoteAnswer(quoteStatus) {
  renderQuoteStatus({ ...state.quote, status: quoteStatus, answered_at: new Date().toISOString() });
  setText('quote-answer-text', QUOTE_ANSWER_WORDS[quoteStatus] || TEXT.sent);
  const answer = byId('quote-answer');
  answer.hidden = false;
  answer.focus();
}

/* ---------- Actions ---------- */

async function loadQuote() {
  const data = await request(link.api);
  clock = makeClock(data.job.timezone);
  renderJob(data.job);
  renderQuote(data.quote);
}

/* Loads the quote and shows it: the page's first action. */
export async function openQuote() {
  await loadQuote();
  showView('quote');
}

/* Approving money is asked once more, with the amount. */
export function askToApprove(open) {
  byId('approve-confirm').hidden = !open;
  byId('quote-actions').hidden = open;
  if (open) byId('approve-yes').focus();
  else byId('approve').focus();
}

/* Sends 'approve' or 'decline'; a 409 reloads the quote to show what is true now. */
export function answerQuote(decision) {
  return runAction(async () => {
    announce(TEXT.sending);
    try {
      const answer = await request(link.api, { decision });
      showQuoteAnswer(answer.quote_status);
      announce(TEXT.sent);
    } catch (error) {
      if (!isConflict(error)) throw error;
      await loadQuote();
      announce(error.message, 'error');
    }
  });
}
