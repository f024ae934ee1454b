// enroll.test.mjs - adding a technician's phone from the technicians page
// (app-enroll.js), as a dispatcher on the demo data in Debian's chromium.
//
// "Add a phone" makes a one-time code and shows it as a QR code of
// <origin>/tech#enroll=<code> and as text to type in groups of four, with
// where to type it and when it expires.  The canvas is read back pixel by
// pixel: its modules, found from the finder pattern, are exactly those of
// qrcode-generator's symbol for the text, inside a four-module white quiet
// zone.  The typed code enrolls a device with the device CLI (fsd-tech)
// once, and is refused the second time.  Copy link puts the address on the
// clipboard.  The panel fits a 360 px phone screen without scrolling
// sideways.  A code the server refuses (the technician was made inactive
// meanwhile) shows the server's reason in the row and no QR code.  The
// QR code's address opened on a phone enrolls the technician's app there,
// which then holds the technician's jobs, the same ones fsd-tech enrolled
// for that technician holds.
// Screenshots: build/screenshots/enroll-qr.png and enroll-qr-phone.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, startServer, staffSession, openBrowser, openPhone, PHONE, collectProblems, screenshots, DISPATCHER, MANAGER } from "./server.mjs";

// The generator the page draws with, from the npm package build/www's
// lib-qrcode.js is copied from (as a .mjs, which node takes as a module).
const { default: qrcode } = await import(pathToFileURL(
  join(build, "vendor", "node_modules", "qrcode-generator", "dist", "qrcode.mjs")).href);

const DESKTOP = { width: 1440, height: 900 };
const QUIET = 4; // modules of white around the symbol
let srv, boss, browser, techs, company;

before(async () => {
  srv = await startServer();
  boss = await staffSession(srv, MANAGER);
  techs = (await boss("GET", "/api/v1/technicians?limit=200")).json.items;
  company = (await boss("GET", "/api/v1/company")).json;
  browser = await openBrowser(DESKTOP);
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: srv.base });
  const page = await browser.context.newPage();
  await page.goto(`${srv.base}/`);
  await page.locator("#login-username").fill(DISPATCHER.username);
  await page.locator("#login-password").fill(DISPATCHER.password);
  await page.locator("#login-submit").click();
  await page.locator('#board[data-ready="true"]').waitFor();
  await page.close();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

/* A new page of the dispatcher's session on #/technicians, every row drawn. */
async function technicianPage() {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${srv.base}/#/technicians`);
  await page.locator(`#technicians .tp-tech[data-tech="${techs.at(-1).id}"]`).waitFor();
  return { page, problems };
}

/* Presses "Add a phone" in tech's row; the API's answer {status, json}. */
async function addPhone(page, tech) {
  const row = page.locator(`.tp-tech[data-tech="${tech.id}"]`);
  const answer = page.waitForResponse((r) => r.request().method() === "POST" &&
    r.url() === `${srv.base}/api/v1/technicians/${tech.id}/enrollment-codes`);
  await row.locator(".tp-new-code").click();
  const response = await answer;
  return { row, status: response.status(), json: await response.json() };
}

/* The canvas's pixels as rows of booleans (dark or not). */
async function canvasPixels(canvas) {
  const { width, height, bits } = await canvas.evaluate((c) => {
    const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let out = "";
    for (let i = 0; i < data.length; i += 4) out += data[i] + data[i + 1] + data[i + 2] < 384 ? "1" : "0";
    return { width: c.width, height: c.height, bits: out };
  });
  return Array.from({ length: height }, (_, y) => [...bits.slice(y * width, (y + 1) * width)].map((b) => b === "1"));
}

/*
 * The module matrix drawn on the canvas: the module size is the width of
 * the top-left finder pattern's top edge (7 modules) divided by 7; every
 * module must be one colour all through, and everything outside the
 * symbol white.
 */
