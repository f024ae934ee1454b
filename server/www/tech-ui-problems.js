/*
 * tech-ui-problems.js: the problems screen of the technician's app
 * (tech.html): every action the server refused or flagged for a
 * dispatcher, newest first, in plain words (the engine's explanation),
 * with what became of it: a refused action changed nothing on the job and
 * is kept only here; a conflict is kept whole for the dispatcher, who
 * decides.  Each links to its job when the phone still holds it.
 */

import { h, top } from './tech-ui-kit.js';
import { actionLabel, stateLabel, dateTimeIn, companyZone, words } from './tech-format.js';

/* a conflict's explanation says itself that it was kept for the dispatcher */
const KEPT = {
  REJECTED: 'Nothing changed on the job. What you recorded stays on this phone, here.',
};

export async function renderProblems({ device }) {
  const problems = await device.problems();
  const body = [
    ...top('Problems', { back: '#/', backText: '‹ Jobs' }),
  ];
  if (!problems.length) body.push(h('p', { class: 'message', id: 'no-problems', text: 'No problems: the server took everything this phone sent.' }));
  body.push(h('ol', { class: 'problems', id: 'problems' }, problems.map((p) =>
    h('li', { class: 'card', dataset: { state: p.state, mutationId: p.mutationId } },
      h('p', null, h('strong', { text: actionLabel(p.kind) }), ' · ',
        h('span', { class: `badge state-${p.state}`, text: stateLabel(p.state) }),
        p.jobId ? [' · ', h('a', { href: `#/job/${p.jobId}`, text: `Job ${p.jobId}` })] : null),
      p.deviceTime ? h('p', { class: 'hint', text: `Recorded ${dateTimeIn(companyZone, p.deviceTime)}` }) : null,
      h('p', { class: 'explanation', text: p.explanation || p.message || words(p.code) }),
      KEPT[p.state] ? h('p', { class: 'hint', text: KEPT[p.state] }) : null))));
  return { title: 'Problems', body };
}
