/*
 * tech-signoff.js: the customer's sign-off on the technician's phone
 * (tech.html).  The screen shows the exact summary the customer signs
 * (tech-summary.js) in words and money, with the code of its bytes
 * (#summary-hash: the hash the server keeps beside it), then the
 * customer's name, the signature pad, a rating of 1 to 5 and a comment.
 * Accept records signOff with the summary's bytes, their BLAKE2b-256 and
 * the signature as PNG (which must not be empty); Reject asks for the
 * reason and sends the job back for rework.  The summary is built again
 * from the name as typed, so what is signed is what is on screen.
 */

import { summaryHash } from './tech-device.js';
import { h, card, button, field, errorLine, byteLength, saving, top } from './tech-ui-kit.js';
import { money, warrantyLabel, words } from './tech-format.js';
import { buildSummary, summaryBytes, hex } from './tech-summary.js';
import { signaturePad } from './tech-ui-pad.js';

const NAME_MAX = 200;
const COMMENT_MAX = 1000;
const REASON_MAX = 500;

/* The summary in words: a table of its lines and its total. */
function summaryView(s) {
  const row = (what, qty, minor) => h('tr', null,
    h('th', { scope: 'row', text: what }), h('td', { class: 'num', text: qty }), h('td', { class: 'num', text: money(minor, s.currency) }));
  const charged = s.warranty === 'out_of_warranty';
  return h('div', { id: 'summary', dataset: { total: s.total_minor } },
    h('p', null, h('strong', { text: 'Customer: ' }), s.customer_name || '(type the name below)'),
    h('p', null, h('strong', { text: 'Work: ' }), s.work),
    h('p', null, h('strong', { text: 'Warranty: ' }), s.warranty ? warrantyLabel(s.warranty) : 'Not decided',
      charged ? '' : ' (no charge)'),
    h('table', { class: 'summary-lines' },
      h('thead', null, h('tr', null, h('th', { scope: 'col', text: 'Item' }), h('th', { scope: 'col', class: 'num', text: 'Qty' }), h('th', { scope: 'col', class: 'num', text: 'Amount' }))),
      h('tbody', null,
        s.parts_used.map((p) => row(`${p.name || p.sku} (${p.sku})${p.serial ? `, serial ${p.serial}` : ''}`, p.quantity, p.quantity * p.unit_price_minor)),
        s.labour.map((l) => row(l.description, l.quantity, l.quantity * l.unit_price_minor)),
        s.callout_minor ? row('Call-out fee', 1, s.callout_minor) : null),
      h('tfoot', null, h('tr', { class: 'total' },
        h('th', { scope: 'row', colspan: 2, text: 'Total' }), h('td', { class: 'num', id: 'summary-total', text: money(s.total_minor, s.currency) })))));
}

/* The rating: five big buttons of a radio group. */
function ratingGroup() {
  return h('fieldset', { class: 'rating', id: 'rating' },
    h('legend', { text: 'How was the service?' }),
    [1, 2, 3, 4, 5].map((n) => h('label', { class: 'star' },
      h('input', { type: 'radio', name: 'rating', value: n, id: `rating-${n}` }),
      h('span', { 'aria-hidden': 'true', text: '★' }), h('span', { class: 'n', text: String(n) }))));
}

export function renderSignoff(ctx) {
  const { job, actions } = ctx;
  const name = h('input', { id: 'signoff-name', value: (job.customer && job.customer.name) || '', maxlength: NAME_MAX, autocomplete: 'off' });
  const comment = h('textarea', { id: 'signoff-comment', rows: 3, maxlength: COMMENT_MAX });
  const reason = h('textarea', { id: 'signoff-reason', rows: 3, maxlength: REASON_MAX });
  const error = errorLine('signoff-error');
  const pad = signaturePad({ label: 'Customer\'s signature', onchange: () => error.say('') });
  const rating = ratingGroup();
  const hash = h('code', { id: 'summary-hash' });
  const view = h('div');

  /* the summary for the name as typed now, shown with its code */
  let shown = null; /* {bytes, hash} of the summary on screen */
  const refresh = () => {
    const summary = buildSummary(job, actions, name.value.trim());
    const bytes = summaryBytes(summary);
    shown = { bytes, hash: summaryHash(bytes) };
    view.replaceChildren(summaryView(summary));
    const digest = hex(shown.hash);
    hash.dataset.hash = digest;
    hash.textContent = digest.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ');
  };
  name.addEventListener('input', refresh);
  refresh();

  const common = () => {
    const n = name.value.trim();
    if (!n || byteLength(n) > NAME_MAX) return `Type the customer's name (up to ${NAME_MAX} characters).`;
    if (byteLength(comment.value) > COMMENT_MAX) return `A comment holds at most ${COMMENT_MAX} bytes.`;
    return '';
  };
  /* what is missing for the customer's answer, '' when nothing */
  const missing = (accepted) => common() ||
    (accepted && pad.isEmpty() ? 'The customer has not signed yet: ask them to sign in the box.' : '') ||
    (accepted && !rating.querySelector('input:checked') ? 'Ask the customer for a rating from 1 to 5.' : '') ||
    (!accepted && !reason.value.trim() ? 'Write why the customer rejects the work.' : '');
  const sign = async (accepted) => {
    const picked = rating.querySelector('input:checked');
    refresh();
    await ctx.record('signOff', {
      customerName: name.value.trim(),
      signaturePng: pad.isEmpty() ? new Uint8Array(0) : await pad.png(),
      rating: picked ? Number(picked.value) : 0,
      comment: comment.value.trim(),
      accepted,
      rejectReason: accepted ? '' : reason.value.trim(),
      summary: shown.bytes,
      summaryHash: shown.hash,
    });
    ctx.done();
  };

  const rejectBox = h('div', { id: 'reject-box', class: 'card', hidden: true },
    field('Why does the customer reject the work?', reason));
  const answer = (btn, accepted) => {
    const wrong = missing(accepted);
    if (wrong) return error.say(wrong);
    error.say('');
    return saving(btn, error, () => sign(accepted));
  };
  const accept = button('Accept and sign', () => answer(accept, true), { kind: 'primary', id: 'signoff-accept' });
  const reject = button('Reject the work', () => {
    if (rejectBox.hidden) {
      rejectBox.hidden = false;
      reject.textContent = 'Confirm the rejection';
      reason.focus();
      return;
    }
    answer(reject, false);
  }, { kind: 'danger', id: 'signoff-reject' });

  return {
    title: 'Sign-off',
    body: [
      ...top('Sign-off', { back: `#/job/${job.id}`, sub: `Show this screen to the customer. Job ${job.id}, ${words(job.kind)}.` }),
      card('What the customer signs', view, h('p', { class: 'hint' }, 'Summary code ', hash)),
      field('Customer\'s name', name),
      card('Signature', pad.el),
      rating,
      field('Comment (optional)', comment),
      rejectBox,
      error,
    ],
    dock: [accept, reject],
  };
}
