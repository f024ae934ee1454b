// board_load.mjs - how long the dispatcher's board takes to open on a
// busy day: 500 jobs and 50 technicians, seeded through the API into a
// fresh demo server (whose own 24 jobs and 8 technicians come on top) on loopback (tests/browser/server.mjs), most of them
// placed on lanes by an applied auto-assign plan.  In headless chromium
// at 1440x900, N times each:
//   baseline  fetch and parse GET /api/v1/board of that day in the page;
//   cold      a new page with the HTTP cache cleared: navigation start to
//             the board's first render (the app's performance mark
//             fsd:board-ready, set as #board gets data-ready="true");
//   warm      the same with the static files cached (a dispatcher's
//             usual morning).
// Prints the medians, the absolute figures and cold/baseline.  Asserts
// nothing; every wait is bounded.
// Usage: FSD_BUILD=build node tests/bench/board_load.mjs   (BENCH_RUNS, default 5)
import { startServer, staffSession, openBrowser } from "../browser/server.mjs";

const RUNS = Number(process.env.BENCH_RUNS || 5);
const JOBS = 500;
const TECHS = 50;
const SKILLS = ["hvac", "appliance", "electrical", "refrigeration", "dental"];
const MANAGER = { username: "manager", password: "dispatch-demo-2026" };
const WAIT = { timeout: 30000 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(" ");

async function must(promise, status) {
  const r = await promise;
  if (r.status !== status) throw new Error(`${r.status}: ${JSON.stringify(r.json)}`);
  return r.json;
}

/* Run fn over items, `width` at a time. */
async function pool(items, width, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function seed(srv) {
  const boss = await staffSession(srv, MANAGER);
  const date = new Date().toISOString().slice(0, 10);
  const shifts = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: "00:00", end: "15:00" }));
  await pool([...Array(TECHS).keys()], 8, (i) => must(boss("POST", "/api/v1/technicians", {
    name: `Bench Tech ${String(i + 1).padStart(2, "0")}`, timezone: "UTC", capacity_minutes: 540,
    start_lat: 31.1 + (i % 10) * 0.02, start_lon: 121.3 + Math.floor(i / 10) * 0.03, shifts,
    skills: [{ skill: SKILLS[i % 5], level: 3 }, { skill: SKILLS[(i + 2) % 5], level: 2 }],
  }), 201));
  const customers = (await must(boss("GET", "/api/v1/customers?limit=200"), 200)).items;
  await pool([...Array(JOBS).keys()], 16, async (i) => {
    const customer = customers[i % customers.length];
    const hour = i % 12;                                   /* windows 00:00-13:00 UTC: Shanghai's same day */
    const body = {
      customer_id: customer.id, kind: ["repair", "install", "maintenance", "inspection"][i % 4],
      fault: `Bench job ${i + 1}`, priority: 1 + (i % 5), duration_minutes: 30 + 15 * (i % 4),
      window_start: `${date}T${String(hour).padStart(2, "0")}:00:00Z`,
      window_end: `${date}T${String(hour + 2).padStart(2, "0")}:00:00Z`,
      sla_due_at: `${date}T${String(hour + 1 + (i % 3)).padStart(2, "0")}:00:00Z`,
      required_skills: [{ skill: SKILLS[i % 5], level: 1 + (i % 2) }],
    };
    const job = await must(boss("POST", "/api/v1/jobs", body), 201);
    if (i % 10 === 9) return;                              /* a tenth stay new: requests to book */
    await must(boss("POST", `/api/v1/jobs/${job.id}/events`, { event: "book", accept_callout: true }), 200);
  });
  const plan = await must(boss("POST", "/api/v1/plans", { date, time_limit_ms: 2000 }), 201);
  const applied = await must(boss("POST", `/api/v1/plans/${plan.id}/apply`, {}), 200);
  const board = await must(boss("GET", `/api/v1/board?date=${date}`), 200);
  const assigned = board.jobs.filter((j) => j.technician_id !== null).length;
  console.log(`seeded ${date}: ${board.jobs.length} jobs (${assigned} on lanes after ${applied.applied} plan events), ` +
    `${board.technicians.length} technicians, board JSON ${JSON.stringify(board).length} bytes`);
  return { date, jobs: board.jobs.length, techs: board.technicians.length };
}

async function login(page, base) {
  await page.goto(`${base}/`, WAIT);
  await page.locator("#login-username").fill(MANAGER.username);
  await page.locator("#login-password").fill(MANAGER.password);
  await page.locator("#login-submit").click();
  await page.locator('#board[data-ready="true"]').waitFor(WAIT);
}

/* Navigation start to the board's first render, on a new page. */
async function loadOnce(context, url, cold) {
  const page = await context.newPage();
  try {
    if (cold) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.clearBrowserCache");
      await cdp.detach();
    }
    await page.goto(url, WAIT);
    await page.locator('#board[data-ready="true"]').waitFor(WAIT);
    return await page.evaluate(() => performance.getEntriesByName("fsd:board-ready")[0].startTime);
  } finally {
    await page.close();
  }
}

const srv = await startServer();
let browser;
try {
  const { date, jobs, techs } = await seed(srv);
  browser = await openBrowser({ width: 1440, height: 900 });
  const page = await browser.context.newPage();
  await login(page, srv.base);
  const url = `${srv.base}/#/board/${date}`;

  const baseline = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await page.evaluate(async (d) => {
      const t0 = performance.now();
      const data = await (await fetch(`/api/v1/board?date=${d}`, { cache: "no-store" })).json();
      if (!data.jobs.length) throw new Error("empty board");
      return performance.now() - t0;
    }, date));
  }
  await page.close();
  const cold = [];
  for (let i = 0; i < RUNS; i++) cold.push(await loadOnce(browser.context, url, true));
  const warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(await loadOnce(browser.context, url, false));

  const b = median(baseline);
  const c = median(cold);
  const w = median(warm);
  console.log(`board ${jobs} jobs, ${techs} technicians: load p50 ${c.toFixed(0)} ms cold, ${w.toFixed(0)} ms warm ` +
    `(baseline board JSON p50 ${b.toFixed(1)} ms, ratio ${(c / b).toFixed(1)} cold, ${(w / b).toFixed(1)} warm)`);
  console.log(`  runs (ms): baseline ${baseline.map((x) => x.toFixed(1)).join(" ")}; cold ${fmt(cold)}; warm ${fmt(warm)}`);
} finally {
  await browser?.close();
  await srv.stop();
}
