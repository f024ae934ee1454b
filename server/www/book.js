/*
 * book.js: the entry point of fsd's customer page (book.html), loaded as
 * an ES module.
 *
 * The page is opened from a link without login: /book/<token> lets the
 * customer pick a visit time, change it or cancel it; /quote/<token> lets
 * them approve or decline a repair quote.  This module sets the page up
 * for the link's mode, wires the buttons and opens the page; the work is
 * done by its imports:
 *   book-api.js     the link, requests and error messages
 *   book-format.js  durations, dates, times and money
 *   book-page.js    DOM helpers, views, status line, actions, job summary
 *   book-visit.js   the booking views and actions
 *   book-quote.js   the quote view and answer
 */

import { link, ERROR_TEXT } from './book-api.js';
import { byId, showView, currentView, showInvalidLink, setPageTitle, runAction } from './book-page.js';
import {
  openBooking, chooseSlot, startReschedule, keepCurrentTime, askToCancel, keepVisit, cancelVisit,
} from './book-visit.js';
import { openQuote, answerQuote, askToApprove } from './book-quote.js';

const PAGE_TITLES = {
  book: 'Book your service visit',
  quote: 'Your repair quote',
};

/* What loads and shows the page, by the link's mode. */
const OPENERS = {
  book: openBooking,
  quote: openQuote,
};

async function openPage() {
  showView('loading');
  const opened = await runAction(OPENERS[link.mode]);
  if (!opened && currentView() === 'loading') showView('failed', { focus: true });
}

function onClick(id, handler) {
  byId(id).addEventListener('click', handler);
}

function wireEvents() {
  byId('slot-days').addEventListener('click', (event) => {
    const button = event.target.closest('button.slot');
    if (button) chooseSlot(button);
  });
  onClick('retry', openPage);
  onClick('keep-time', keepCurrentTime);
  onClick('reschedule', startReschedule);
  onClick('cancel', askToCancel);
  onClick('cancel-yes', cancelVisit);
  onClick('cancel-no', keepVisit);
  onClick('approve', () => askToApprove(true));
  onClick('approve-yes', () => answerQuote('approve'));
  onClick('approve-no', () => askToApprove(false));
  onClick('decline', () => answerQuote('decline'));
}

function start() {
  wireEvents();
  if (!link) {
    showInvalidLink(ERROR_TEXT.invalidLink);
    return;
  }
  setPageTitle(PAGE_TITLES[link.mode]);
  if (link.mode === 'book') byId('ics').href = link.calendar;
  openPage();
}

start();
