/*
 * app-board.js: the dispatcher board, the app's main view (#/board and
 * #/board/YYYY-MM-DD).  One GET /api/v1/board per day shown (no per-job
 * requests), rendered as the technicians' lanes (app-lanes.js) and the
 * unassigned queue (app-queue.js); kept current by app-live.js, which
 * re-fetches the day when jobs change and re-renders in place, keeping
 * focus, scroll positions and the open drawer.
 *
 * Ways to assign: drag a job onto a lane (app-drag.js); or, with
 * the keyboard, "Assign…" (or A on a job) for the ranked candidates
 * dialog (app-assign.js); "Auto-assign the day" for a plan (app-plan.js).
 * Click a job, or Enter on it, for its drawer (app-drawer.js).  The queue
 * and the lanes are each one tab stop; arrow keys move between jobs.
 *
 * #board carries data-ready="true" and data-seq once a render is done;
 * the first render of a day also sets the performance mark fsd:board-ready.
 */

import { byId, selectorOf, moveFocus } from './app-dom.js';
import { addDays, longDate, plural, setZone, currentZone, browserZone } from './app-format.js';
import { renderLanes, dayRange, HEAD_WIDTH } from './app-lanes.js';
import { renderQueue } from './app-queue.js';
import { createAssigner } from './app-assign.js';
import { createPlanner } from './app-plan.js';
import { createDrawer } from './app-drawer.js';
import { startLive } from './app-live.js';
import { enableDrag } from './app-drag.js';
import { boardPath } from './app-boot.js';

const ZONE_KEY = 'fsd.board.zone';

/*
 * Mount the board in container for date (null: the server's today).
 * prefetched: a promise of that day's board reply started at page load.
 * Returns { cleanup(), show(date) }.
 */
