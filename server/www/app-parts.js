/*
 * app-parts.js: parts and stock (#/parts).  The catalogue with prices,
 * which parts need a manager's approval, and the stock of each at every
 * location (on hand, reserved for jobs, free).  Managers and admins book
 * a delivery (POST /api/v1/parts/{id}/receive): the jobs waiting for that
 * part are served at once, and the page says which; they also add parts
 * to the catalogue.  Dispatchers read.
 *
 * Stands alone: it gets everything from the shell through ctx
 * ({ api, user, navigate, toast }).
 */

import { h, fill } from './app-dom.js';
import { money, plural } from './app-format.js';

const MANAGERS = new Set(['manager', 'admin']);

function stockCell(part) {
  if (!part.stock.length) return h('td', { class: 'muted' }, 'none');
  return h('td', null, h('ul', { class: 'stock' }, part.stock.map((s) => h('li', null,
    `${s.location}: ${s.quantity} on hand, ${s.reserved} reserved, `,
    h('strong', { class: s.quantity - s.reserved > 0 ? null : 'short' }, `${s.quantity - s.reserved} free`)))));
}

function receiveForm(part) {
  return h('form', { class: 'receive', dataset: { part: part.id } },
    h('input', { name: 'quantity', type: 'number', min: '1', max: '1000000', required: true, 'aria-label': `Units of ${part.sku} received` }),
    h('input', { name: 'location', value: 'warehouse', maxlength: '64', 'aria-label': `Where ${part.sku} was received` }),
    h('button', { type: 'submit', class: 'button small' }, 'Receive'));
}

function row(part, canManage) {
  return h('tr', { dataset: { part: part.id } },
    h('th', { scope: 'row' }, part.sku),
    h('td', null, part.name, part.needs_approval ? h('span', { class: 'badge' }, 'needs approval') : null),
    h('td', { class: 'num' }, money(part.price_minor)),
    stockCell(part),
    canManage ? h('td', null, receiveForm(part)) : null);
}

function newPartForm() {
  const input = (name, label, attrs) => h('label', { class: 'field' }, h('span', null, label), h('input', { name, ...attrs }));
  return h('form', { class: 'new-part' },
    h('h3', null, 'Add a part'),
    input('sku', 'SKU', { required: true, maxlength: '64' }),
    input('name', 'Name', { required: true, maxlength: '200' }),
    input('cost', 'Cost', { type: 'number', min: '0', step: '0.01', required: true }),
    input('price', 'Price', { type: 'number', min: '0', step: '0.01', required: true }),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'needs_approval' }), ' Needs a manager\'s approval'),
    h('button', { type: 'submit', class: 'button primary' }, 'Add part'));
}

export function mountParts(container, ctx) {
  const canManage = MANAGERS.has(ctx.user.role);
  const table = h('tbody');
  const status = h('p', { class: 'muted', role: 'status' }, 'Loading…');

  fill(container, h('div', { class: 'parts-page' },
    h('h2', null, 'Parts and stock'), status,
    h('table', { class: 'table parts-table' },
      h('thead', null, h('tr', null, ['SKU', 'Part', 'Price', 'Stock', canManage ? 'Delivery' : null]
        .filter(Boolean).map((t) => h('th', { scope: 'col' }, t)))), table),
    canManage ? newPartForm() : null));

  async function load() {
    const page = await ctx.api.get('/api/v1/parts?limit=200');
    fill(table, page.items.map((p) => row(p, canManage)));
    status.textContent = `${plural(page.items.length, 'part')} in the catalogue.`;
  }

  async function submit(event) {
    const form = event.target;
    event.preventDefault();
    const data = new FormData(form);
    try {
      if (form.classList.contains('receive')) {
        const r = await ctx.api.post(`/api/v1/parts/${form.dataset.part}/receive`,
          { quantity: Number(data.get('quantity')), location: data.get('location') || 'warehouse' });
        const served = r.jobs_reserved.length ? ` Parts reserved for ${plural(r.jobs_reserved.length, 'waiting job')}: #${r.jobs_reserved.join(', #')}.` : '';
        ctx.toast(`Received ${data.get('quantity')} × ${r.part.sku}.${served}`, 'ok');
      } else {
        await ctx.api.post('/api/v1/parts', {
          sku: data.get('sku'), name: data.get('name'), needs_approval: data.has('needs_approval'),
          cost_minor: Math.round(Number(data.get('cost')) * 100), price_minor: Math.round(Number(data.get('price')) * 100),
        });
        ctx.toast(`Part ${data.get('sku')} added.`, 'ok');
        form.reset();
      }
      await load();
    } catch (e) {
      ctx.toast(e.message, 'error');
    }
  }

  container.addEventListener('submit', submit);
  load().catch((e) => { status.textContent = e.message; });
  return () => container.removeEventListener('submit', submit);
}
