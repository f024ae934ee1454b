// server.mjs - the real fsd-server for browser tests: a scratch directory
// under build/, a database with the demonstration data, `serve` on an
// ephemeral loopback port, a staff session through the JSON API, the demo's
// days, and a headless Debian chromium driven by playwright-core with a
// fresh profile in the demo company's time zone.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const build = resolve(process.env.FSD_BUILD || "build");
export const screenshots = join(build, "screenshots");
const serverBin = join(build, "fsd-server");
const testServerBin = join(build, "tests", "fsd-test-server");
const chromiumBin = process.env.FSD_CHROMIUM || "/usr/bin/chromium";

export const DISPATCHER = { username: "dispatcher", password: "dispatch-demo-2026" };
export const MANAGER = { username: "manager", password: "dispatch-demo-2026" };
// The demo company's zone (DEMO_ZONE in server/demo/demo.h): its dispatchers'
// and customers' browsers run in it.
export const DEMO_ZONE = "Asia/Shanghai";

// Start a server on a new demo database; extra flags go to `serve`.  The
// server is fsd-test-server's child (tests/support/serve_child.c, the same
// start and bounded waits as the C suites'), which stops it when its
// standard input closes: on stop(), or when this process dies.
export async function startServer(extra = []) {
  mkdirSync(join(build, "browser"), { recursive: true });
  mkdirSync(screenshots, { recursive: true });
  const dir = mkdtempSync(join(build, "browser", "srv-"));
  const child = spawn(testServerBin, ["--server", serverBin, "--dir", dir,
    "--", "--www", resolve(build, "www"), ...extra],
    { stdio: ["pipe", "pipe", "pipe"] });
  let errors = "";
  child.stderr.on("data", (d) => { errors += d; });
  const exited = new Promise((done) => child.once("close", done));
  const [base, , db] = (await firstLine(child.stdout)).split(" ");
  if (!base) throw new Error(`fsd-server did not start:\n${errors}`);
  return {
    base, dir, db,
    log: () => readFileSync(join(dir, "server.log"), "utf8"),
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 30000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The first line a stream gives, "" when it ends without one.
function firstLine(stream) {
  return new Promise((done) => {
    let text = "";
    const finish = () => {
      stream.off("data", onData);
      done(text.split("\n")[0].trim());
    };
    const onData = (d) => {
      text += d;
      if (text.includes("\n")) finish();
    };
    stream.on("data", onData);
    stream.once("end", finish);
  });
}

// A staff session on srv: call(method, path, body) -> {status, json}.
// Every request but a GET carries the session's CSRF token.
export async function staffSession(srv, who = DISPATCHER) {
  const login = await fetch(`${srv.base}/api/v1/login`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(who),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const csrf = (await login.json()).csrf_token;
  return async function call(method, path, body) {
    const res = await fetch(`${srv.base}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        ...(method !== "GET" && csrf ? { "X-CSRF-Token": csrf } : {}),
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
}

// The demo's days in the company's zone, "YYYY-MM-DD": today, the date of
// its jobs 1-24, and tomorrow, of its appointments 25-36.  Read from the
// jobs, so a test never depends on the hour it runs at (nor on a day
// turning between loading the demo and reading it).
export async function demoDays(call) {
  const zone = (await call("GET", "/api/v1/company")).json.timezone;
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  const dateOf = async (id) => {
    const at = new Date((await call("GET", `/api/v1/jobs/${id}`)).json.window_start);
    const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
    return `${part.year}-${part.month}-${part.day}`;
  };
  return { today: await dateOf(1), tomorrow: await dateOf(25) };
}

// Headless chromium with a fresh profile in the demo company's zone (or
// timezoneId); viewport as given, options added to playwright's.
export async function openBrowser(viewport, timezoneId = DEMO_ZONE, options = {}) {
  const profile = mkdtempSync(join(build, "browser", "profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumBin,
    headless: true,
    viewport,
    timezoneId,
    acceptDownloads: true,
    ...options,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update",
      "--disable-sync"],
  });
  context.setDefaultTimeout(15000); // every wait is bounded
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const PHONE = { width: 360, height: 740 };

// A phone: 360x740 at twice the pixels, mobile, touch, service workers
// on, its own profile (so its own IndexedDB).
export function openPhone() {
  return openBrowser(PHONE, DEMO_ZONE, { deviceScaleFactor: 2, isMobile: true,
    hasTouch: true, serviceWorkers: "allow" });
}

// Every console error and CSP violation of page, for asserting none.
export function collectProblems(page) {
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return problems;
}
