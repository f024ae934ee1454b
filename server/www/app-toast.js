/*
 * app-toast.js: short messages of the dispatcher app in the live region
 * #toast (role="status"), read out by screen readers.  Tones: 'ok',
 * 'info', 'error'.  Errors stay until dismissed or replaced by the next
 * error; other messages fade after a few seconds.  At most three show.
 */

import { byId, h } from './app-dom.js';

const SHOW_MS = 6000;
const MAX_SHOWN = 3;

export function toast(message, tone = 'info') {
  const region = byId('toast');
  if (!region) return;
  if (tone === 'error') region.querySelectorAll('.toast-error').forEach((el) => el.remove());
  const item = h('div', { class: `toast toast-${tone}` },
    h('span', { class: 'toast-text', text: message }),
    h('button', {
      type: 'button', class: 'toast-close', 'aria-label': 'Dismiss message',
      onclick: () => item.remove(),
    }, '×'));
  region.append(item);
  while (region.children.length > MAX_SHOWN) region.firstElementChild.remove();
  if (tone !== 'error') setTimeout(() => item.remove(), SHOW_MS);
}
