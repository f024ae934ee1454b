/*
 * app-technician-edit.js: a manager's editor of one technician, opened
 * from the technicians view (app-technicians.js): active or not, the
 * day's capacity, the level of every skill (none, 1 to 5), one shift a
 * weekday in the technician's own time zone, and days off beyond the rota
 * (each stretch kept while both its dates are filled in; one empty row
 * adds another).  Saving is one PATCH of the
 * technician; the server checks every field and its refusal is shown as
 * it comes.
 */

import { el } from './app-charts.js';

const DAYS = [[1, 'Monday'], [2, 'Tuesday'], [3, 'Wednesday'], [4, 'Thursday'], [5, 'Friday'], [6, 'Saturday'], [0, 'Sunday']];

function levelSelect(code, name, level) {
  const select = el('select', { name: `skill:${code}`, 'aria-label': `${name} level` },
    el('option', { value: '' }, 'none'),
    ...[1, 2, 3, 4, 5].map((n) => el('option', { value: String(n) }, String(n))));
  select.value = level ? String(level) : '';
  return el('label', { class: 'te-skill' }, `${name} `, select);
}

function shiftRow(day, name, shift) {
  return el('div', { class: 'te-shift' },
    el('span', {}, name),
    el('input', { type: 'time', name: `start:${day}`, value: shift ? shift.start : '', 'aria-label': `${name} from` }),
    el('input', { type: 'time', name: `end:${day}`, value: shift ? shift.end : '', 'aria-label': `${name} until` }));
}

function timeOffRow(i, off) {
  return el('div', { class: 'te-off' },
    el('input', { type: 'date', name: `off_first:${i}`, value: off ? off.first_day : '', 'aria-label': `Day off ${i + 1}: first day` }),
    el('input', { type: 'date', name: `off_last:${i}`, value: off ? off.last_day : '', 'aria-label': `Day off ${i + 1}: last day` }),
    el('input', { name: `off_reason:${i}`, value: off ? off.reason : '', maxlength: '200', placeholder: 'Reason', 'aria-label': `Day off ${i + 1}: reason` }));
}

/* The editor of tech; skills: Map of every skill code to its name. */
export function technicianEditor(tech, skills) {
  const level = new Map(tech.skills.map((s) => [s.skill, s.level]));
  const capacity = el('input', { type: 'number', name: 'capacity_minutes', min: '0', max: '1440', value: String(tech.capacity_minutes) });
  const active = el('input', { type: 'checkbox', name: 'active' });
  active.checked = tech.active;
  return el('form', { class: 'te-form', 'data-tech': tech.id },
    el('label', {}, active, ' Active'),
    el('label', {}, 'Work a day (minutes) ', capacity),
    el('fieldset', {}, el('legend', {}, 'Skills'),
      ...[...skills].map(([code, name]) => levelSelect(code, name, level.get(code)))),
    el('fieldset', {}, el('legend', {}, `Shifts (${tech.timezone})`),
      ...DAYS.map(([day, name]) => shiftRow(day, name, tech.shifts.find((s) => s.weekday === day)))),
    el('fieldset', { class: 'te-time-off' }, el('legend', {}, 'Days off (first and last day)'),
      ...[...(tech.time_off || []), null].map((off, i) => timeOffRow(i, off))),
    el('button', { type: 'submit', class: 'te-save' }, 'Save technician'));
}

/* The PATCH body the editor's form says. */
export function technicianPatch(form) {
  const data = new FormData(form);
  const body = { active: data.has('active'), capacity_minutes: Number(data.get('capacity_minutes')), skills: [], shifts: [] };
  for (const [key, value] of data) {
    if (key.startsWith('skill:') && value) body.skills.push({ skill: key.slice(6), level: Number(value) });
  }
  for (const [day] of DAYS) {
    const start = data.get(`start:${day}`), end = data.get(`end:${day}`);
    if (start && end) body.shifts.push({ weekday: day, start, end });
  }
  body.time_off = [];
  for (let i = 0; data.has(`off_first:${i}`); i++) {
    const first = data.get(`off_first:${i}`), last = data.get(`off_last:${i}`);
    if (first && last) body.time_off.push({ first_day: first, last_day: last, reason: data.get(`off_reason:${i}`) });
  }
  return body;
}
