/*
 * app-live.js: live refresh of the dispatcher board.  Polls
 * GET /api/v1/changes?after=<seq> once a second with the board's cursor;
 * when jobs (or technicians, parts…) changed, hands the reply to the board
 * (which re-fetches and re-renders in place when what it shows is out of
 * date), otherwise just moves the cursor on.  Pauses
 * while the tab is hidden and polls at once when it shows again; backs
 * off while the server cannot be reached and says so through onStatus
 * ('live', 'paused', 'offline').
 */

const INTERVAL_MS = 1000;
const MAX_BACKOFF_MS = 10000;

/*
 * source: { seq() → the cursor or null, advance(seq),
 *          changed(reply) → Promise } (reply: the feed's answer).
 * Returns { stop(), now() } - now() polls at once (after a local change).
 */
export function startLive(api, source, onStatus = () => {}) {
  let timer = null;
  let busy = false;
  let again = false;
  let stopped = false;
  let failures = 0;

  function schedule(delay) {
    clearTimeout(timer);
    timer = stopped || document.hidden ? null : setTimeout(poll, delay);
  }

  async function poll() {
    timer = null;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    let delay = INTERVAL_MS;
    try {
      const seq = source.seq();
      if (seq !== null && seq !== undefined) {
        const reply = await api.get(`/api/v1/changes?after=${encodeURIComponent(seq)}`);
        if (reply.job_ids.length || reply.others_changed || reply.more) await source.changed(reply);
        else source.advance(reply.seq);
        if (reply.more) delay = 0;
      }
      failures = 0;
      onStatus('live');
    } catch (error) {
      if (error.status === 401) stopped = true;
      failures++;
      delay = Math.min(MAX_BACKOFF_MS, INTERVAL_MS * 2 ** failures);
      onStatus('offline');
    }
    busy = false;
    if (again) {
      again = false;
      delay = 0;
    }
    schedule(delay);
  }

  function onVisibility() {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
      onStatus('paused');
    } else {
      schedule(0);
    }
  }

  document.addEventListener('visibilitychange', onVisibility);
  schedule(INTERVAL_MS);
  return {
    now: () => schedule(0),
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
