/*
 * app-record.js: the sections of the job drawer, built from what the API
 * returns about a job: the job itself, customer and asset with warranty
 * status, part lines (with Approve buttons for managers), quotes, visit
 * outcomes, sign-offs, sync conflicts (with Resolve buttons), the booking
 * link maker and the audit timeline (#timeline).  Pure builders: the
 * drawer (app-drawer.js) fetches, wires the buttons and refreshes.
 */

import { h, facts } from './app-dom.js';
import {
  dateTime, timeRange, duration, money, longDate, kindLabel, statusLabel, priorityLabel,
  partStateLabel, actionLabel, timeNoteLabel, plural, words,
} from './app-format.js';
import { priorityBadge, riskBadge, statusBadge, skillChips } from './app-badges.js';
import { ASSIGNABLE } from './app-queue.js';

const section = (title, ...children) =>
  h('section', { class: 'drawer-section' }, h('h3', null, title), ...children);

const none = (text) => h('p', { class: 'muted' }, text);

export function summarySection(job, risk, techName) {
  const tech = job.technician_id !== null ? techName(job.technician_id) : 'Nobody yet';
  const canAssign = ASSIGNABLE.has(job.status);
  return h('section', { class: 'drawer-section drawer-summary' },
    h('p', { class: 'badges' }, statusBadge(job.status), priorityBadge(job.priority), riskBadge(risk),
      job.pinned ? h('span', { class: 'badge' }, 'Pinned') : null),
    h('p', { class: 'fault' }, job.fault || 'No fault description.'),
    facts([
      ['Kind', kindLabel(job.kind)],
      ['Priority', `${job.priority} · ${priorityLabel(job.priority)}`],
      ['Window', timeRange(job.window_start, job.window_end)],
      ['Duration', duration(job.duration_minutes)],
      ['SLA due', job.sla_due_at ? dateTime(job.sla_due_at) : 'No deadline'],
      ['Respond by', dateTime(job.respond_by)],
      ['Technician', `${tech}${job.pinned ? ' (pinned)' : ''}`],
      ['Skills needed', job.required_skills.length
        ? skillChips(job.required_skills.map((s) => ({ code: s.skill, min_level: s.level }))) : 'None'],
      ['Call-out fee', job.callout_minor !== null ? `${money(job.callout_minor)}, accepted when booked` : null],
      ['Version', String(job.version)],
    ]),
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'button primary drawer-assign', disabled: !canAssign,
        title: canAssign ? null : `${statusLabel(job.status)}: not assignable now`,
      }, job.technician_id !== null ? 'Re-assign…' : 'Assign…')));
}

