/*
 * book-quote.js: the quote view and answer of fsd's customer page
 * (book.html), for /quote/<token> links: the quote's lines and totals,
 * its status and deadline, and approving or declining it.
 */

import { link, request, isConflict } from './book-api.js';
import { makeClock, moneyFormatter } from './book-format.js';
import { byId, setText, element, showView, announce, runAction, renderJob } from './book-page.js';

const QUOTE_STATUS_WORDS = {
  pending: 'Waiting for your answer',
  approved: 'You approved this quote',
  declined: 'You declined this quote',
  expired: 'This quote has expired',
};

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
  renderQuoteStatus(quote.status);
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
function renderQuoteStatus(status) {
  const pending = status === 'pending';
  const expiry = byId('quote-expiry');
  setText('quote-state', QUOTE_STATUS_WORDS[status] || 'This quote can no longer be answered');
  byId('quote-actions').hidden = !pending;
  expiry.hidden = !pending || !expiry.textContent;
}

function showQuoteAnswer(quoteStatus) {
  renderQuoteStatus(quoteStatus);
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