function modulesOf(pixels) {
  const size = pixels.length;
  const y0 = pixels.findIndex((row) => row.includes(true));
  const x0 = pixels[y0].indexOf(true);
  let run = 0;
  while (pixels[y0][x0 + run]) run++;
  const cell = run / 7;
  assert.ok(Number.isInteger(cell), `finder edge of ${run} px`);
  assert.equal(x0, QUIET * cell, "quiet zone left of the symbol");
  assert.equal(y0, QUIET * cell, "quiet zone above the symbol");
  assert.equal(size % cell, 0);
  const count = size / cell - 2 * QUIET;
  const matrix = [];
  for (let r = 0; r < count + 2 * QUIET; r++) {
    const line = [];
    for (let c = 0; c < count + 2 * QUIET; c++) {
      const dark = pixels[r * cell][c * cell];
      for (let y = 0; y < cell; y++)
        for (let x = 0; x < cell; x++)
          assert.equal(pixels[r * cell + y][c * cell + x], dark, `module ${r},${c} is one colour`);
      line.push(dark);
    }
    matrix.push(line);
  }
  const inside = (i) => i >= QUIET && i < QUIET + count;
  matrix.forEach((line, r) => line.forEach((dark, c) => {
    if (!inside(r) || !inside(c)) assert.equal(dark, false, `quiet zone module ${r},${c}`);
  }));
  return matrix.slice(QUIET, QUIET + count).map((line) => line.slice(QUIET, QUIET + count));
}

/* The reference symbol of text: qrcode-generator, error correction M. */
function reference(text) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/* fsd-tech with a device store of srv's: {status, stdout, stderr}. */
function fsdTech(store, ...args) {
  return spawnSync(join(build, "fsd-tech"), ["--store", join(srv.dir, store), ...args],
    { encoding: "utf8", timeout: 30000 });
}

/* fsd-tech enroll with a fresh device store. */
function enrollDevice(store, code) {
  return fsdTech(store, "enroll", "--server", srv.base, "--code", code);
}

test("a dispatcher adds a phone: a QR code and a typed code that enroll it once", async () => {
  const { page, problems } = await technicianPage();
  const tech = techs.find((t) => t.active);
  const { row, status, json: code } = await addPhone(page, tech);
  assert.equal(status, 201);
  const panel = row.locator(".en-panel");
  await panel.waitFor();
  assert.equal(await panel.evaluate((p) => p === document.activeElement), true);
  assert.equal(await panel.locator(".en-title").innerText(), `Add a phone for ${tech.name}`);

  // the code to type, in groups of four set apart by CSS: its text is the code itself
  const group = panel.locator(".en-code .en-group");
  const groups = await group.allInnerTexts();
  assert.deepEqual(groups, code.code.match(/.{1,4}/g));
  const typed = await panel.locator(".en-code").innerText();
  assert.equal(typed, code.code);
  const [one, two] = [await group.nth(0).boundingBox(), await group.nth(1).boundingBox()];
  assert.ok(two.x - (one.x + one.width) >= 8, `groups ${JSON.stringify([one, two])} are set apart`);
  assert.ok(one.height >= 30, `a large code, ${one.height} px high`);
  assert.equal(await panel.locator(".en-code").getAttribute("aria-label"), `Code ${groups.join(" ")}`);
  assert.equal(await panel.locator(".en-how").innerText(),
    `On the phone, open ${srv.base}/tech and type this code, or scan the QR code with the phone\u2019s camera.`);

  // when it expires, in the company's zone, 24 hours on
  assert.equal(Date.parse(code.expires_at) - Date.now() > 23.9 * 3600e3, true);
  const expires = await page.evaluate(([iso, zone]) => new Intl.DateTimeFormat(undefined, {
    timeZone: zone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(iso)), [code.expires_at, company.timezone]);
  assert.equal(await panel.locator(".en-expiry").innerText(),
    `Works once, for one phone; expires ${expires} (in 24 hours).`);

  // the QR code: the address with the code in its fragment, drawn module for module
  const link = `${srv.base}/tech#enroll=${typed}`;
  const canvas = panel.locator("canvas.en-qr");
  assert.equal(await canvas.getAttribute("data-qr-text"), link);
  assert.equal(await canvas.getAttribute("aria-label"),
    `QR code: scan it with the phone to open ${srv.base}/tech and enroll it`);
  assert.deepEqual(modulesOf(await canvasPixels(canvas)), reference(link));

  // one code on screen at a time: the button is back after Close
  assert.equal(await row.locator(".tp-new-code").count(), 0);
  const showPanel = () => panel.evaluate((p) => p.scrollIntoView({ block: "center" }));
  await showPanel();
  await page.screenshot({ path: join(screenshots, "enroll-qr.png") });

  // the same panel on a phone's screen: nothing sideways
  await page.setViewportSize(PHONE);
  await showPanel();
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= PHONE.width, `the page is ${scrollWidth} px wide`);
  const box = await canvas.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, JSON.stringify(box));
  const codeBox = await panel.locator(".en-code").boundingBox();
  assert.ok(codeBox.x + codeBox.width <= PHONE.width, JSON.stringify(codeBox));
  await page.screenshot({ path: join(screenshots, "enroll-qr-phone.png") });

  // Copy link
  await panel.locator(".en-copy").click();
  await page.locator("#toast").filter({ hasText: "Link copied. Send it to the technician only: it enrolls a phone." }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

  // the typed code enrolls one device, once
  const first = enrollDevice("phone-1.db", typed);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^enrolled as device \d+\n$/);
  const again = enrollDevice("phone-2.db", typed);
  assert.equal(again.status, 1);
  assert.equal(again.stderr,
    "fsd-tech: invalid_code: the enrollment code is unknown, used or expired (HTTP 400)\n");
  const devices = (await boss("GET", `/api/v1/devices?technician_id=${tech.id}`)).json.items;
  assert.equal(devices.length, 1);

  // Close forgets the code and gives focus back to the button
  await panel.locator(".en-close").click();
  assert.equal(await row.locator(".en-panel").count(), 0);
  assert.equal(await row.locator(".tp-new-code").evaluate((b) => b === document.activeElement), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a code the server refuses shows its reason and no QR code", async () => {
  const { page, problems } = await technicianPage();
  const tech = techs.filter((t) => t.active).at(-1);
  const off = await boss("PATCH", `/api/v1/technicians/${tech.id}`, { active: false });
  assert.equal(off.status, 200, JSON.stringify(off.json));
  try {
    const { row, status, json } = await addPhone(page, tech);
    assert.equal(status, 409);
    assert.equal(json.error.code, "technician_inactive");
    const refused = row.locator(".en-refused");
    await refused.waitFor();
    assert.equal(await refused.innerText(), `No code: Technician ${tech.id} is not active.`);
    assert.equal(await refused.getAttribute("role"), "alert");
    assert.equal(await page.locator("canvas, .en-panel").count(), 0);
    assert.equal(await row.locator(".tp-badge").first().innerText(), "inactive");
    assert.equal(await row.locator(".tp-new-code").isDisabled(), true);
    assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
  } finally {
    await boss("PATCH", `/api/v1/technicians/${tech.id}`, { active: true });
    await page.close();
  }
});