/* "In warranty until …" / "Out of warranty since …" from the purchase date. */
export function warrantyText(asset) {
  if (!asset || !asset.purchase_date) return 'Unknown: no purchase date';
  const end = new Date(`${asset.purchase_date}T12:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() + asset.warranty_months);
  const date = end.toISOString().slice(0, 10);
  return end.getTime() > Date.now() ? `In warranty until ${longDate(date)}` : `Out of warranty since ${longDate(date)}`;
}

export function customerSection(customer, asset, warranty) {
  const decided = warranty && warranty.outcome
    ? `${statusLabel(warranty.outcome)}${warranty.reason ? ` (${warranty.reason})` : ''}` : 'Not decided yet';
  return section('Customer and asset',
    customer ? facts([
      ['Customer', `${customer.name}${customer.tier === 'key_account' ? ' · key account' : ''}`],
      ['Phone', customer.phone],
      ['E-mail', customer.email],
      ['Address', customer.address],
    ]) : none('Customer not found.'),
    asset ? facts([
      ['Asset', `${asset.model} · ${asset.serial}`],
      ['Purchased', asset.purchase_date ? longDate(asset.purchase_date) : null],
      ['Warranty', `${warrantyText(asset)} (${plural(asset.warranty_months, 'month')})`],
      ['Units held', String(asset.units)],
      ['Decision on site', decided],
    ]) : none('No asset recorded.'));
}

export function partsSection(lines, parts, canApprove) {
  if (!lines.length) return section('Parts', none('No parts needed.'));
  return section('Parts', h('ul', { class: 'rows parts' }, lines.map((line) => {
    const part = parts.get(line.part_id);
    const name = part ? `${part.sku} · ${part.name}` : `Part ${line.part_id}`;
    const waiting = line.state === 'awaiting_approval';
    return h('li', { class: `part part-${line.state}`, dataset: { line: line.line_id } },
      h('span', { class: 'row-main' }, `${line.quantity} × ${name}`),
      h('span', { class: `badge state-${line.state}` }, partStateLabel(line.state)),
      line.expected_on ? h('span', { class: 'muted' }, `expected ${longDate(line.expected_on)}`) : null,
      line.used ? h('span', { class: 'muted' }, `${line.used} used`) : null,
      waiting && canApprove ? h('button', {
        type: 'button', class: 'button small approve-part', dataset: { line: line.line_id },
        'aria-label': `Approve ${name}`,
      }, 'Approve') : null,
      waiting && !canApprove ? h('span', { class: 'muted' }, 'a manager approves it') : null);
  })));
}

/* Priced lines as a table, each line's amount and the total in the
 * footer (totalClass names the total's cell). */
export function linesTable(lines, totalMinor, totalClass = null) {
  return h('table', { class: 'table quote' },
    h('thead', null, h('tr', null, ['Line', 'Qty', 'Amount'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, lines.map((l) => h('tr', null,
      h('td', null, l.description), h('td', null, String(l.quantity)),
      h('td', { class: 'num' }, money(l.unit_price_minor * l.quantity))))),
    h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: '2' }, 'Total'),
      h('td', { class: totalClass ? `num ${totalClass}` : 'num' }, money(totalMinor)))));
}

export function quoteSection(quotes) {
  const quote = [...quotes].reverse().find((q) => q.status !== 'superseded');
  if (!quote) return section('Quote', none('No quote issued.'));
  return section('Quote',
    facts([
      ['Status', actionLabel(quote.status)],
      ['Issued', dateTime(quote.issued_at)],
      ['Expires', quote.status === 'pending' ? dateTime(quote.expires_at) : null],
      ['Answered', quote.answered_at ? `${dateTime(quote.answered_at)} by ${quote.answered_by}` : null],
      ['Note', quote.note],
      ['Superseded quotes', quotes.length > 1 ? String(quotes.length - 1) : null],
    ]),
    linesTable(quote.lines, quote.total_minor));
}

export function visitsSection(visits, techName) {
  if (!visits.length) return section('Visits', none('No visits yet.'));
  return section('Visits', h('ol', { class: 'rows' }, visits.map((v) => h('li', null,
    h('span', { class: 'row-main' },
      `${v.technician_id ? techName(v.technician_id) : 'Unassigned'} · ${actionLabel(v.outcome || v.status)}`),
    h('span', { class: 'muted' },
      [v.arrived_at && `arrived ${dateTime(v.arrived_at)}`, v.ended_at && `ended ${dateTime(v.ended_at)}`]
        .filter(Boolean).join(', ')),
    v.notes ? h('p', { class: 'note' }, v.notes) : null,
    v.parts_used.length ? h('p', { class: 'muted' },
      `Parts used: ${v.parts_used.map((p) => `${p.quantity} × ${p.sku}`).join(', ')}`) : null))));
}

/* The signature is loaded from its own address (same origin, so the
 * page's img-src 'self' allows it). */
export function signOffSection(signOffs, jobId) {
  if (!signOffs.length) return section('Sign-off', none('Not signed off yet.'));
  return section('Sign-off', h('ol', { class: 'rows' }, signOffs.map((s) => h('li', null,
    h('span', { class: 'row-main' }, `Signed by ${s.customer_name} on ${dateTime(s.at)}`),
    h('span', { class: 'rating', 'aria-label': `Rated ${s.rating} of 5` }, '★'.repeat(s.rating) + '☆'.repeat(5 - s.rating)),
    s.comment ? h('p', { class: 'note' }, `“${s.comment}”`) : null,
    h('img', { class: 'signature', alt: `Signature of ${s.customer_name}`,
      src: `/api/v1/jobs/${jobId}/sign-offs/${s.id}/signature` }),
    h('p', { class: 'muted' },
      `Signature ${s.signature_size} bytes, BLAKE2b ${s.signature_hash.slice(0, 12)}…`)))));
}

/* What a technician's action carried, in a line or two of plain words. */
function conflictContent(content) {
  const c = content || {};
  const parts = (list) => (list || []).map((p) =>
    `part ${p.part_id} × ${p.quantity}${p.serial ? ` (serial ${p.serial})` : ''}`).join(', ');
  const findings = ['liquid', 'impact', 'tampered', 'performance_fault'].filter((f) => c[f]).map(words);
  return [
    c.text ? `“${c.text}”` : '',
    c.outcome ? `outcome: ${words(c.outcome)}` : '',
    c.notes ? `notes: “${c.notes}”` : '',
    parts(c.parts_used),
    (c.labour || []).map((l) => `${l.description} × ${l.quantity}`).join(', '),
    findings.length ? `findings: ${findings.join(', ')}` : '',
    c.lines ? `quote of ${plural(c.lines.length, 'line')}, ${money(c.lines.reduce((t, l) => t + l.quantity * l.unit_price_minor, 0))}` : '',
    c.customer_name ? `signed by ${c.customer_name}${c.rating ? `, rated ${c.rating} of 5` : ''}` : '',
    c.comment ? `“${c.comment}”` : '',
    c.reason ? `reason: “${c.reason}”` : '',
  ].filter(Boolean).join(' · ');
}

/* The job as the server had it when the action arrived. */
function serverHad(had, techName) {
  if (!had || !had.status) return '';
  const tech = had.technician_id ? `, ${techName(had.technician_id)}` : ', nobody assigned';
  return `Server had: ${statusLabel(had.status)}${tech}${had.warranty ? `, ${words(had.warranty)}` : ''} (version ${had.version})`;
}

export function conflictsSection(conflicts, techName = (id) => `technician ${id}`) {
  if (!conflicts) return null;
  const open = conflicts.filter((c) => !c.resolved_at);
  return section(`Sync conflicts${open.length ? ` (${open.length} open)` : ''}`,
    conflicts.length ? h('ul', { class: 'rows' }, conflicts.map((c) => h('li', { class: 'conflict' },
      h('span', { class: 'row-main' }, `${actionLabel(c.code)}: ${c.action ? `${actionLabel(c.action)} by the technician` : c.message}`),
      conflictContent(c.content) ? h('p', { class: 'note' }, conflictContent(c.content)) : null,
      h('span', { class: 'muted' }, [`device ${c.device_id}`,
        c.device_time ? `done ${dateTime(c.device_time)}` : '', `received ${dateTime(c.created_at)}`].filter(Boolean).join(' · ')),
      serverHad(c.server_had, techName) ? h('p', { class: 'muted' }, serverHad(c.server_had, techName)) : null,
      c.resolved_at
        ? h('span', { class: 'badge' }, `Resolved ${dateTime(c.resolved_at)}`)
        : h('span', { class: 'resolve-row' },
          h('input', { class: 'resolve-note', 'aria-label': `Note on conflict ${c.id} (optional)`, placeholder: 'Note (optional)', maxlength: '500' }),
          h('button', { type: 'button', class: 'button small resolve', dataset: { conflict: c.id } }, 'Resolve'))))) : none('None.'));
}

export function linkSection() {
  return section('Customer link',
    h('div', { class: 'link-row' },
      h('label', { for: 'link-purpose' }, 'Link to '),
      h('select', { id: 'link-purpose' },
        h('option', { value: 'booking' }, 'book a visit'), h('option', { value: 'quote' }, 'answer the quote')),
      h('button', { type: 'button', id: 'make-link', class: 'button' }, 'Make link')),
    h('div', { class: 'link-row', id: 'link-out', hidden: true },
      h('input', { id: 'link-url', readonly: true, 'aria-label': 'The customer link' }),
      h('button', { type: 'button', id: 'copy-link', class: 'button small' }, 'Copy')),
    h('p', { class: 'muted', id: 'link-note' }, 'The link is shown once; send it to the customer.'));
}

function timelineEntry(e, techName) {
  const d = e.detail || {};
  const change = d.from && d.to ? `${statusLabel(d.from)} → ${statusLabel(d.to)}` : '';
  const tech = d.technician_id ? `technician ${techName(d.technician_id)}` : '';
  const part = e.action === 'approve_part' && d.sku ? `part ${d.sku}` : '';
  const by = d.recorded_by_staff ? `${e.actor} for the ${d.by}` : e.actor;
  /* a device's action uploaded later: when it reached the server, and
   * why its time was corrected if it was */
  const uploaded = e.received_at ? `uploaded ${dateTime(e.received_at)}` : '';
  const corrected = e.time_note ? timeNoteLabel(e.time_note) : '';
  return h('li', null,
    h('time', { datetime: e.at }, dateTime(e.at)),
    h('span', { class: 'row-main' }, actionLabel(e.action)),
    h('span', { class: 'muted' }, [by, change, tech, part, uploaded, corrected].filter(Boolean).join(' · ')),
    e.action === 'note' && d.text ? h('p', { class: 'note' }, d.text) : null,
    e.reason ? h('p', { class: 'note' }, e.reason) : null);
}

/* Newest first: what just happened is what the dispatcher looks for. */
export function timelineSection(items, techName) {
  return section(`Timeline (${items.length})`,
    h('ol', { id: 'timeline', class: 'rows timeline', reversed: true },
      [...items].reverse().map((e) => timelineEntry(e, techName))));
}
