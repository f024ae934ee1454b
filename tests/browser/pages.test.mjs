// pages.test.mjs - the dispatcher's app's other pages at 1440x900 in
// Debian's chromium, as a manager on the demo data: the technicians page
// lists every technician with skills, shifts and today's load, makes a
// one-time enrollment code; the reports page draws its six SVG charts;
// a dispatcher sees no Reports link.  No console error, no CSP violation.
// Screenshots: build/screenshots/pages-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, staffSession, openBrowser, collectProblems, screenshots, DISPATCHER, MANAGER } from "./server.mjs";

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await openBrowser({ width: 1440, height: 900 });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function logIn(page, who) {
  await page.goto(`${srv.base}/`);
  await page.locator("#login-username").fill(who.username);
  await page.locator("#login-password").fill(who.password);
  await page.locator("#login-submit").click();
  await page.locator("#board[data-ready=\"true\"]").waitFor();
}

test("a manager sees the technicians and the reports", async () => {
  const staff = await staffSession(srv, MANAGER);
  const techs = (await staff("GET", "/api/v1/technicians?limit=200")).json.items;
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await logIn(page, MANAGER);
  problems.length = 0; /* the 401s of asking who is logged in, before */

  await page.locator('a[href="#/technicians"]').click();
  const rows = page.locator("#technicians .tp-tech");
  await rows.first().waitFor();
  assert.equal(await rows.count(), techs.length);
  const first = page.locator(`.tp-tech[data-tech="${techs[0].id}"]`);
  assert.ok((await first.innerText()).includes(techs[0].name));
  await first.locator(".tp-new-code").click();
  const code = first.locator(".tp-code");
  await code.waitFor();
  assert.match(await code.innerText(), /\S{6,}/);
  await page.screenshot({ path: join(screenshots, "pages-technicians.png") });

  await page.locator('a[href="#/reports"]').click();
  for (const chart of ["status", "sla", "ftf", "ratings", "parts", "load"])
    await page.locator(`#reports figure.rp-chart[data-chart="${chart}"]`).waitFor();
  assert.ok(await page.locator("#reports figure.rp-chart svg").count() >= 3);
  await page.screenshot({ path: join(screenshots, "pages-reports.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a dispatcher sees no reports link", async () => {
  const context = (await openBrowser({ width: 1440, height: 900 }));
  const page = await context.context.newPage();
  await logIn(page, DISPATCHER);
  assert.equal(await page.locator('a[href="#/reports"]').isVisible(), false);
  await context.close();
});
