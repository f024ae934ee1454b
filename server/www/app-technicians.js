/*
 * app-technicians.js: the technicians view of fsd's dispatcher app
 * (#/technicians).
 *
 * Lists every technician with skills and levels as chips, the weekly shifts
 * Monday to Sunday in the technician's own time zone, today's load from the
 * day board, and the enrolled devices.  Managers and admins edit a
 * technician in place (app-technician-edit.js: active, capacity, skill
 * levels, shifts); what a dispatcher can do is add a phone (a one-time
 * enrollment code, shown with its QR code by app-enroll.js) and revoke a
 * device, after an in-page confirmation.  An enrollment code is a
 * credential: it is kept in memory only, until its panel is closed or the
 * view goes, and never logged.  When the server refuses a code, its reason
 * shows in the technician's row.
 *
 * Stands alone: it gets everything from the shell through ctx
 * ({ api, user, navigate, toast }).  The day board may be missing on an
 * older server (404); the load then reads "—".
 */

import { el, isoDay } from './app-charts.js';
import { technicianEditor, technicianPatch } from './app-technician-edit.js';
import { enrollPanel } from './app-enroll.js';
import { duration } from './app-format.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEK = [1, 2, 3, 4, 5, 6, 0];   /* Monday first; the API counts 0 as Sunday */
const PAGE = 200;                     /* the API's largest page */

const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const when = (iso) => stamp.format(new Date(iso));