test("the QR code's address opened on a phone enrolls the app, which holds the technician's jobs", async () => {
  // a booked job of today's given to the technician, as the desk does
  const tech = techs.filter((t) => t.active)[1]; // not the first test's
  const booked = (await boss("GET", "/api/v1/jobs?status=parts_reserved&limit=1")).json.items[0];
  const given = await boss("POST", `/api/v1/jobs/${booked.id}/assign`,
    { technician_id: tech.id, override: true, reason: "a phone is enrolled from the QR code" });
  assert.equal(given.status, 200, JSON.stringify(given.json));
  const { page, problems } = await technicianPage();
  const { row, status } = await addPhone(page, tech);
  assert.equal(status, 201);
  const link = await row.locator("canvas.en-qr").getAttribute("data-qr-text");
  await page.close();
  assert.deepEqual(problems, []);

  const phone = await openPhone();
  try {
    const app = await phone.context.newPage();
    await app.goto(link);
    await app.locator("#enroll-submit").click();
    await app.locator("li[data-job-id]").first().waitFor();
    await app.locator('#sync-state[data-state="ok"]').waitFor();
    assert.equal(new URL(app.url()).hash, "#/");
    const shown = (await app.locator("li[data-job-id]").evaluateAll((items) =>
      items.map((li) => Number(li.dataset.jobId)))).sort((a, b) => a - b);

    // fsd-tech enrolled for the same technician holds the same jobs
    const code = (await boss("POST", `/api/v1/technicians/${tech.id}/enrollment-codes`, {})).json.code;
    assert.equal(fsdTech("sdk-qr.db", "enroll", "--server", srv.base, "--code", code, "--name", "handheld").status, 0);
    assert.equal(fsdTech("sdk-qr.db", "sync").status, 0);
    const listed = JSON.parse(fsdTech("sdk-qr.db", "--json", "jobs").stdout);
    const sdk = (Array.isArray(listed) ? listed : listed.items || listed.jobs).map((j) => j.id).sort((a, b) => a - b);
    assert.ok(shown.includes(booked.id), `${booked.id} among ${shown}`);
    assert.deepEqual(shown, sdk);
    const devices = (await boss("GET", `/api/v1/devices?technician_id=${tech.id}`)).json.items;
    assert.deepEqual(devices.map((d) => d.name).sort(), ["Phone", "handheld"]);
  } finally {
    await phone.close();
  }
});
