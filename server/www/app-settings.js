/*
 * app-settings.js: the company's settings (#/settings), for managers and
 * admins.  The company profile (name, time zone, currency, the phone and
 * e-mail customers see, the call-out fee) and the staff accounts are an
 * admin's; the service levels of each priority (SLA policies: respond
 * within, on site within) a manager's or admin's.  A new account gets a
 * one-time password, shown once here and never logged; its holder
 * replaces it at first login.
 *
 * Stands alone: it gets everything from the shell through ctx
 * ({ api, user, navigate, toast }).
 */

import { h, fill } from './app-dom.js';
import { priorityLabel } from './app-format.js';

const input = (name, label, attrs = {}) =>
  h('label', { class: 'field' }, h('span', null, label), h('input', { name, ...attrs }));

function companyForm(c) {
  return h('form', { class: 'settings-company', id: 'settings-company' },
    h('h3', null, 'Company'),
    input('name', 'Name', { value: c.name, required: true, maxlength: '200' }),
    input('timezone', 'Time zone', { value: c.timezone, required: true }),
    input('currency', 'Currency', { value: c.currency, pattern: '[A-Z]{3}', maxlength: '3' }),
    input('phone', 'Phone for customers', { value: c.phone, maxlength: '40' }),
    input('email', 'E-mail for customers', { value: c.email, maxlength: '200' }),
    input('callout_fee', 'Call-out fee (out of warranty)', {
      type: 'number', min: '0', step: '0.01', value: (c.callout_fee_minor / 100).toFixed(2),
    }),
    h('button', { type: 'submit', class: 'button primary' }, 'Save company'));
}

function slaForm(policies) {
  return h('form', { class: 'settings-sla', id: 'settings-sla' },
    h('h3', null, 'Service levels'),
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['Priority', 'Respond within (min)', 'On site within (min)'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, policies.map((p) => h('tr', { dataset: { id: p.id } },
        h('th', { scope: 'row' }, `${p.id} · ${priorityLabel(p.id)}`),
        h('td', null, h('input', { name: `respond_${p.id}`, type: 'number', min: '1', max: '43200', value: p.respond_minutes, 'aria-label': `Respond within, priority ${p.id}` })),
        h('td', null, h('input', { name: `on_site_${p.id}`, type: 'number', min: '1', max: '43200', value: p.on_site_minutes, 'aria-label': `On site within, priority ${p.id}` })))))),
    h('button', { type: 'submit', class: 'button primary' }, 'Save service levels'));
}

function usersSection(users) {
  return h('section', { class: 'settings-users', id: 'settings-users' },
    h('h3', null, 'Staff accounts'),
    h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['User', 'Role', 'Active', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, users.map((u) => h('tr', { dataset: { id: u.id } },
        h('th', { scope: 'row' }, u.username), h('td', null, u.role),
        h('td', null, u.active ? 'yes' : 'no'),
        h('td', null, h('button', { type: 'button', class: 'button small toggle-user', dataset: { id: u.id, active: u.active } },
          u.active ? 'Deactivate' : 'Reactivate')))))),
    h('form', { class: 'new-user' },
      input('username', 'New user', { required: true, maxlength: '64' }),
      h('label', { class: 'field' }, h('span', null, 'Role'), h('select', { name: 'role' },
        ['dispatcher', 'manager', 'admin'].map((r) => h('option', { value: r }, r)))),
      h('button', { type: 'submit', class: 'button' }, 'Create account')),
    h('p', { class: 'muted', id: 'one-time', role: 'status' }));
}

export function mountSettings(container, ctx) {
  const admin = ctx.user.role === 'admin';
  const body = h('div', { class: 'settings' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(container, body);

  async function load() {
    const [company, sla, users] = await Promise.all([
      ctx.api.get('/api/v1/company'), ctx.api.get('/api/v1/sla-policies?limit=10'),
      admin ? ctx.api.get('/api/v1/users?limit=200') : null]);
    fill(body, h('h2', null, 'Settings'),
      admin ? companyForm(company) : null, slaForm(sla.items), admin ? usersSection(users.items) : null);
  }

  async function saveCompany(form) {
    const d = new FormData(form);
    await ctx.api.patch('/api/v1/company', {
      name: d.get('name'), timezone: d.get('timezone'), currency: d.get('currency'), phone: d.get('phone'),
      email: d.get('email'), callout_fee_minor: Math.round(Number(d.get('callout_fee')) * 100),
    });
    ctx.toast('Company saved.', 'ok');
  }

  async function saveSla(form) {
    const d = new FormData(form);
    for (const row of form.querySelectorAll('tbody tr')) {
      const id = row.dataset.id;
      await ctx.api.patch(`/api/v1/sla-policies/${id}`, {
        respond_minutes: Number(d.get(`respond_${id}`)), on_site_minutes: Number(d.get(`on_site_${id}`)),
      });
    }
    ctx.toast('Service levels saved.', 'ok');
  }

  async function createUser(form) {
    const d = new FormData(form);
    const u = await ctx.api.post('/api/v1/users', { username: d.get('username'), role: d.get('role') });
    await load();
    body.querySelector('#one-time').textContent =
      `${u.username}'s one-time password: ${u.one_time_password} (shown once; they choose their own at first login).`;
  }

  async function submit(event) {
    const form = event.target;
    event.preventDefault();
    const run = form.id === 'settings-company' ? saveCompany : form.id === 'settings-sla' ? saveSla
      : form.classList.contains('new-user') ? createUser : null;
    if (!run) return;
    try {
      await run(form);
    } catch (e) {
      ctx.toast(e.message, 'error');
    }
  }

  async function click(event) {
    const b = event.target.closest('.toggle-user');
    if (!b) return;
    try {
      await ctx.api.patch(`/api/v1/users/${b.dataset.id}`, { active: b.dataset.active !== 'true' });
      ctx.toast('Account changed.', 'ok');
      await load();
    } catch (e) {
      ctx.toast(e.message, 'error');
    }
  }

  container.addEventListener('submit', submit);
  container.addEventListener('click', click);
  load().catch((e) => fill(body, h('p', { class: 'form-error' }, e.message)));
  return () => {
    container.removeEventListener('submit', submit);
    container.removeEventListener('click', click);
  };
}
