// tech-support-engine.mjs - the technician app's protocol engine driven
// directly in a phone-sized page, for tech-protocol.test.mjs: a page of
// the server's origin (the dispatcher's page at /, whose own scripts do
// not touch the engine's store) with the four libraries added as the app
// loads them and the engine's modules imported as window.E; the staff
// API's enrollment codes and jobs; a sync reply captured or replaced on
// its way to the page.
import assert from "node:assert/strict";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { build, openPhone, PHONE } from "./server.mjs";

export { openPhone, PHONE };

const LIBS = ["lib-sodium.js", "lib-protobuf.js", "lib-fsd-proto.js"];
const MODULES = { device: "tech-device.js", wire: "tech-wire.js", keyset: "tech-keyset.js",
  bundle: "tech-bundle.js", db: "tech-db.js", sync: "tech-sync.js" };

// The static root's version, from the links of the page at /.
export async function staticVersion(base) {
  const html = await (await fetch(`${base}/`)).text();
  const found = html.match(/\/static\/([0-9a-f]+)\//);
  assert.ok(found, "the page at / names no /static/<version>/ file");
  return found[1];
}

// A page of phone with the engine loaded: window.E.{device, wire, …}.
export async function enginePage(phone, base) {
  const version = await staticVersion(base);
  const page = await phone.context.newPage();
  page.on("pageerror", (e) => console.error("page error:", String(e)));
  await page.goto(`${base}/`);
  // all three at once and in order, as the app's deferred scripts load
  await page.evaluate(([v, libs]) => Promise.all(libs.map((lib) => new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `/static/${v}/${lib}`;
    script.async = false;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`${lib} did not load`));
    document.head.append(script);
  }))), [version, LIBS]);
  await page.evaluate(async ([v, modules]) => {
    const E = {};
    for (const [name, file] of Object.entries(modules)) E[name] = await import(`/static/${v}/${file}`);
    await E.device.libs();
    window.E = E;
  }, [version, MODULES]);
  return page;
}

// A new one-time enrollment code for technician tech.
export async function enrollmentCode(staff, tech) {
  const r = await staff("POST", `/api/v1/technicians/${tech}/enrollment-codes`);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json.code;
}

// The ids of the jobs the staff API shows assigned to tech, sorted.
export async function assignedJobIds(staff, tech) {
  const r = await staff("GET", `/api/v1/jobs?technician_id=${tech}&limit=200`);
  assert.equal(r.status, 200);
  return r.json.items.filter((j) => j.technician_id === tech).map((j) => j.id).sort((a, b) => a - b);
}

// Assign job to tech as a dispatcher does (an override, with a reason).
export async function assign(staff, job, tech) {
  const r = await staff("POST", `/api/v1/jobs/${job}/assign`,
    { technician_id: tech, override: true, reason: "the technician's app is tested" });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json;
}

// Run fn(page) with the page's sync replies going through handle(route,
// response body bytes) instead of straight to the page; the route is
// removed afterwards.
export async function withSyncRoute(page, handle, fn) {
  const pattern = "**/sync/v1/sync";
  const handler = async (route) => handle(route);
  await page.route(pattern, handler);
  try {
    return await fn();
  } finally {
    await page.unroute(pattern, handler);
  }
}

// The genuine reply to the request route holds, as bytes (the server has
// applied the batch once this returns).
export async function fetchReply(route) {
  const response = await route.fetch();
  return { status: response.status(), body: await response.body() };
}

// build/fsd-tech with args on store; {status, stdout}.
export function fsdTech(store, ...args) {
  const r = spawnSync(join(build, "fsd-tech"), ["--store", store, ...args], { encoding: "utf8", timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// `fsd-server rotate-key` on the running server's database.
export function rotateKey(db) {
  const r = spawnSync(join(build, "fsd-server"), ["rotate-key", "--db", db, "--log-level", "warn"],
    { encoding: "utf8", timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
}

// Call device method name with args in page (the loaded Device); the
// result, or {error: {code, message}} for a DeviceError.
export function call(page, name, ...args) {
  return page.evaluate(async ([n, a]) => {
    const d = await window.E.device.loadDevice();
    try {
      return await d[n](...a);
    } catch (e) {
      return { error: { code: e.code, message: e.message } };
    }
  }, [name, args]);
}
