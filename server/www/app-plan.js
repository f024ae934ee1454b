/*
 * app-plan.js: "Auto-assign the day".  Asks the server for a dry-run
 * plan of the board's date (POST /api/v1/plans), shows it in the dialog
 * #plan as a diff - new assignments, moves from one technician to
 * another, jobs left unassigned with the reason, and the day's numbers
 * before and after (jobs assigned, SLA lateness, travel, balance) - and
 * applies it (POST /api/v1/plans/{id}/apply) only when the dispatcher
 * confirms.  A plan the day has outrun (409 plan_stale) is said so and
 * can be made again.  Nothing changes on Cancel.
 */

import { byId, h, fill, openModal, closeModal } from './app-dom.js';
import { plural, time, duration, percent, planReasonLabel, longDate } from './app-format.js';
import { jobName } from './app-badges.js';

/* board: { api, toast, date(), job(id), techName(id), reload() } */
export function createPlanner(board) {
  const dialog = byId('plan');
  const body = byId('plan-body');
  const summary = byId('plan-summary');
  const apply = byId('plan-apply');
  const error = byId('plan-error');
  let plan = null;
  let busy = false;

  const jobText = (id) => (board.job(id) ? jobName(board.job(id)) : `#${id}`);

  function showError(message) {
    error.textContent = message || '';
    error.hidden = !message;
  }

  function table(caption, headings, rows) {
    if (!rows.length) return null;
    return h('table', { class: 'table plan-table' },
      h('caption', null, caption),
      h('thead', null, h('tr', null, headings.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c) => h('td', null, c))))));
  }

  function metrics(before, after) {
    const row = (name, a, b, better) => {
      const changed = a !== b;
      const cls = !changed ? '' : better ? ' better' : ' worse';
      return h('tr', { class: cls.trim() || null },
        h('th', { scope: 'row' }, name), h('td', null, a), h('td', null, b));
    };
    const spread = (m) => `${percent(m.utilisation.min)}–${percent(m.utilisation.max)}`;
    return h('table', { class: 'table plan-metrics' },
      h('caption', null, 'The day before and after'),
      h('thead', null, h('tr', null, h('td'), h('th', { scope: 'col' }, 'Now'), h('th', { scope: 'col' }, 'With the plan'))),
      h('tbody', null,
        row('Jobs assigned', `${before.assigned} of ${before.jobs}`, `${after.assigned} of ${after.jobs}`, after.assigned > before.assigned),
        row('Late against SLA', duration(before.lateness_minutes), duration(after.lateness_minutes), after.lateness_minutes < before.lateness_minutes),
        row('Travel', duration(before.travel_minutes), duration(after.travel_minutes), after.travel_minutes < before.travel_minutes),
        row('Balance (lower is more even)', String(before.balance), String(after.balance), after.balance < before.balance),
        row('Load, least to most busy', spread(before), spread(after),
          after.utilisation.spread < before.utilisation.spread)));
  }

  function show(p) {
    plan = p;
    const changes = p.assignments.length + p.moves.length;
    summary.textContent = changes
      ? `${plural(p.assignments.length, 'new assignment')}, ${plural(p.moves.length, 'move')}, ` +
        `${plural(p.unassigned.length, 'job')} left unassigned, ${p.unchanged} unchanged.`
      : `Nothing to change: ${plural(p.unassigned.length, 'job')} left unassigned, ${p.unchanged} unchanged.`;
    /* a day under way is planned from now on, and a lone new job only slotted in */
    const notes = [p.planned_from ? `Planned from ${time(p.planned_from)}: nothing is placed earlier.` : '',
      p.method === 'insertion' ? 'The new job was slotted in; nothing else moves.' : ''].filter(Boolean);
    if (notes.length) summary.textContent += ` ${notes.join(' ')}`;
    summary.dataset.assignments = p.assignments.length;
    summary.dataset.moves = p.moves.length;
    summary.dataset.unassigned = p.unassigned.length;
    fill(body,
      metrics(p.before, p.after),
      table('New assignments', ['Job', 'To', 'Starts'],
        p.assignments.map((a) => [jobText(a.job_id), board.techName(a.to), time(a.start)])),
      table('Moves', ['Job', 'From', 'To', 'Starts'],
        p.moves.map((m) => [jobText(m.job_id), board.techName(m.from), `→ ${board.techName(m.to)}`, time(m.start)])),
      table('Left unassigned', ['Job', 'Why'],
        p.unassigned.map((u) => [jobText(u.job_id), `${planReasonLabel(u.reason)}: ${u.message}`])));
    apply.disabled = !changes;
    apply.textContent = 'Apply the plan';
  }

  async function makePlan() {
    plan = null;
    apply.disabled = true;
    showError('');
    summary.textContent = 'Planning the day…';
    delete summary.dataset.assignments;
    fill(body);
    try {
      show(await board.api.post('/api/v1/plans', { date: board.date() }));
    } catch (e) {
      summary.textContent = '';
      showError(e.message);
    }
  }

  async function applyPlan() {
    if (busy) return;
    if (!plan) {
      makePlan();
      return;
    }
    busy = true;
    apply.disabled = true;
    try {
      const done = await board.api.post(`/api/v1/plans/${plan.id}/apply`, {});
      board.toast(`Plan applied: ${plural(done.applied ?? 0, 'change')}.`, 'ok');
      closeModal(dialog);
      board.reload();
    } catch (e) {
      showError(e.code === 'plan_stale'
        ? 'The day has changed since this plan was made, so nothing was applied. Make a new plan.'
        : e.message);
      if (e.code === 'plan_stale') {
        plan = null;
        apply.textContent = 'Plan again';
      }
      apply.disabled = false;
    } finally {
      busy = false;
    }
  }

  apply.addEventListener('click', applyPlan);
  byId('plan-cancel').addEventListener('click', () => closeModal(dialog));

  return {
    open() {
      byId('plan-title').textContent = `Auto-assign ${longDate(board.date())}`;
      openModal(dialog, byId('plan-cancel'));
      makePlan();
    },
  };
}
