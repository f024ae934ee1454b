/*
 * app-enroll.js: the "Add a phone" panel of the technicians view
 * (app-technicians.js).  Given a one-time enrollment code from
 * POST /api/v1/technicians/{id}/enrollment-codes, it shows what the
 * technician needs to enroll a phone in the technician's app at /tech: a QR
 * code of the address <origin>/tech#enroll=<code>, the same code to type in
 * groups of four, where to type it, when it expires and that it works once,
 * a Copy link button and Close.
 *
 * The code rides in the address's fragment, which a browser never sends, so
 * it stays out of every server's log.  The QR code is drawn on a <canvas>
 * with the vendored qrcode-generator (lib-qrcode.js), black on white with
 * the four-module quiet zone scanners need, whatever the page's colour
 * scheme; no data: URL, no innerHTML (the page's CSP allows neither).  The
 * code is a credential: it is never logged or stored, and lives only as
 * long as the panel does.  No requests here.
 */

import qrcode from './lib-qrcode.js';
import { el } from './app-charts.js';
import { dateTime, plural } from './app-format.js';

const QUIET = 4;         /* white modules around the symbol (ISO/IEC 18004) */
const CELL = 8;          /* canvas pixels per module; CSS scales the canvas */
const GROUP = 4;         /* characters per group of the code to type */
const HOUR_MS = 3600000;

/* The address a phone opens to enroll with `code`. */
export const enrollLink = (origin, code) => `${origin}/tech#enroll=${encodeURIComponent(code)}`;

/*
 * A <canvas> holding `text` as a QR code (error correction M, the smallest
 * version that fits), with data-qr-text set to the text it encodes.
 */
export function qrCanvas(text, label) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const modules = qr.getModuleCount();
  const size = (modules + 2 * QUIET) * CELL;
  const canvas = el('canvas', { class: 'en-qr', width: size, height: size, role: 'img',
    'aria-label': label, 'data-qr-text': text });
  const pen = canvas.getContext('2d');
  pen.fillStyle = '#fff';
  pen.fillRect(0, 0, size, size);
  pen.fillStyle = '#000';
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (qr.isDark(row, col)) pen.fillRect((col + QUIET) * CELL, (row + QUIET) * CELL, CELL, CELL);
    }
  }
  return canvas;
}

/*
 * The code to type, one <span> per group of four: the gaps between groups
 * are drawn by CSS, so copying the text gives the code as the server
 * wants it, without spaces.
 */
function typedCode(code) {
  const groups = code.match(new RegExp(`.{1,${GROUP}}`, 'g')) || [];
  return el('output', { class: 'tp-code en-code', 'aria-label': `Code ${groups.join(' ')}` },
    groups.map((group) => el('span', { class: 'en-group' }, group)));
}

/* "Works once, …; expires 13 May, 14:30 (in 24 hours)." */
export function expiryText(expiresAt, now = Date.now()) {
  const hours = Math.round((Date.parse(expiresAt) - now) / HOUR_MS);
  const left = hours >= 1 ? `in ${plural(hours, 'hour')}` : 'in less than an hour';
  return `Works once, for one phone; expires ${dateTime(expiresAt)} (${left}).`;
}

/* Copies the link; without a clipboard, shows it selected for Ctrl+C. */
async function copyLink(panel, link, toast) {
  try {
    await navigator.clipboard.writeText(link);
    toast('Link copied. Send it to the technician only: it enrolls a phone.', 'ok');
  } catch {
    /* No clipboard (a page not served over HTTPS, or refused). */
    let field = panel.querySelector('.en-link');
    if (!field) {
      field = el('input', { class: 'en-link', readonly: true, 'aria-label': 'Enrollment link' });
      field.value = link;
      panel.querySelector('.en-actions').after(field);
    }
    field.select();
    field.focus();
    toast('Could not copy; the link is selected, copy it with Ctrl+C.', 'error');
  }
}

/*
 * The panel for technician `tech` and the API's reply `code`
 * ({code, expires_at}); origin is the server's address as the phone
 * reaches it.  Close (class en-close) and Escape are the caller's to
 * handle: it owns the code and forgets it.
 */
export function enrollPanel(tech, code, { origin, toast }) {
  const app = `${origin}/tech`;
  const link = enrollLink(origin, code.code);
  const headingId = `en-title-${tech.id}`;
  const copy = el('button', { type: 'button', class: 'en-copy' }, 'Copy link');
  const panel = el('section', { class: 'tp-code-box en-panel', 'aria-labelledby': headingId, tabindex: '-1' },
    el('h4', { id: headingId, class: 'en-title' }, `Add a phone for ${tech.name}`),
    qrCanvas(link, `QR code: scan it with the phone to open ${app} and enroll it`),
    el('div', { class: 'en-text' },
      el('p', { class: 'en-how' }, 'On the phone, open ', el('strong', {}, app),
        ' and type this code, or scan the QR code with the phone\u2019s camera.'),
      typedCode(code.code),
      el('p', { class: 'en-expiry' }, expiryText(code.expires_at)),
      el('p', { class: 'en-once' }, 'The code is shown only here: once closed, make a new one if needed.'),
      el('div', { class: 'en-actions' }, copy,
        el('button', { type: 'button', class: 'en-close' }, 'Close'))));
  copy.addEventListener('click', () => copyLink(panel, link, toast));
  return panel;
}
