/*
 * app-drag.js: dragging jobs onto technicians' lanes on the board (HTML5
 * drag and drop).  A job (.job, in the queue or on a lane) is dragged; a
 * lane (.lane[data-tech]) takes the drop.  While a job is dragged, its
 * candidates (GET /api/v1/jobs/{id}/candidates) mark the lanes that can
 * and cannot take it, with the reason as tooltip - only a hint, the
 * server checks the drop.  A drop assigns an unassigned job at once; a
 * job that has a technician opens the candidates dialog on the lane's
 * technician, since a re-assignment needs a reason.  The keyboard path
 * to the same result is the "Assign…" dialog (app-assign.js).
 */

/*
 * root: the board; board: { api, toast, job(id), techName(id) };
 * assigner: app-assign.js's; onEnd(): called when a drag ends (the board
 * renders what arrived meanwhile).  Returns { dragging() → job id or null }.
 */
export function enableDrag(root, board, assigner, onEnd) {
  let dragging = null;
  let over = null;

  function markLane(lane) {
    if (over === lane) return;
    if (over) over.classList.remove('drop-over');
    over = lane;
    if (lane) lane.classList.add('drop-over');
  }

  async function markCandidates(job) {
    try {
      const reply = await board.api.get(`/api/v1/jobs/${job.id}/candidates`);
      if (dragging !== job.id) return;
      for (const c of reply.candidates) {
        const lane = root.querySelector(`.lane[data-tech="${c.technician_id}"]`);
        if (!lane) continue;
        lane.classList.add(c.feasible ? 'can-drop' : 'cannot-drop');
        lane.title = c.feasible ? `Can take it: ${c.message}` : `Cannot take it: ${c.message}`;
      }
    } catch { /* only a hint: the drop is checked by the server anyway */ }
  }

  function onDragstart(event) {
    const el = event.target.closest && event.target.closest('.job');
    const job = el && board.job(el.dataset.job);
    if (!job) return;
    dragging = job.id;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', String(job.id));
    el.classList.add('dragging');
    root.classList.add('is-dragging');
    markCandidates(job);
  }

  function onDragover(event) {
    const lane = dragging !== null && event.target.closest('.lane');
    markLane(lane || null);
    if (!lane) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }

  function endDrag() {
    if (dragging === null) return;
    markLane(null);
    root.classList.remove('is-dragging');
    for (const el of root.querySelectorAll('.dragging, .can-drop, .cannot-drop')) {
      el.classList.remove('dragging', 'can-drop', 'cannot-drop');
      if (el.classList.contains('lane')) el.removeAttribute('title');
    }
    dragging = null;
    onEnd();
  }

  async function onDrop(event) {
    const lane = event.target.closest('.lane');
    const job = board.job(dragging ?? event.dataTransfer.getData('text/plain'));
    if (!lane || !job) return;
    event.preventDefault();
    const tech = Number(lane.dataset.tech);
    endDrag();
    if (job.technician_id === tech) return;
    if (job.technician_id !== null) {
      assigner.open(job, tech);
      return;
    }
    try {
      await assigner.assign(job, tech);
    } catch (e) {
      /* the server's sentence already says who cannot take what: name
       * the technician instead of repeating it */
      const why = e.code === 'assignment_infeasible'
        ? e.message.replace(/^technician \d+ cannot take job \d+: /, '') : e.message;
      board.toast(`${board.techName(tech)} cannot take job #${job.id}: ${why}`, 'error');
    }
  }

  root.addEventListener('dragstart', onDragstart);
  root.addEventListener('dragover', onDragover);
  root.addEventListener('drop', onDrop);
  root.addEventListener('dragend', endDrag);
  return { dragging: () => dragging };
}