/* Every item of a paged collection. */
async function fetchAll(api, path) {
  const items = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: PAGE });
    if (cursor) query.set('cursor', cursor);
    const page = await api.get(`${path}?${query}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/* Mounts the view in `container`; returns its cleanup. */
export function mountTechnicians(container, ctx) {
  const view = {
    techs: [],
    devices: null,          /* null: they could not be loaded */
    loads: null,            /* technician id -> board entry; null: no board */
    skills: new Map(),      /* skill code -> name */
    codes: new Map(),       /* technician id -> the enrollment code shown */
    refusals: new Map(),    /* technician id -> why the last code was refused */
    confirming: new Set(),  /* device ids waiting for "Revoke device" */
    canEdit: ['manager', 'admin'].includes(ctx.user.role),
    panel: (tech, code) => enrollPanel(tech, code, { origin: location.origin, toast: ctx.toast }),
  };
  let disposed = false;

  const filter = el('input', { type: 'search', class: 'tp-filter', placeholder: 'Name or skill' });
  const activeOnly = el('input', { type: 'checkbox', class: 'tp-active-only' });
  const refresh = el('button', { type: 'button', class: 'tp-refresh' }, 'Refresh');
  const status = el('p', { class: 'tp-status', role: 'status' }, 'Loading…');
  const list = el('div', { class: 'tp-list' });
  const root = el('section', { id: 'technicians', class: 'tp', 'aria-labelledby': 'tp-title' },
    el('h1', { id: 'tp-title' }, 'Technicians'),
    el('p', { class: 'tp-note' }, (['manager', 'admin'].includes(ctx.user.role)
      ? 'Edit a technician\u2019s skills, shifts and capacity with Edit. ' : 'Managers edit skills, shifts and capacity. ') +
      'Add a phone for a technician with a one-time code, and revoke a device.'),
    el('div', { class: 'tp-tools' },
      el('label', {}, 'Filter ', filter), el('label', {}, activeOnly, ' Active only'), refresh),
    status, list);
  container.append(root);

  function shown() {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return view.techs.filter((tech) => {
      if (activeOnly.checked && !tech.active) return false;
      const text = [tech.name, ...tech.skills.flatMap((s) => [s.skill, view.skills.get(s.skill) || ''])]
        .join(' ').toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }

  function renderList() {
    const techs = shown();
    list.replaceChildren(...techs.map((tech) => techRow(tech, view)));
    const count = techs.length === view.techs.length ? `${techs.length}` : `${techs.length} of ${view.techs.length}`;
    status.textContent = `${count} technician${view.techs.length === 1 ? '' : 's'}.` +
      (view.loads ? '' : ' Today\u2019s load is not available.');
  }

  /* Draws one technician again and moves focus to `focus` inside it. */
  function refreshRow(techId, focus) {
    const old = list.querySelector(`.tp-tech[data-tech="${techId}"]`);
    const tech = view.techs.find((t) => t.id === techId);
    if (!old || !tech) return;
    const row = techRow(tech, view);
    old.replaceWith(row);
    if (focus) row.querySelector(focus)?.focus();
  }

  async function load() {
    status.textContent = 'Loading…';
    refresh.disabled = true;
    const [techs, devices, board, skills] = await Promise.allSettled([
      fetchAll(ctx.api, '/api/v1/technicians'),
      fetchAll(ctx.api, '/api/v1/devices'),
      ctx.api.get(`/api/v1/board?${new URLSearchParams({ date: isoDay() })}`),
      fetchAll(ctx.api, '/api/v1/skills'),
    ]);
    if (disposed) return;
    refresh.disabled = false;
    if (techs.status === 'rejected') {
      status.textContent = 'The technicians could not be loaded.';
      ctx.toast(techs.reason.message, 'error');
      return;
    }
    view.techs = techs.value.sort((a, b) => a.name.localeCompare(b.name));
    view.devices = devices.status === 'fulfilled' ? devices.value : null;
    if (devices.status === 'rejected') ctx.toast(devices.reason.message, 'error');
    view.loads = board.status === 'fulfilled'
      ? new Map((board.value.technicians || []).map((entry) => [entry.id, entry])) : null;
    if (board.status === 'rejected' && board.reason.status !== 404) ctx.toast(board.reason.message, 'error');
    if (skills.status === 'fulfilled') view.skills = new Map(skills.value.map((s) => [s.code, s.name]));
    renderList();
  }

  async function newCode(techId, button) {
    button.disabled = true;
    view.refusals.delete(techId);
    try {
      const code = await ctx.api.post(`/api/v1/technicians/${techId}/enrollment-codes`);
      if (disposed) return;
      view.codes.set(techId, code);
      refreshRow(techId, '.en-panel');
    } catch (error) {
      if (disposed) return;
      view.refusals.set(techId, error.message);
      /* Deactivated since the list was loaded: show it so. */
      if (error.code === 'technician_inactive') view.techs.find((t) => t.id === techId).active = false;
      refreshRow(techId, '.en-refused');
    }
  }

  function closeCode(techId) {
    view.codes.delete(techId);
    refreshRow(techId, '.tp-new-code');
  }

  async function revoke(techId, deviceId, button) {
    button.disabled = true;
    try {
      await ctx.api.del(`/api/v1/devices/${deviceId}`);
      if (disposed) return;
      const device = view.devices.find((d) => d.id === deviceId);
      device.revoked_at = new Date().toISOString();
      view.confirming.delete(deviceId);
      ctx.toast(`${device.name || 'The device'} is revoked.`, 'ok');
      refreshRow(techId, `.tp-device[data-device="${deviceId}"]`);
    } catch (error) {
      if (disposed) return;
      button.disabled = false;
      ctx.toast(error.message, 'error');
    }
  }

  /* Opens (or closes) the editor under the technician's row. */
  function edit(techId, button) {
    const row = button.closest('.tp-tech');
    const open = row.querySelector('.te-form');
    if (open) {
      open.remove();
      return;
    }
    row.append(technicianEditor(view.techs.find((t) => t.id === techId), view.skills));
    row.querySelector('.te-form input').focus();
  }

  function confirmRevoke(techId, deviceId, asking) {
    if (asking) view.confirming.add(deviceId);
    else view.confirming.delete(deviceId);
    refreshRow(techId, asking ? `.tp-revoke-cancel[data-device="${deviceId}"]`
      : `.tp-revoke[data-device="${deviceId}"]`);
  }

  list.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button || button.disabled) return;
    const techId = Number(button.closest('.tp-tech').dataset.tech);
    const deviceId = Number(button.dataset.device);
    if (button.matches('.tp-new-code')) newCode(techId, button);
    else if (button.matches('.tp-revoke')) confirmRevoke(techId, deviceId, true);
    else if (button.matches('.tp-revoke-cancel')) confirmRevoke(techId, deviceId, false);
    else if (button.matches('.tp-revoke-confirm')) revoke(techId, deviceId, button);
    else if (button.matches('.en-close')) closeCode(techId);
    else if (button.matches('.tp-edit')) edit(techId, button);
  });
  list.addEventListener('submit', async (event) => {
    const form = event.target.closest('.te-form');
    if (!form) return;
    event.preventDefault();
    const techId = Number(form.dataset.tech);
    try {
      const saved = await ctx.api.patch(`/api/v1/technicians/${techId}`, technicianPatch(form));
      view.techs = view.techs.map((t) => (t.id === techId ? saved : t));
      ctx.toast(`${saved.name} saved.`, 'ok');
      refreshRow(techId, '.tp-edit');
    } catch (error) {
      ctx.toast(error.message, 'error');
    }
  });
  /* Escape closes a revoke question, or else an enrollment panel. */
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const asking = event.target.closest('.tp-confirm');
    const enrolling = event.target.closest('.en-panel');
    const techId = Number(event.target.closest('.tp-tech')?.dataset.tech);
    if (asking) confirmRevoke(techId, Number(asking.querySelector('.tp-revoke-cancel').dataset.device), false);
    else if (enrolling) closeCode(techId);
  });
  filter.addEventListener('input', renderList);
  activeOnly.addEventListener('change', renderList);
  refresh.addEventListener('click', load);
  load();

  return () => {
    disposed = true;
    view.codes.clear();
    view.refusals.clear();
    root.remove();
  };
}

/* ---------- One technician ---------- */

function techRow(tech, view) {
  const nameId = `tp-name-${tech.id}`;
  return el('article', { class: tech.active ? 'tp-tech' : 'tp-tech tp-inactive', 'data-tech': tech.id,
    'aria-labelledby': nameId },
  el('header', { class: 'tp-head' },
    el('h2', { id: nameId }, tech.name),
    tech.active ? null : el('span', { class: 'tp-badge' }, 'inactive'),
    el('span', { class: 'tp-meta' }, `${tech.timezone} · ${duration(tech.capacity_minutes)} a day`),
    view.canEdit ? el('button', { type: 'button', class: 'tp-edit', 'aria-label': `Edit ${tech.name}` }, 'Edit') : null),
  el('div', { class: 'tp-body' },
    part('Skills', skillChips(tech.skills, view.skills)),
    part('Week', weekShifts(tech.shifts)),
    part('Today', todaysLoad(view.loads, tech)),
    part('Devices', devices(tech, view))));
}

function part(title, ...content) {
  return el('div', { class: `tp-part tp-part-${title.toLowerCase()}` }, el('h3', {}, title), ...content);
}

function skillChips(skills, names) {
  if (!skills.length) return el('p', { class: 'tp-none' }, 'No skills');
  return el('ul', { class: 'tp-skills' }, skills.map((s) => {
    const name = names.get(s.skill) || s.skill;
    return el('li', { class: 'tp-chip', title: `${name} (${s.skill}), level ${s.level} of 5` },
      name, el('span', { class: 'tp-sr' }, ', level'), el('span', { class: 'tp-level' }, String(s.level)));
  }));
}

function weekShifts(shifts) {
  return el('dl', { class: 'tp-week' }, WEEK.map((day) => {
    const times = shifts.filter((s) => s.weekday === day).map((s) => `${s.start}\u2013${s.end}`);
    return el('div', { class: times.length ? 'tp-day' : 'tp-day tp-off' },
      el('dt', {}, el('abbr', { title: DAY_NAMES[day] }, DAY_NAMES[day].slice(0, 3))),
      times.length ? times.map((t) => el('dd', {}, t)) : el('dd', {}, 'off'));
  }));
}

function todaysLoad(loads, tech) {
  const entry = loads && loads.get(tech.id);
  if (!entry) return el('p', { class: 'tp-load-text' }, loads ? 'Not on today\u2019s board' : '—');
  const capacity = entry.capacity_minutes ?? tech.capacity_minutes;
  const share = capacity > 0 ? entry.load_minutes / capacity : null;
  const fill = el('div', { class: 'tp-fill' });
  fill.style.width = `${Math.min(100, Math.round((share || 0) * 100))}%`;
  return el('div', { class: share > 1 ? 'tp-load tp-over' : 'tp-load' },
    el('div', { class: 'tp-bar', 'aria-hidden': 'true' }, fill),
    el('p', { class: 'tp-load-text' }, `${duration(entry.load_minutes)} of ${duration(capacity)}` +
      (share === null ? '' : ` (${Math.round(share * 100)} %)`)));
}

function devices(tech, view) {
  const mine = view.devices && view.devices.filter((d) => d.technician_id === tech.id);
  const code = view.codes.get(tech.id);
  const refused = view.refusals.get(tech.id);
  let listing;
  if (!mine) listing = el('p', { class: 'tp-none' }, 'The devices could not be loaded.');
  else if (!mine.length) listing = el('p', { class: 'tp-none' }, 'No devices enrolled');
  else listing = el('ul', { class: 'tp-devices' }, mine.map((d) => deviceItem(d, view.confirming.has(d.id))));
  /* While a code is shown, the button waits for its Close: one code on screen at a time. */
  return [listing,
    code ? null : el('button', { type: 'button', class: 'tp-new-code', 'data-tech': tech.id, disabled: !tech.active,
      title: tech.active ? null : 'An inactive technician cannot enroll a device' }, 'Add a phone'),
    refused ? el('p', { class: 'en-refused', role: 'alert', tabindex: '-1' }, `No code: ${refused}`) : null,
    code ? view.panel(tech, code) : null];
}

function deviceItem(device, confirming) {
  const name = device.name || `Device ${device.id}`;
  let action;
  if (device.revoked_at) {
    action = el('span', { class: 'tp-badge' }, `revoked ${when(device.revoked_at)}`);
  } else if (confirming) {
    action = el('span', { class: 'tp-confirm', role: 'group', 'aria-label': `Revoke ${name}?` },
      el('span', {}, 'Revoke it? It stops syncing at once.'),
      el('button', { type: 'button', class: 'tp-revoke-confirm tp-danger', 'data-device': device.id }, 'Revoke device'),
      el('button', { type: 'button', class: 'tp-revoke-cancel', 'data-device': device.id }, 'Cancel'));
  } else {
    action = el('button', { type: 'button', class: 'tp-revoke', 'data-device': device.id,
      'aria-label': `Revoke ${name}` }, 'Revoke');
  }
  return el('li', { class: device.revoked_at ? 'tp-device tp-revoked' : 'tp-device', 'data-device': device.id,
    tabindex: '-1' },
  el('span', { class: 'tp-device-name' }, name),
  el('span', { class: 'tp-meta' }, `key ${device.key_id} · enrolled ${when(device.enrolled_at)}`),
  action);
}
