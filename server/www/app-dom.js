/*
 * app-dom.js: DOM helpers of the dispatcher app (app.html): an element
 * builder, lookups, modal dialogs that give focus back, and keyboard
 * movement through a list of buttons.  No requests, no app state.
 *
 * Everything runs under a strict CSP: elements are built with the DOM
 * API (never innerHTML with data), and positions are set through the
 * CSSOM (el.style.left), never a style attribute.
 */

export const byId = (id) => document.getElementById(id);

/*
 * h('button', {class: 'x', dataset: {job: 3}, 'aria-label': '…', onclick}, child…)
 * Attributes that are false, null or undefined are left out; true gives
 * an empty attribute.  Children are nodes, strings or numbers; null and
 * false are skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/* Replace el's children with the given ones. */
export function fill(el, ...children) {
  const fragment = document.createDocumentFragment();
  append(fragment, children);
  el.replaceChildren(fragment);
  return el;
}

/* A definition list from [term, value] pairs; pairs with no value are skipped. */
export function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([term, value]) => h('div', null, h('dt', { text: term }), h('dd', null, value))));
}

/*
 * A selector that finds el again after its container was rebuilt: its id,
 * or its first class with its first data attribute (".job[data-job="3"]").
 */
export function selectorOf(el) {
  if (!el || el === document.body) return null;
  if (el.id) return `#${CSS.escape(el.id)}`;
  const cls = el.classList[0];
  const data = Object.entries(el.dataset)[0];
  if (!cls || !data) return null;
  const attr = data[0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `.${CSS.escape(cls)}[data-${attr}="${CSS.escape(data[1])}"]`;
}

/* ---------- Modal dialogs ---------- */

/*
 * Open a <dialog> as a modal (the rest of the page becomes inert, so focus
 * stays inside); focus `initial`; when it closes, give focus back to what
 * had it before, or to `returnTo()` when that element is gone.
 */
export function openModal(dialog, initial, returnTo) {
  const opener = document.activeElement;
  dialog.addEventListener('close', () => {
    const target = opener && opener.isConnected ? opener : returnTo && returnTo();
    if (target) target.focus();
  }, { once: true });
  if (!dialog.open) dialog.showModal();
  if (initial) initial.focus();
}

export function closeModal(dialog) {
  if (dialog.open) dialog.close();
}

/* ---------- Arrow keys through a list ---------- */

/*
 * Up/Down (and Left/Right), Home and End move focus between the elements
 * of container matching selector; returns true when the key was used.
 */
export function moveFocus(event, container, selector) {
  const keys = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: -Infinity, End: Infinity };
  const step = keys[event.key];
  if (step === undefined) return false;
  const items = [...container.querySelectorAll(selector)].filter((el) => !el.disabled && !el.hidden);
  if (!items.length) return false;
  const at = items.indexOf(event.target.closest(selector));
  let next;
  if (step === -Infinity) next = 0;
  else if (step === Infinity) next = items.length - 1;
  else next = Math.min(items.length - 1, Math.max(0, (at < 0 ? -step : at) + step));
  event.preventDefault();
  items[next].focus();
  return true;
}
