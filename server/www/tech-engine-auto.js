/*
 * tech-engine-auto.js: a Device's automatic syncs (Device.startAutoSync).
 *
 * A run at once, then one a minute, one when the phone comes back online
 * and one when the app is shown again.  A failed run is followed by
 * longer and longer waits (section 10: from a few seconds, doubled, up to
 * 5 minutes, with full jitter); the failure itself is the Device's to
 * keep (status().lastError) and is never thrown from here.  One run at a
 * time: a trigger while a run is under way is dropped (that run is the
 * sync it asked for).
 */

const EVERY_MS = 60 * 1000;
const BACKOFF_CAP_MS = 5 * 60 * 1000;

/* The wait before the next run after `failures` failed ones in a row. */
function nextDelay(failures) {
  if (!failures) return EVERY_MS;
  const ceiling = Math.min(BACKOFF_CAP_MS, 1000 * 2 ** (failures + 2));
  return Math.max(1000, Math.random() * ceiling);
}

/* Start running sync() (a function returning a promise); a stop function. */
export function autoSync(sync) {
  let timer = null;
  let busy = false;
  let failures = 0;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    clearTimeout(timer);
    try {
      await sync();
      failures = 0;
    } catch (error) {
      failures++;
    }
    busy = false;
    if (!stopped) timer = setTimeout(tick, nextDelay(failures));
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') tick();
  };
  window.addEventListener('online', tick);
  document.addEventListener('visibilitychange', onVisible);
  tick();
  return function stop() {
    stopped = true;
    clearTimeout(timer);
    window.removeEventListener('online', tick);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
