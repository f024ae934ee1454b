/*
 * app-assign.js: assigning a job to a technician, by hand.  One request
 * for both ways of doing it - a drop on a lane and the pick-a-technician
 * dialog (#candidates) - POST /api/v1/jobs/{id}/assign; and the dialog
 * itself: the technicians ranked and explained by
 * GET /api/v1/jobs/{id}/candidates, each a button (.candidate[data-tech]),
 * moved through with the arrow keys, Enter picks; a reason field
 * (#assign-reason), required to re-assign or to override; the override
 * for managers and admins.  Refusals are shown in the dialog as the
 * server words them.
 */

import { byId, h, fill, openModal, closeModal, moveFocus } from './app-dom.js';
import { reasonLabel, statusLabel } from './app-format.js';
import { jobName } from './app-badges.js';
import { ASSIGNABLE } from './app-queue.js';

/*
 * board: { api, user, toast, job(id), techName(id), reload(), focusJob(id) }.
 * Returns { assign(job, techId, options), open(job, preselectTechId) }.
 */
export function createAssigner(board) {
  const dialog = byId('candidates');
  const list = byId('candidates-list');
  const reason = byId('assign-reason');
  const override = byId('assign-override');
  const error = byId('candidates-error');
  const mayOverride = board.user.role === 'manager' || board.user.role === 'admin';
  let current = null;      /* the job the dialog is for */
  let busy = false;

  async function assign(job, techId, { reason: why = '', override: force = false } = {}) {
    const body = { technician_id: techId };
    if (why) body.reason = why;
    if (force) body.override = true;
    if (!job.window_start && board.date()) body.date = board.date();
    const reply = await board.api.post(`/api/v1/jobs/${job.id}/assign`, body);
    const how = force ? ' (override)' : '';
    board.toast(`${jobName(job)} assigned to ${board.techName(techId)}${how}.`, 'ok');
    board.reload();
    return reply;
  }

  function showError(message) {
    error.textContent = message || '';
    error.hidden = !message;
  }

  function candidateButton(c) {
    const blocked = c.current || (!c.feasible && !mayOverride);
    const rank = c.feasible ? (c.rank === 1 ? 'Best' : `#${c.rank}`) : reasonLabel(c.reason);
    return h('li', null, h('button', {
      type: 'button', class: `candidate${c.feasible ? ' feasible' : ' infeasible'}${c.current ? ' current' : ''}`,
      dataset: { tech: c.technician_id }, disabled: blocked,
    },
    h('span', { class: 'candidate-name' }, c.name,
      c.current ? h('span', { class: 'badge' }, 'Current') : null,
      c.preferred ? h('span', { class: 'badge' }, 'Did the earlier visit') : null),
    h('span', { class: `candidate-rank${c.feasible ? '' : ' no'}` }, rank),
    h('span', { class: 'candidate-why' }, c.message)));
  }

  async function loadCandidates(job, preselect) {
    fill(list, h('li', { class: 'muted' }, 'Finding technicians…'));
    let reply;
    try {
      reply = await board.api.get(`/api/v1/jobs/${job.id}/candidates`);
    } catch (e) {
      fill(list);
      showError(e.message);
      return;
    }
    if (current !== job) return;
    fill(list, reply.candidates.map(candidateButton));
    byId('candidates-count').textContent =
      `${reply.feasible} of ${reply.candidates.length} technicians can take it on ${reply.date}.`;
    const wanted = preselect && list.querySelector(`.candidate[data-tech="${preselect}"]`);
    const first = wanted || list.querySelector('.candidate.feasible:not(:disabled)');
    if (wanted) wanted.classList.add('preselected');
    /* Move focus into the list unless the user is typing a reason. */
    if (first && document.activeElement !== reason) first.focus();
  }

  async function choose(button) {
    if (busy || !current || button.disabled) return;
    const techId = Number(button.dataset.tech);
    const why = reason.value.trim();
    const force = override.checked;
    const infeasible = button.classList.contains('infeasible');
    if (infeasible && !force) {
      showError(`${board.techName(techId)} cannot take this job. Tick “Override the check” and give a reason to assign anyway.`);
      return;
    }
    if ((current.technician_id !== null || force) && !why) {
      showError(current.technician_id !== null ? 'Give a reason for the re-assignment.' : 'Give a reason for the override.');
      reason.focus();
      return;
    }
    busy = true;
    dialog.setAttribute('aria-busy', 'true');
    try {
      await assign(current, techId, { reason: why, override: force && infeasible });
      closeModal(dialog);
    } catch (e) {
      showError(e.message);
    } finally {
      busy = false;
      dialog.removeAttribute('aria-busy');
    }
  }

  function open(job, preselect = null) {
    current = job;
    const reassign = job.technician_id !== null;
    byId('candidates-title').textContent = `${reassign ? 'Re-assign' : 'Assign'} ${jobName(job)}`;
    byId('candidates-count').textContent = '';
    byId('candidates-note').textContent = [
      reassign ? `Now with ${board.techName(job.technician_id)}.` : '',
      ASSIGNABLE.has(job.status) ? '' : `The job is “${statusLabel(job.status)}”: it can be assigned once its parts are reserved.`,
    ].join(' ').trim();
    reason.value = '';
    reason.required = reassign;
    byId('assign-reason-hint').textContent = reassign ? '(required to re-assign)' : '(optional)';
    override.checked = false;
    byId('assign-override-field').hidden = !mayOverride;
    showError('');
    openModal(dialog, reassign ? reason : byId('candidates-title'), () => board.focusJob(job.id));
    loadCandidates(job, preselect);
  }

  list.addEventListener('click', (event) => {
    const button = event.target.closest('.candidate');
    if (button) choose(button);
  });
  list.addEventListener('keydown', (event) => moveFocus(event, list, '.candidate'));
  reason.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const pick = list.querySelector('.candidate.preselected') || list.querySelector('.candidate.feasible:not(:disabled)');
      if (pick) choose(pick);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      const first = list.querySelector('.candidate:not(:disabled)');
      if (first) first.focus();
    }
  });
  byId('candidates-cancel').addEventListener('click', () => closeModal(dialog));
  dialog.addEventListener('close', () => { current = null; });

  return { assign, open };
}
