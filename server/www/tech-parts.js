/*
 * tech-parts.js: the parts form of the technician's app (tech.html): for
 * each part reserved for the job, how many were fitted, the serial of the
 * unit fitted and of the unit taken out (typed, or read with the camera
 * where the phone can), recorded as one partsUsed action on the open
 * visit.  Parts come only from the job's reservation: the server refuses
 * more than was reserved (exceeds_reserved) or another part
 * (part_not_reserved).  Serials are at most 100 bytes.
 */

import { h, button, field, errorLine, countBox, byteLength, formTop, recordThenBack } from './tech-ui-kit.js';
import { scanButton } from './tech-ui-scan.js';

const SERIAL_MAX = 100; /* bytes, PROTOCOL.md 8a */

/* Units of each part already recorded on this phone and not yet in the
 * snapshot (partId → quantity). */
function recordedWaiting(actions) {
  const used = new Map();
  for (const a of actions) {
    if (a.kind !== 'partsUsed' || a.state !== 'pending') continue;
    for (const p of a.body.parts || []) used.set(p.partId, (used.get(p.partId) || 0) + p.quantity);
  }
  return used;
}

function partRow(part, left) {
  const stem = `part-${part.partId}`;
  const qty = countBox(left, { id: `${stem}-qty`, max: left, min: 0 });
  const serial = h('input', { id: `${stem}-serial`, maxlength: SERIAL_MAX, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const faulty = h('input', { id: `${stem}-faulty`, maxlength: SERIAL_MAX, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const withScan = (input, label) => h('div', { class: 'with-button' }, input, scanButton(input, label));
  const el = h('fieldset', { class: 'card part', dataset: { partId: part.partId } },
    h('legend', { text: part.name || part.sku }),
    h('p', { class: 'hint', text: `${part.sku} · ${left} of ${part.quantity} reserved left` }),
    field('Quantity fitted', qty),
    field('Serial of the unit fitted', withScan(serial, 'Serial of the unit fitted')),
    field('Serial of the unit taken out', withScan(faulty, 'Serial of the unit taken out')));
  el.read = () => ({
    partId: part.partId, sku: part.sku, quantity: Number(qty.value),
    serial: serial.value.trim(), faultySerial: faulty.value.trim(), left, name: part.name || part.sku,
  });
  return el;
}

/* The first thing wrong with the rows' values, '' when none. */
function problem(rows) {
  for (const r of rows) {
    if (!Number.isInteger(r.quantity) || r.quantity < 0 || r.quantity > r.left)
      return `${r.name}: the quantity is a whole number from 0 to ${r.left}.`;
    if (byteLength(r.serial) > SERIAL_MAX || byteLength(r.faultySerial) > SERIAL_MAX)
      return `${r.name}: a serial holds at most ${SERIAL_MAX} bytes.`;
    if (r.quantity > 1 && (r.serial || r.faultySerial))
      return `${r.name}: a serial belongs to one unit. Record units with serials one at a time.`;
  }
  if (!rows.some((r) => r.quantity > 0)) return 'Set the quantity of at least one part.';
  return '';
}

export function renderParts(ctx) {
  const { job, actions } = ctx;
  const waiting = recordedWaiting(actions);
  const reserved = (job.parts || []).filter((p) => p.state === 'reserved')
    .map((p) => [p, Math.max(0, p.quantity - (waiting.get(p.partId) || 0))]);
  const rows = reserved.filter(([, left]) => left > 0).map(([p, left]) => partRow(p, left));
  const error = errorLine('parts-error');
  const save = button('Save the parts used', async () => {
    const read = rows.map((r) => r.read());
    const wrong = problem(read);
    if (wrong) return error.say(wrong);
    await recordThenBack(ctx, save, error, 'partsUsed', {
      parts: read.filter((r) => r.quantity > 0).map(({ partId, sku, quantity, serial, faultySerial }) =>
        ({ partId, sku, quantity, serial, faultySerial })),
    });
  }, { kind: 'primary', id: 'parts-save', disabled: !rows.length });
  return {
    title: 'Parts used',
    body: [
      ...formTop(job, 'Parts used'),
      rows.length ? h('p', { text: 'Only parts reserved for this job can be recorded. Set 0 for a part you did not fit.' })
        : h('p', { class: 'message', text: 'Every reserved part is recorded already.' }),
      ...rows, error,
    ],
    dock: [save],
  };
}
