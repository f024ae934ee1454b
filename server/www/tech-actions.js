/*
 * tech-actions.js: what a technician may record on a job, and where the
 * job stands once the actions still waiting to upload are counted.
 *
 * The server judges every action by the job's state (server/rules/job.c,
 * the rows a technician may cause); a phone that records a whole visit
 * offline knows only the state of its last snapshot.  So the app walks
 * the snapshot's status through the actions waiting on this phone with
 * the same rows, and offers the actions the resulting state takes.  It
 * never predicts versions or decides anything for the server: an action
 * the server refuses comes back REJECTED and is shown so.  Pure: no DOM.
 */

/* The technician's rows of the state machine: kind → from → to.  A
 * warranty decision and an outcome go where their body says. */
const MOVES = {
  enRoute: { assigned: 'en_route' },
  arrive: { assigned: 'on_site', en_route: 'on_site' },
  quote: { on_site: 'quoted' },
};
/* the customer's own answer to the quote, given on the phone */
const ANSWER = { true: 'quote_approved', false: 'quote_declined' };
const DECIDE = { IN_WARRANTY: 'in_warranty', REPLACEMENT: 'replacement' };
/* complete_work, and need_follow_up for every outcome but COMPLETED */
const COMPLETE_FROM = ['on_site', 'in_warranty', 'replacement', 'quote_approved'];
const FOLLOW_UP_FROM = ['en_route', 'on_site', 'in_warranty', 'replacement', 'quote_approved'];
/* the states with a visit open: parts may be recorded on it */
const VISIT_OPEN = ['on_site', 'in_warranty', 'replacement', 'quote_approved'];

/* Where one action takes a job in state from; null when it does not
 * change the state (a note, parts) or the state does not take it. */
export function move(from, kind, body) {
  if (MOVES[kind]) return MOVES[kind][from] || null;
  if (kind === 'warranty') return from === 'on_site' ? DECIDE[body.outcome] || null : null;
  if (kind === 'outcome') {
    if (body.outcome === 'COMPLETED') return COMPLETE_FROM.includes(from) ? 'work_done' : null;
    return FOLLOW_UP_FROM.includes(from) ? 'follow_up_needed' : null;
  }
  if (kind === 'signOff') return from === 'work_done' ? (body.accepted ? 'signed_off' : 'rework') : null;
  if (kind === 'quoteAnswer') return from === 'quoted' ? ANSWER[Boolean(body.approved)] : null;
  return null;
}

/* The job's state with its actions still waiting counted, oldest first. */
export function predictStatus(job, actions) {
  let status = job.status;
  for (const a of actions) {
    if (a.state !== 'pending') continue;
    status = move(status, a.kind, a.body || {}) || status;
  }
  return status;
}

/* The warranty outcome the job will have: a decision waiting on the
 * phone, else the snapshot's ('in_warranty', 'replacement',
 * 'out_of_warranty' or ''). */
export function predictWarranty(job, actions) {
  let warranty = job.warranty || '';
  for (const a of actions) {
    if (a.state !== 'pending') continue;
    if (a.kind === 'warranty') warranty = (DECIDE[a.body.outcome] || warranty);
    if (a.kind === 'quote') warranty = 'out_of_warranty';
  }
  return warranty;
}

/*
 * The actions the job's predicted state takes, in the order of a visit:
 * [{kind, route}] where route is the app's screen for it ('' when one tap
 * records it).  A note is always possible (it never conflicts).
 */
export function offered(job, actions) {
  const status = predictStatus(job, actions);
  const warranty = predictWarranty(job, actions);
  const list = [];
  const add = (kind, route = kind) => list.push({ kind, route });
  if (MOVES.enRoute[status]) add('enRoute', '');
  if (MOVES.arrive[status]) add('arrive', '');
  if (status === 'on_site' && !warranty) add('warranty');
  if (status === 'on_site' && !warranty && !(job.quote && job.quote.status)) add('quote');
  if (status === 'quoted') add('quoteAnswer', 'answer');
  if (VISIT_OPEN.includes(status) && (job.parts || []).some((p) => p.state === 'reserved')) add('partsUsed', 'parts');
  /* on site, the work completes only once the warranty is settled (a
   * return visit): otherwise the outcome can only ask for a follow-up */
  if (FOLLOW_UP_FROM.includes(status)) add('outcome');
  if (status === 'work_done') add('signOff', 'signoff');
  add('note');
  return list;
}

/* The outcomes the predicted state takes (COMPLETED needs the warranty
 * settled when the visit is still on site). */
export function outcomesFor(status, warranty) {
  const all = ['COMPLETED', 'PARTLY_DONE', 'PARTS_MISSING', 'NEEDS_FOLLOW_UP', 'CUSTOMER_NOT_HOME'];
  const canComplete = COMPLETE_FROM.includes(status) && (status !== 'on_site' || warranty);
  return all.filter((o) => (o === 'COMPLETED' ? canComplete : FOLLOW_UP_FROM.includes(status)));
}

/* The job's quote as the customer sees it: the snapshot's live quote,
 * else the one this phone issued and has not uploaded yet
 * ({status, lines, totalMinor, expiresAt, link}); null when none. */
export function quoteOf(job, actions) {
  if (job.quote && job.quote.status) return job.quote;
  const mine = actions.filter((a) => a.kind === 'quote' && a.state === 'pending').pop();
  if (!mine) return null;
  const lines = mine.body.lines || [];
  return { status: 'pending', lines, totalMinor: lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0), expiresAt: 0, link: '' };
}

/* Actions of a job waiting to upload, and those the server refused or
 * flagged. */
export const waiting = (actions) => actions.filter((a) => a.state === 'pending');
export const troubled = (actions) => actions.filter((a) => a.state === 'REJECTED' || a.state === 'CONFLICT');

/* When the technician arrived on this visit (ms), from the phone's own
 * arrival or the job's history; 0 when unknown. */
export function arrivedAt(job, actions, toMs) {
  const mine = actions.filter((a) => a.kind === 'arrive' && a.state !== 'REJECTED').pop();
  if (mine) return toMs(mine.deviceTime);
  const seen = (job.history || []).filter((e) => e.kind === 'arrive').pop();
  return seen ? toMs(seen.at) : 0;
}
