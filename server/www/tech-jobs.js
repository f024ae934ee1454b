/*
 * tech-jobs.js: the jobs screen of the technician's app (tech.html): the
 * jobs this phone holds, grouped by day in each job's own time zone.
 * Today's come first in route order (by the start of their window), then
 * tomorrow's and later days', then any from earlier days still open and
 * any with no time set.  Each item (li[data-job-id]) shows the window,
 * customer, address, status, priority and marks actions waiting to upload
 * and problems; it opens the job.
 */

import { h, top } from './tech-ui-kit.js';
import {
  zoneOf, dayIn, dayLabel, windowText, statusLabel, priorityLabel, plural,
} from './tech-format.js';
import { predictStatus, waiting, troubled } from './tech-actions.js';

/* The group of a job: [order, label]; order sorts the groups. */
function groupOf(job, now) {
  if (!job.windowStart) return ['9', 'No time set'];
  const zone = zoneOf(job);
  const today = dayIn(zone, now);
  const day = dayIn(zone, job.windowStart);
  if (day < today) return ['8', 'Earlier, still open'];
  return [`1${day}`, dayLabel(day, today)];
}

function item(job, actions) {
  const status = predictStatus(job, actions);
  const waits = waiting(actions).length;
  const problems = troubled(actions).length;
  const c = job.customer || {};
  return h('li', { class: 'job-item', dataset: { jobId: job.id, status } },
    h('a', { href: `#/job/${job.id}`, class: 'job-link' },
      h('span', { class: 'job-when', text: windowText(job) }),
      h('span', { class: 'job-customer', text: c.name || `Job ${job.id}` }),
      c.address ? h('span', { class: 'job-address', text: c.address }) : null,
      h('span', { class: 'job-tags' },
        h('span', { class: `badge status-${status}`, text: statusLabel(status) }),
        job.priority && job.priority <= 2 ? h('span', { class: 'badge urgent', text: priorityLabel(job.priority) }) : null,
        waits ? h('span', { class: 'badge waiting', text: `${waits} waiting to upload` }) : null,
        problems ? h('span', { class: 'badge problem', text: plural(problems, 'problem') }) : null)));
}

export async function renderJobs({ device }) {
  const jobs = await device.jobs();
  const all = await Promise.all(jobs.map((j) => device.actions(j.id)));
  const now = Date.now();
  const groups = new Map();
  jobs.forEach((job, i) => {
    const [order, label] = groupOf(job, now);
    if (!groups.has(order)) groups.set(order, { label, items: [] });
    groups.get(order).items.push([job, all[i]]);
  });
  const problems = (await device.problems()).length;
  const body = top('Your jobs');
  if (problems) body.push(h('p', { class: 'notice problem' }, h('a', { href: '#/problems', id: 'problems-link', text: `${plural(problems, 'problem')} to read` })));
  if (!jobs.length) body.push(h('p', { id: 'no-jobs', class: 'message', text: 'No jobs on this phone. New ones arrive when the phone syncs.' }));
  for (const order of [...groups.keys()].sort()) {
    const { label, items } = groups.get(order);
    items.sort(([a], [b]) => (a.windowStart - b.windowStart) || (a.id - b.id));
    body.push(h('section', { class: 'day', dataset: { day: label } },
      h('h2', { text: `${label} · ${plural(items.length, 'job')}` }),
      h('ol', { class: 'jobs' }, items.map(([job, actions]) => item(job, actions)))));
  }
  return { title: 'Jobs', body };
}
