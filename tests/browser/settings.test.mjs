// settings.test.mjs - the company's settings at 1440x900: the admin made
// by `fsd-server init` signs in with the one-time password, chooses their
// own, gives the company the phone customers see and a call-out fee,
// changes a service level and opens an account for a new dispatcher
// (whose one-time password is shown once); a manager sees the service
// levels only, a dispatcher no settings at all.  Every change is read back
// through the API; no console error and no CSP violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, staffSession, openBrowser, collectProblems, screenshots, MANAGER, DISPATCHER } from "./server.mjs";

const DESKTOP = { width: 1440, height: 900 };
let srv, boss, browser;

before(async () => {
  srv = await startServer();
  boss = await staffSession(srv, MANAGER);
  browser = await openBrowser(DESKTOP);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(page, username, password) {
  await page.goto(srv.base + "/#/settings");
  await page.locator("#login-username").fill(username);
  await page.locator("#login-password").fill(password);
  await page.locator("#login-submit").click();
}

test("an admin sets the company's contact, fee, service levels and accounts", async () => {
  const admin = srv.log().match(/admin login: admin \/ (\S+)/)[1];
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await signIn(page, "admin", admin);
  await page.locator("#password-form").waitFor();
  await page.locator("#password-current").fill(admin);
  await page.locator("#password-new").fill("harbour-lights-2027");
  await page.locator("#password-repeat").fill("harbour-lights-2027");
  await page.locator("#password-submit").click();
  const company = page.locator("#settings-company");
  await company.waitFor();
  await company.locator('input[name="phone"]').fill("+86 21 5036 9900");
  await company.locator('input[name="callout_fee"]').fill("95.50");
  await company.locator("button").click();
  await page.locator("#toast").filter({ hasText: "Company saved." }).waitFor();
  const c = (await boss("GET", "/api/v1/company")).json;
  assert.equal(c.phone, "+86 21 5036 9900");
  assert.equal(c.callout_fee_minor, 9550);

  const sla = page.locator("#settings-sla");
  await sla.locator('input[name="on_site_1"]').fill("180");
  await sla.locator("button").click();
  await page.locator("#toast").filter({ hasText: "Service levels saved." }).waitFor();
  assert.equal((await boss("GET", "/api/v1/sla-policies/1")).json.on_site_minutes, 180);

  const users = page.locator("#settings-users");
  await users.locator('input[name="username"]').fill("night-desk");
  await users.locator("button[type=submit]").click();
  await page.locator("#one-time").filter({ hasText: "night-desk's one-time password:" }).waitFor();
  await users.locator("tr").filter({ hasText: "night-desk" }).waitFor();
  await page.screenshot({ path: join(screenshots, "settings.png"), fullPage: true });
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await page.locator("#logout").click();
  await page.locator("#login-form").waitFor();
  await page.close();
});

test("a manager sees the service levels only, a dispatcher no settings", async () => {
  const page = await browser.context.newPage();
  await signIn(page, MANAGER.username, MANAGER.password);
  await page.locator("#settings-sla").waitFor();
  assert.equal(await page.locator("#settings-company").count(), 0);
  assert.equal(await page.locator("#settings-users").count(), 0);
  await page.locator("#logout").click();
  await page.locator("#login-form").waitFor();
  await signIn(page, DISPATCHER.username, DISPATCHER.password);
  await page.getByText("Settings are for managers and admins.").waitFor();
  assert.equal(await page.locator("#nav-settings").isVisible(), false);
  await page.close();
});
