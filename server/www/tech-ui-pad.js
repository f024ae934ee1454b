/*
 * tech-ui-pad.js: the signature pad of the technician's app's sign-off
 * (tech.html): a canvas the customer signs with a finger, a pen or a
 * mouse (pointer events; touch-action: none in tech.css, so the page does
 * not scroll under the finger), a Clear button, and the signature as PNG
 * bytes.  Strokes are kept as points in fractions of the pad, so the
 * drawing survives the pad changing size (the phone turned).  The PNG is
 * at most 256 KiB (the protocol's limit): drawn at the screen's pixel
 * ratio, and again at 1:1 if that is too big.
 */

import { h, button } from './tech-ui-kit.js';

export const SIGNATURE_MAX = 256 * 1024;
const INK = '#0b1b3f';
const PAPER = '#ffffff';

/* A pad: {el, isEmpty(), clear(), png()}; onchange() after each stroke. */
export function signaturePad({ label, onchange = () => {} }) {
  const canvas = h('canvas', { id: 'signature', class: 'signature', role: 'img', 'aria-label': label });
  const strokes = [];
  let current = null;

  const draw = (target, ratio) => {
    const g = target.getContext('2d');
    const w = target.width;
    const hgt = target.height;
    g.fillStyle = PAPER;
    g.fillRect(0, 0, w, hgt);
    g.strokeStyle = INK;
    g.lineWidth = 2.5 * ratio;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    for (const stroke of strokes) {
      g.beginPath();
      stroke.forEach(([x, y], i) => (i ? g.lineTo(x * w, y * hgt) : g.moveTo(x * w, y * hgt)));
      if (stroke.length === 1) g.lineTo(stroke[0][0] * w + 0.1, stroke[0][1] * hgt);
      g.stroke();
    }
  };
  const size = () => {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(canvas.clientWidth * ratio);
    const hgt = Math.round(canvas.clientHeight * ratio);
    if (w && hgt && (canvas.width !== w || canvas.height !== hgt)) {
      canvas.width = w;
      canvas.height = hgt;
    }
    draw(canvas, ratio);
  };
  new ResizeObserver(size).observe(canvas);

  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), Math.min(1, Math.max(0, (e.clientY - r.top) / r.height))];
  };
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = [point(e)];
    strokes.push(current);
    size();
  });
  /* a move draws only its own segments; the whole is redrawn on resize */
  canvas.addEventListener('pointermove', (e) => {
    if (!current) return;
    const g = canvas.getContext('2d');
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    g.beginPath();
    g.moveTo(current[current.length - 1][0] * canvas.width, current[current.length - 1][1] * canvas.height);
    for (const c of events.length ? events : [e]) {
      const p = point(c);
      current.push(p);
      g.lineTo(p[0] * canvas.width, p[1] * canvas.height);
    }
    g.stroke();
  });
  const end = () => {
    if (!current) return;
    current = null;
    onchange();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  const clear = () => {
    strokes.length = 0;
    size();
    onchange();
  };
  const el = h('div', { class: 'pad' }, canvas,
    h('div', { class: 'pad-bar' },
      h('span', { class: 'hint', text: 'Sign with a finger inside the box.' }),
      button('Clear', clear, { kind: 'quiet small', id: 'signature-clear' })));

  const blob = (target) => new Promise((done) => target.toBlob(done, 'image/png'));
  /* The signature as PNG bytes; rejects when it cannot fit the limit. */
  const png = async () => {
    let bytes = new Uint8Array(await (await blob(canvas)).arrayBuffer());
    if (bytes.length > SIGNATURE_MAX) {
      const small = document.createElement('canvas');
      small.width = canvas.clientWidth;
      small.height = canvas.clientHeight;
      draw(small, 1);
      bytes = new Uint8Array(await (await blob(small)).arrayBuffer());
    }
    if (bytes.length > SIGNATURE_MAX) throw new Error('The signature is too detailed to send. Clear it and sign again.');
    return bytes;
  };
  return { el, isEmpty: () => !strokes.some((s) => s.length), clear, png };
}