export function mountBoard(container, ctx, date, prefetched) {
  container.replaceChildren(byId('board-template').content.cloneNode(true));
  const root = byId('board');
  const lanes = byId('lanes');
  const wrap = byId('lanes-wrap');
  const queue = byId('queue');
  /* today: the company's date, as the server answers a board asked for no day */
  const state = { date, today: null, data: null, jobs: new Map(), techs: new Map(), skills: new Map(), filter: null, stale: false };
  const stops = { queue: null, lanes: null };   /* the job ids that hold each list's tab stop */
  let shown = 0;        /* counts loads, so a slow answer for another day is dropped */

  const board = {
    api: ctx.api, user: ctx.user, toast: ctx.toast,
    date: () => state.date,
    job: (id) => state.jobs.get(Number(id)) || null,
    techName: (id) => (state.techs.get(Number(id)) || { name: `Technician ${id}` }).name,
    reload, focusJob,
    openAssign: (job) => assigner.open(job),
  };
  const assigner = createAssigner(board);
  const planner = createPlanner(board);
  const drawer = createDrawer(board);
  const drag = enableDrag(root, board, assigner, () => {
    if (state.stale) {
      state.stale = false;
      render();
    }
  });

  /* ---------- Data ---------- */

  function apply(data) {
    state.data = data;
    state.date = data.date;
    state.jobs = new Map(data.jobs.map((j) => [j.id, j]));
    state.techs = new Map(data.technicians.map((t) => [t.id, t]));
    for (const t of data.technicians) for (const s of t.skills) state.skills.set(s.code, s.name || s.code);
    addTechZones();
  }

  async function load(day, pending) {
    const mine = ++shown;
    root.dataset.ready = 'false';
    state.date = day;
    try {
      const data = await (pending || ctx.api.get(boardPath(day)));
      if (mine !== shown) return;
      if (!day) state.today = data.date;
      apply(data);
      render();
      showLive(document.hidden ? 'paused' : 'live');
    } catch (e) {
      if (mine === shown && e.status !== 401) {
        byId('board-stats').textContent = `The board could not be loaded: ${e.message}`;
        ctx.toast(e.message, 'error');
      }
    }
  }

  let reloading = null;
  let reloadAgain = false;
  /* Re-fetch the day shown; calls made meanwhile are merged into one more fetch. */
  function reload() {
    if (reloading) {
      reloadAgain = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        reloadAgain = false;
        const mine = shown;
        try {
          const data = await ctx.api.get(boardPath(state.date));
          if (mine === shown && data.date === state.date) {
            apply(data);
            if (drag.dragging() !== null) state.stale = true;
            else render();
          }
        } catch (e) {
          if (e.status !== 401) ctx.toast(`The board could not be refreshed: ${e.message}`, 'error');
        }
      } while (reloadAgain);
      reloading = null;
    })();
    return reloading;
  }

  /* ---------- Rendering ---------- */

  function render() {
    const data = state.data;
    const active = root.contains(document.activeElement) ? document.activeElement : null;
    const focusSel = active && !active.closest('dialog, #drawer') ? selectorOf(active) : null;
    const focusJobId = active && active.closest('.job') ? active.closest('.job').dataset.job : null;
    const scroll = [wrap.scrollTop, wrap.scrollLeft, queue.scrollTop];
    const range = dayRange(data);
    const width = wrap.clientWidth - HEAD_WIDTH - 16;
    const ppm = Math.min(6, Math.max(1.1, width / range.minutes));

    renderLanes(lanes, data, range, ppm, state.skills);
    const q = renderQueue(queue, data.jobs, state.skills, state.filter ?? byId('queue-filter').value);
    state.filterQueue = q.filter;
    showCounts(q.total, q.shown);
    setStop(queue, 'queue', stops.queue);
    setStop(lanes, 'lanes', stops.lanes);
    /* Only when scrolled: setting scroll positions forces a layout. */
    if (scroll.some(Boolean)) [wrap.scrollTop, wrap.scrollLeft, queue.scrollTop] = scroll;

    byId('board-title').textContent = longDate(data.date);
    byId('board-date').value = data.date;
    const back = focusSel && root.querySelector(focusSel);
    const fallback = focusJobId && root.querySelector(`.job[data-job="${focusJobId}"]`);
    if (back || fallback) (back || fallback).focus({ preventScroll: true });
    root.dataset.seq = data.seq;
    root.dataset.date = data.date;
    if (root.dataset.ready !== 'true') performance.mark('fsd:board-ready');
    root.dataset.ready = 'true';
  }

  function showCounts(waiting, visible) {
    const jobs = state.data.jobs;
    const late = jobs.filter((j) => j.sla_risk === 'late').length;
    const risk = jobs.filter((j) => j.sla_risk === 'at_risk').length;
    byId('board-stats').textContent = [
      plural(jobs.length, 'job'), plural(state.data.technicians.length, 'technician'),
      `${waiting} unassigned`, late ? `${late} late` : '', risk ? `${risk} at risk` : '',
    ].filter(Boolean).join(' · ');
    byId('queue-count').textContent = visible === waiting ? `(${waiting})` : `(${visible} of ${waiting})`;
    byId('queue-empty').hidden = waiting > 0;
    byId('queue-empty').textContent = jobs.length ? 'Every job of the day has a technician.' : 'No jobs on this day.';
  }

  /* The list's one tab stop: the job that had it, else the first one shown. */
  function setStop(list, key, jobId) {
    for (const el of list.querySelectorAll('[tabindex="0"]')) el.tabIndex = -1;
    const job = (jobId && list.querySelector(`.job[data-job="${jobId}"]:not([hidden])`)) ||
      list.querySelector('.job:not([hidden])');
    if (!job) return;
    job.tabIndex = 0;
    const assign = job.querySelector('.assign');
    if (assign) assign.tabIndex = 0;
    stops[key] = job.dataset.job;
  }

  function focusJob(id) {
    const el = id && root.querySelector(`.job[data-job="${id}"]`);
    if (!el) return null;
    setStop(el.closest('#queue') ? queue : lanes, el.closest('#queue') ? 'queue' : 'lanes', String(id));
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    return el;
  }

  /* ---------- Pointer and keyboard ---------- */

  function onClick(event) {
    const assign = event.target.closest('.assign');
    if (assign) {
      const job = board.job(assign.dataset.job);
      if (job) assigner.open(job);
      return;
    }
    const day = event.target.closest('[data-day]');
    if (day) {
      const step = Number(day.dataset.day);
      ctx.navigate(step && state.date ? `#/board/${addDays(state.date, step)}` : '#/board');
      return;
    }
    const job = event.target.closest('.job');
    if (job) drawer.open(Number(job.dataset.job));
  }

  function onKeydown(event) {
    const job = event.target.closest('.job');
    if (!job || event.altKey || event.ctrlKey || event.metaKey) return;
    const list = job.closest('#queue') || lanes;
    if (moveFocus(event, list, '.job:not([hidden])')) return;
    if (event.key === 'a' || event.key === 'A') {
      event.preventDefault();
      const data = board.job(job.dataset.job);
      if (data) assigner.open(data);
    } else if ((event.key === 'Enter' || event.key === ' ') && event.target === job && job.tagName === 'LI') {
      event.preventDefault();
      drawer.open(Number(job.dataset.job));
    }
  }

  function onFocusin(event) {
    const job = event.target.closest('.job');
    if (!job) return;
    const inQueue = Boolean(job.closest('#queue'));
    const key = inQueue ? 'queue' : 'lanes';
    if (stops[key] !== job.dataset.job) setStop(inQueue ? queue : lanes, key, job.dataset.job);
  }

  /* Escape closes the drawer from anywhere on the board (dialogs handle their own). */
  function onDocumentKeydown(event) {
    if (event.key === 'Escape' && drawer.isOpen() && !document.querySelector('dialog[open]')) drawer.close();
  }

  /* ---------- Toolbar ---------- */

  function fillZones() {
    const select = byId('board-zone');
    /* the company's zone first, and the default: the day the desk works */
    const company = document.documentElement.dataset.companyZone || browserZone();
    const label = { [company]: `${company} (company)` };
    if (!label[browserZone()]) label[browserZone()] = `${browserZone()} (yours)`;
    const zones = [...new Set([company, browserZone(), 'UTC'])];
    const saved = localStorage.getItem(ZONE_KEY);
    if (saved && !zones.includes(saved)) zones.push(saved);
    select.replaceChildren(...zones.map((z) => new Option(label[z] || z, z)));
    setZone(saved || company);
    select.value = currentZone();
  }

  function addTechZones() {
    const select = byId('board-zone');
    const known = new Set([...select.options].map((o) => o.value));
    for (const t of state.techs.values()) {
      if (t.timezone && !known.has(t.timezone)) {
        known.add(t.timezone);
        select.append(new Option(`${t.timezone} (technicians)`, t.timezone));
      }
    }
  }

  function onZone(event) {
    setZone(event.target.value);
    localStorage.setItem(ZONE_KEY, currentZone());
    if (state.data) render();
  }

  /* ---------- Wiring ---------- */

  function showLive(status) {
    const el = byId('live-status');
    el.dataset.status = status;
    el.textContent = { live: 'Live', paused: 'Paused', offline: 'Reconnecting…' }[status];
  }

  function advance(seq) {
    if (!state.data) return;
    state.data.seq = Math.max(state.data.seq, seq);
    root.dataset.seq = state.data.seq;
  }

  /* Does the board already show every one of these {id, version}?  A note
   * logs the version it leaves unchanged, so it needs no re-fetch. */
  function showsAll(changed) {
    if (!state.data) return false;
    return changed.every((c) => c.version !== null && state.jobs.get(c.id)?.version >= c.version);
  }

  const live = startLive(ctx.api, {
    seq: () => (state.data && root.dataset.ready === 'true' ? state.data.seq : null),
    advance,
    changed: async (reply) => {
      if (reply.others_changed || reply.more || !showsAll(reply.jobs)) await reload();
      else advance(reply.seq);
      if (drawer.isOpen() && reply.job_ids.includes(drawer.jobId())) drawer.refresh();
    },
  }, showLive);

  let resizeTimer = null;
  const onResize = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => state.data && render(), 150);
  };

  root.addEventListener('click', onClick);
  root.addEventListener('keydown', onKeydown);
  root.addEventListener('focusin', onFocusin);
  byId('auto-assign').addEventListener('click', () => state.data && planner.open());
  byId('board-date').addEventListener('change', (e) => e.target.value && ctx.navigate(`#/board/${e.target.value}`));
  byId('board-zone').addEventListener('change', onZone);
  byId('queue-filter').addEventListener('input', (e) => {
    state.filter = e.target.value;
    if (!state.filterQueue) return;
    const visible = state.filterQueue(state.filter);
    showCounts(queue.children.length, visible);
    setStop(queue, 'queue', stops.queue);
  });
  document.addEventListener('keydown', onDocumentKeydown);
  window.addEventListener('resize', onResize);

  fillZones();
  load(date, prefetched);

  return {
    show(day) {
      if (state.data && (day || state.today) === state.date) return;
      drawer.close();
      load(day);
    },
    cleanup() {
      live.stop();
      shown++;
      drawer.close();
      for (const d of root.querySelectorAll('dialog[open]')) d.close();
      document.removeEventListener('keydown', onDocumentKeydown);
      window.removeEventListener('resize', onResize);
      clearTimeout(resizeTimer);
    },
  };
}
