/*
 * tech-ui-scan.js: reading a serial number with the phone's camera, for
 * the parts form of the technician's app (tech.html).  Only where the
 * browser has BarcodeDetector: elsewhere there is no Scan button and the
 * serial is typed.  The camera runs in a modal dialog until a code is
 * read or the technician cancels; it is always stopped when the dialog
 * closes.
 */

import { h, button } from './tech-ui-kit.js';

export const canScan = () => 'BarcodeDetector' in window && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

const EVERY_MS = 250;

/* Open the camera; resolve with the first code read, or '' when the
 * technician cancels or the camera cannot be used (said in the dialog). */
function scan(title) {
  return new Promise((resolve) => {
    const video = h('video', { class: 'scan-video', autoplay: true, muted: true, playsinline: true });
    const message = h('p', { class: 'hint', role: 'status', text: 'Point the camera at the barcode.' });
    let stream = null;
    let timer = 0;
    let found = '';
    const dialog = h('dialog', { class: 'scan', 'aria-label': title },
      h('h2', { text: title }), video, message,
      button('Cancel', () => dialog.close(), { kind: 'secondary' }));
    dialog.addEventListener('close', () => {
      clearTimeout(timer);
      if (stream) stream.getTracks().forEach((t) => t.stop());
      dialog.remove();
      resolve(found);
    });
    document.body.append(dialog);
    dialog.showModal();
    const detector = new window.BarcodeDetector();
    const look = async () => {
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          found = codes[0].rawValue.trim();
          dialog.close();
          return;
        }
      } catch { /* the video is not ready yet */ }
      if (dialog.open) timer = setTimeout(look, EVERY_MS);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (!dialog.open) return s.getTracks().forEach((t) => t.stop());
        video.srcObject = s;
        look();
      })
      .catch(() => { message.textContent = 'The camera cannot be used. Type the serial instead.'; });
  });
}

/* A Scan button that fills input with what the camera reads; null where
 * scanning is not possible. */
export function scanButton(input, label) {
  if (!canScan()) return null;
  return button('Scan', async () => {
    const code = await scan(label);
    if (code) {
      input.value = code.slice(0, 100);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    input.focus();
  }, { kind: 'secondary small', 'aria-label': `Scan the ${label.toLowerCase()}` });
}
