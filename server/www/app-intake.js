/*
 * app-intake.js: taking a request (#/intake), the desk's first screen of
 * a job.  Find the customer by name, phone or a unit's serial/IMEI (the
 * API's ?q=), or create one; pick the unit, with its warranty shown at
 * once, or add it, and see the customer's maintenance entitlement; then
 * the job form (app-intake-job.js) and its booking.
 *
 * Stands alone: it gets everything from the shell through ctx
 * ({ api, user, navigate, toast }).
 */

import { h, fill, facts } from './app-dom.js';
import { plural } from './app-format.js';
import { warrantyText } from './app-record.js';
import { jobForm, suggestSkills } from './app-intake-job.js';

/* "1 of 2 left in 2026" / "None included". */
function entitlementWords(e) {
  if (!e || !e.visits_per_year) return 'None included';
  return `${e.visits_left} of ${plural(e.visits_per_year, 'visit')} left in ${e.year}`;
}

const input = (name, label, attrs = {}) =>
  h('label', { class: 'field' }, h('span', null, label), h('input', { name, ...attrs }));

function customerForm() {
  return h('form', { class: 'intake-new-customer' },
    h('h3', null, 'New customer'),
    input('name', 'Name', { required: true, maxlength: '200' }),
    input('phone', 'Phone', { maxlength: '40' }),
    input('address', 'Address', { maxlength: '500' }),
    h('label', { class: 'field' }, h('span', null, 'Tier'),
      h('select', { name: 'tier' }, h('option', { value: 'regular' }, 'Regular'),
        h('option', { value: 'key_account' }, 'Key account'))),
    h('button', { type: 'submit', class: 'button' }, 'Create customer'));
}

function assetForm() {
  return h('form', { class: 'intake-new-asset' },
    h('h3', null, 'New unit'),
    input('model', 'Model', { required: true, maxlength: '200' }),
    input('serial', 'Serial or IMEI', { required: true, maxlength: '100' }),
    input('purchase_date', 'Bought on', { type: 'date' }),
    input('warranty_months', 'Warranty (months)', { type: 'number', min: '0', max: '240', value: '12' }),
    h('button', { type: 'submit', class: 'button' }, 'Add unit'));
}

/* Form fields as a body: empty ones left out, numbers as numbers. */
function body(form) {
  const out = {};
  for (const [key, value] of new FormData(form)) {
    if (value === '') continue;
    out[key] = form.elements[key].type === 'number' ? Number(value) : value;
  }
  return out;
}

export function mountIntake(container, ctx) {
  const state = { customer: null, assets: [], asset: null, entitlement: null };
  const search = h('input', { type: 'search', id: 'intake-search', placeholder: 'Name, phone, or serial / IMEI', 'aria-label': 'Find a customer' });
  const results = h('ul', { class: 'rows intake-results', id: 'intake-results' });
  const chosen = h('section', { class: 'intake-chosen', id: 'intake-chosen', hidden: true });
  const status = h('p', { class: 'muted', role: 'status' }, 'Find the customer first, or create one.');
  let timer = null;
  let disposed = false;

  fill(container, h('div', { class: 'intake' },
    h('h2', null, 'New request'),
    h('section', { class: 'intake-find' }, h('h3', null, 'Customer'), search, status, results, customerForm()),
    chosen));

  async function find() {
    const q = search.value.trim();
    if (q.length < 2) return fill(results);
    try {
      const page = await ctx.api.get(`/api/v1/customers?${new URLSearchParams({ q, limit: 20 })}`);
      if (disposed) return;
      status.textContent = page.items.length ? `${plural(page.items.length, 'customer')} found.` : 'Nobody found: create the customer below.';
      fill(results, page.items.map((c) => h('li', null,
        h('button', { type: 'button', class: 'button small pick-customer', dataset: { id: c.id } }, 'Choose'),
        h('span', { class: 'row-main' }, c.name), h('span', { class: 'muted' }, [c.phone, c.address].filter(Boolean).join(' · ')))));
    } catch (e) {
      status.textContent = e.message;
    }
  }

  async function choose(id) {
    const [customer, assets, entitlement] = await Promise.all([
      ctx.api.get(`/api/v1/customers/${id}`), ctx.api.get(`/api/v1/assets?customer_id=${id}&limit=200`),
      ctx.api.get(`/api/v1/customers/${id}/entitlement`)]);
    state.customer = customer;
    state.assets = assets.items;
    state.entitlement = entitlement;
    state.asset = state.assets.length === 1 ? state.assets[0] : null;
    renderChosen();
  }

  function renderChosen() {
    const c = state.customer;
    chosen.hidden = false;
    fill(chosen,
      h('h3', null, c.name),
      facts([['Phone', c.phone], ['Address', c.address], ['Tier', c.tier === 'key_account' ? 'Key account' : 'Regular'],
        ['Maintenance visits', entitlementWords(state.entitlement)]]),
      h('h3', null, 'Unit'),
      state.assets.length ? h('ul', { class: 'rows intake-assets' }, state.assets.map((a) => h('li', null,
        h('label', { class: 'check' }, h('input', { type: 'radio', name: 'intake-asset', value: a.id, checked: state.asset && state.asset.id === a.id }),
          ` ${a.model} · ${a.serial}`),
        h('span', { class: 'muted warranty-words' }, warrantyText(a))))) : h('p', { class: 'muted' }, 'No unit recorded.'),
      assetForm(),
      jobForm(ctx, () => ({ customer: state.customer, asset: state.asset })));
  }

  async function submit(event) {
    const form = event.target;
    if (!form.classList.contains('intake-new-customer') && !form.classList.contains('intake-new-asset')) return;
    event.preventDefault();
    try {
      if (form.classList.contains('intake-new-customer')) {
        const c = await ctx.api.post('/api/v1/customers', body(form));
        ctx.toast(`Customer ${c.name} created.`, 'ok');
        await choose(c.id);
      } else {
        const a = await ctx.api.post('/api/v1/assets', { ...body(form), customer_id: state.customer.id });
        ctx.toast(`Unit ${a.serial} added.`, 'ok');
        state.assets.push(a);
        state.asset = a;
        renderChosen();
      }
    } catch (e) {
      ctx.toast(e.message, 'error');
    }
  }

  function click(event) {
    const pick = event.target.closest('.pick-customer');
    if (pick) choose(Number(pick.dataset.id)).catch((e) => ctx.toast(e.message, 'error'));
  }

  function change(event) {
    if (event.target.name !== 'intake-asset') return;
    state.asset = state.assets.find((a) => a.id === Number(event.target.value)) || null;
    suggestSkills(container, ctx, state.asset).catch((e) => ctx.toast(e.message, 'error'));
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(find, 250);
  });
  container.addEventListener('submit', submit);
  container.addEventListener('click', click);
  container.addEventListener('change', change);
  search.focus();
  return () => {
    disposed = true;
    clearTimeout(timer);
    container.removeEventListener('submit', submit);
    container.removeEventListener('click', click);
    container.removeEventListener('change', change);
  };
}
