/*
 * tech-ui-status.js: the status bar of the technician's app (tech.html),
 * always on screen: the network and the sync (#sync-state, whose
 * data-state is offline, syncing, ok or error; starting in the page
 * until the app has painted it), when the phone last
 * synced, how many actions wait to upload (#pending-count), the last
 * error in plain words (#sync-error) and the Sync button (#sync-now).
 * It reads device.status(); it changes nothing but the bar.
 */

import { byId } from './app-dom.js';
import { companyZone, dayIn, dateTimeIn, timeIn, errorText } from './tech-format.js';

/* "Synced 14:05" today, "Synced Tue, 8 Dec, 14:05" before. */
function syncedText(at) {
  if (!at) return 'Not synced yet';
  const same = dayIn(companyZone, at) === dayIn(companyZone, Date.now());
  return `Synced ${same ? timeIn(companyZone, at) : dateTimeIn(companyZone, at)}`;
}

/* offline first: a sync tried offline fails at once, and says nothing */
function stateOf(s) {
  if (!s.online) return 'offline';
  if (s.syncing) return 'syncing';
  if (s.lastError) return 'error';
  return 'ok';
}

const TEXT = {
  syncing: () => 'Syncing…',
  offline: (s) => `Offline · ${syncedText(s.lastSyncAt)}`,
  error: (s) => `Sync failed · ${syncedText(s.lastSyncAt)}`,
  ok: (s) => syncedText(s.lastSyncAt),
};

/* Paint the bar from device (null: not enrolled; a device the dispatcher
 * removed is painted as none, whichever paint comes last); returns the
 * device's status. */
export async function paintStatus(device) {
  const state = byId('sync-state');
  const pending = byId('pending-count');
  const error = byId('sync-error');
  const button = byId('sync-now');
  const s = device && await device.status();
  if (!s || s.revoked) {
    state.dataset.state = navigator.onLine ? 'ok' : 'offline';
    state.textContent = navigator.onLine ? 'Not enrolled' : 'Offline · not enrolled';
    pending.textContent = '';
    pending.dataset.count = '0';
    error.hidden = true;
    button.hidden = true;
    return s;
  }
  const now = stateOf(s);
  state.dataset.state = now;
  state.textContent = TEXT[now](s);
  pending.dataset.count = String(s.pending);
  pending.textContent = s.pending ? `${s.pending} waiting to upload` : 'All uploaded';
  /* offline is said by the state already */
  const words = s.lastError && s.lastError.code !== 'offline' ? errorText(s.lastError) : '';
  error.textContent = words;
  error.hidden = !words;
  button.hidden = false;
  button.disabled = s.syncing;
  return s;
}

/* The Sync button: one full sync of the device device() gives now. */
export function wireStatus(device, sync) {
  byId('sync-now').addEventListener('click', async () => {
    if (!device()) return;
    if (!navigator.onLine) {
      await paintStatus(device());
      byId('sync-error').textContent = errorText({ code: 'offline' });
      byId('sync-error').hidden = false;
      return;
    }
    await sync();
    await paintStatus(device());
  });
}
