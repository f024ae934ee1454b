/*
 * app-reports.js: the reports view of fsd's dispatcher app (#/reports).
 *
 * For managers and admins: picks a period (the last 30 days by default),
 * reads GET /api/v1/reports/summary for it and shows the headline numbers
 * as text and six charts (jobs by status, SLA compliance, first-time fix,
 * the ratings trend, parts used, load per technician), each with its
 * numbers in a table under it.  A dispatcher gets a short note instead;
 * the server refuses them the report anyway.
 *
 * Stands alone: it gets everything from the shell through ctx
 * ({ api, user, navigate, toast }) and draws with app-charts.js.  Fields
 * the server does not send yet (ratings_by_day, parts_by_part) read as empty.
 */

import {
  el, isoDay, addDays, daysBetween, shortDay, NO_DATA,
  formatNumber, formatRate, formatRatio, barChart, gauge, lineChart, dataTable,
} from './app-charts.js';

const REPORT_ROLES = new Set(['manager', 'admin']);
const DEFAULT_DAYS = 30;

/* Mounts the view in `container`; returns its cleanup. */
export function mountReports(container, ctx) {
  const root = el('section', { id: 'reports', class: 'rp', 'aria-labelledby': 'rp-title' },
    el('h1', { id: 'rp-title' }, 'Reports'));
  container.append(root);
  if (!REPORT_ROLES.has(ctx.user && ctx.user.role)) {
    root.append(el('p', { class: 'rp-note' },
      'Reports are for managers and admins. Ask a manager if you need these figures.'));
    return () => root.remove();
  }

  const today = isoDay();
  const from = el('input', { type: 'date', name: 'from', required: true, value: addDays(today, 1 - DEFAULT_DAYS) });
  const to = el('input', { type: 'date', name: 'to', required: true, value: today });
  const form = el('form', { class: 'rp-period', 'aria-label': 'Period' },
    el('label', {}, 'From ', from), el('label', {}, 'To ', to),
    el('button', { type: 'submit', class: 'rp-apply' }, 'Apply'));
  const status = el('p', { class: 'rp-status', role: 'status' });
  const body = el('div', { class: 'rp-body' });
  root.append(el('p', { class: 'rp-note' }, 'Jobs created in the period, by UTC day, both ends included.'),
    form, status, body);

  let latest = 0;     /* the newest request; older answers are dropped */
  let disposed = false;

  async function load() {
    const period = { from: from.value, to: to.value };
    const problem = periodProblem(period);
    for (const input of [from, to]) input.setAttribute('aria-invalid', String(Boolean(problem)));
    if (problem) {
      ctx.toast(problem, 'error');
      return;
    }
    const mine = ++latest;
    status.textContent = 'Loading…';
    root.setAttribute('aria-busy', 'true');
    try {
      const query = new URLSearchParams(period);
      const report = await ctx.api.get(`/api/v1/reports/summary?${query}`);
      if (disposed || mine !== latest) return;
      status.textContent = `${shortDay(report.from, true)} – ${shortDay(report.to, true)}: ` +
        `${formatNumber(report.jobs)} job${report.jobs === 1 ? '' : 's'} created.`;
      body.replaceChildren(...renderReport(report));
    } catch (error) {
      if (disposed || mine !== latest) return;
      status.textContent = 'The report could not be loaded.';
      ctx.toast(error.message, 'error');
    } finally {
      if (mine === latest) root.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  load();
  return () => {
    disposed = true;
    root.remove();
  };
}

/* Why a period cannot be asked for, or null. */
function periodProblem({ from, to }) {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(from) || !day.test(to)) return 'Choose both days of the period.';
  if (daysBetween(from, to) < 0) return 'The period must end on or after the day it starts.';
  return null;
}

/* ---------- The report ---------- */

function renderReport(report) {
  return [
    headline(report),
    el('div', { class: 'rp-grid' },
      statusChart(report.by_status || []),
      slaChart(report.sla || {}),
      ftfChart(report.first_time_fix),
      ratingsChart(report),
      partsChart(report.parts_by_part || []),
      loadChart(report.by_technician || [])),
  ];
}

/* The numbers at a glance, as a definition list of tiles. */
function headline(report) {
  const sla = report.sla || {};
  const quotes = report.quotes || {};
  const ratings = report.ratings || {};
  const tiles = [
    ['Jobs', formatNumber(report.jobs)],
    ['First-time fix', formatRatio(report.first_time_fix)],
    ['Responded in time', formatRatio(sla.respond)],
    ['On site in time', formatRatio(sla.on_site)],
    ['Average rating', ratings.count ? `${twoDecimals(ratings.average)} of 5 (${ratingsText(ratings.count)})` : NO_DATA],
    ['Parts used', `${formatNumber(report.parts_used || 0)} units`],
    ['Quotes', `${formatNumber(quotes.approved || 0)} approved, ${formatNumber(quotes.declined || 0)} declined, ` +
      `${formatNumber(quotes.expired || 0)} expired`],
    ['Outstanding invoices', money(report.outstanding_minor || 0, report.currency)],
  ];
  return el('dl', { class: 'rp-kpis' },
    tiles.map(([name, value]) => el('div', { class: 'rp-kpi' }, el('dt', {}, name), el('dd', {}, value))));
}

const twoDecimals = (v) => (v === null || v === undefined ? NO_DATA : v.toFixed(2));

function ratingsText(count) {
  return `${formatNumber(count)} sign-off${count === 1 ? '' : 's'}`;
}

/* Minor units as an amount: in `currency` when the report names one. */
function money(minor, currency) {
  const amount = minor / 100;
  if (currency) {
    try {
      return amount.toLocaleString(undefined, { style: 'currency', currency });
    } catch { /* an unknown code: fall through to a plain amount */ }
  }
  return amount.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/* A chart's figure: caption and summary, the chart, its numbers (when there are any). */
function figure(key, caption, summary, chart, table) {
  return el('figure', { class: 'rp-chart', 'data-chart': key },
    el('figcaption', {}, el('h2', {}, caption), summary ? el('p', { class: 'rp-summary' }, summary) : null),
    chart,
    table.querySelector('tbody tr') ? el('details', { class: 'rp-numbers' }, el('summary', {}, 'Numbers'), table) : null);
}

const statusName = (status) => status.replaceAll('_', ' ');

function statusChart(rows) {
  const sorted = [...rows].sort((a, b) => b.jobs - a.jobs);
  const names = sorted.map((r) => statusName(r.status));
  const total = sorted.reduce((sum, r) => sum + r.jobs, 0);
  const summary = sorted.length ? `${formatNumber(total)} jobs in ${sorted.length} status${sorted.length === 1 ? '' : 'es'}` : null;
  return figure('status', 'Jobs by status', summary,
    barChart({ title: 'Jobs by status', categories: names, series: [{ name: 'Jobs', values: sorted.map((r) => r.jobs) }],
      empty: 'No jobs in this period' }),
    dataTable('Jobs by status', ['Status', 'Jobs'], sorted.map((r, i) => [names[i], formatNumber(r.jobs)])));
}

function slaChart(sla) {
  const measures = [['Responded in time', sla.respond], ['On site in time', sla.on_site]];
  const rates = measures.map(([, ratio]) => (ratio && ratio.rate !== null && ratio.rate !== undefined ? ratio.rate * 100 : null));
  return figure('sla', 'SLA compliance', 'Share of jobs that met each promise',
    barChart({ title: 'SLA compliance', categories: measures.map(([name]) => name),
      series: [{ name: 'Met', values: rates }], max: 100, track: true,
      format: (_, ci) => formatRatio(measures[ci][1]) }),
    dataTable('SLA compliance', ['Measure', 'Met', 'Of', 'Rate'], measures.map(([name, ratio]) =>
      [name, formatNumber(ratio ? ratio.met : 0), formatNumber(ratio ? ratio.total : 0), formatRate(ratio && ratio.rate)])));
}

function ftfChart(ratio) {
  const r = ratio || { met: 0, total: 0, rate: null };
  const detail = `${formatNumber(r.met)} of ${formatNumber(r.total)} signed-off jobs`;
  return figure('ftf', 'First-time fix', 'Fixed at the first visit, without a follow-up or a rejected sign-off',
    gauge({ title: 'First-time fix rate', rate: r.rate, detail }),
    dataTable('First-time fix', ['Measure', 'Met', 'Of', 'Rate'],
      [['First-time fix', formatNumber(r.met), formatNumber(r.total), formatRate(r.rate)]]));
}

function ratingsChart(report) {
  const days = report.ratings_by_day || [];
  const ratings = report.ratings || {};
  const summary = ratings.count ? `Average ${twoDecimals(ratings.average)} from ${ratingsText(ratings.count)}` : 'No sign-offs rated yet';
  return figure('ratings', 'Ratings', summary,
    lineChart({ title: 'Average rating per day, 1 to 5', from: report.from, to: report.to, min: 1, max: 5,
      points: days.map((d) => ({ day: d.date, value: d.average, note: ratingsText(d.count) })),
      format: twoDecimals, empty: 'No ratings in this period' }),
    dataTable('Ratings per day', ['Day', 'Sign-offs', 'Average'],
      days.map((d) => [shortDay(d.date), formatNumber(d.count), twoDecimals(d.average)])));
}

function partsChart(parts) {
  const sorted = [...parts].sort((a, b) => b.quantity - a.quantity);
  const names = sorted.map((p) => p.name || p.sku || `Part ${p.part_id}`);
  const total = sorted.reduce((sum, p) => sum + p.quantity, 0);
  const summary = sorted.length ? `${formatNumber(total)} units of ${sorted.length} part${sorted.length === 1 ? '' : 's'}` : null;
  return figure('parts', 'Parts used', summary,
    barChart({ title: 'Parts used, units per part', categories: names,
      series: [{ name: 'Units', values: sorted.map((p) => p.quantity) }], empty: 'No parts used in this period' }),
    dataTable('Parts used', ['Part', 'SKU', 'Units'], sorted.map((p, i) => [names[i], p.sku || '', formatNumber(p.quantity)])));
}

function loadChart(techs) {
  const names = new Map(techs.map((t) => [t, t.name || `Technician ${t.technician_id}`]));
  const sorted = [...techs].sort((a, b) => b.jobs - a.jobs || names.get(a).localeCompare(names.get(b)));
  return figure('load', 'Load per technician', 'Jobs assigned in the period and how many were completed',
    barChart({ title: 'Jobs and completed jobs per technician', categories: sorted.map((t) => names.get(t)),
      series: [{ name: 'Jobs', values: sorted.map((t) => t.jobs) }, { name: 'Completed', values: sorted.map((t) => t.completed) }],
      empty: 'No jobs assigned in this period' }),
    dataTable('Load per technician', ['Technician', 'Jobs', 'Completed'],
      sorted.map((t) => [names.get(t), formatNumber(t.jobs), formatNumber(t.completed)])));
}
