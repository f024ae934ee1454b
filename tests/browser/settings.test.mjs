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
  await page.locator("#logout").click();
  await page.locator("#login-form").waitFor();
  await page.close();
});

test("a manager edits a technician's skills, shifts, capacity and days off", async () => {
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  const techs = (await boss("GET", "/api/v1/technicians?limit=200")).json.items;
  const li = techs.find((t) => t.name === "Li Wei");
  await page.goto(srv.base + "/#/technicians");
  await page.locator("#login-username").fill(MANAGER.username);
  await page.locator("#login-password").fill(MANAGER.password);
  await page.locator("#login-submit").click();
  const row = page.locator(`.tp-tech[data-tech="${li.id}"]`);
  await row.locator(".tp-edit").click();
  const form = row.locator(".te-form");
  await form.locator('select[name="skill:dental"]').selectOption("2");
  await form.locator('input[name="start:6"]').fill("09:00");
  await form.locator('input[name="end:6"]').fill("13:00");
  await form.locator('input[name="capacity_minutes"]').fill("420");
  await form.locator('input[name="off_first:0"]').fill("2027-02-08");
  await form.locator('input[name="off_last:0"]').fill("2027-02-12");
  await form.locator('input[name="off_reason:0"]').fill("Spring Festival");
  await form.locator(".te-save").click();
  await page.locator("#toast").filter({ hasText: "Li Wei saved." }).waitFor();
  const saved = (await boss("GET", `/api/v1/technicians/${li.id}`)).json;
  assert.equal(saved.capacity_minutes, 420);
  assert.deepEqual(saved.skills.find((s) => s.skill === "dental"), { skill: "dental", level: 2 });
  assert.deepEqual(saved.shifts.find((s) => s.weekday === 6), { weekday: 6, start: "09:00", end: "13:00" });
  assert.equal(saved.shifts.length, li.shifts.length + 1); // the weekdays kept, Saturday added
  assert.deepEqual(saved.time_off, [{ first_day: "2027-02-08", last_day: "2027-02-12", reason: "Spring Festival" }]);
  await page.screenshot({ path: join(screenshots, "technician-edit.png") });
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await page.close();
});

test("the board opens in the company's zone, whatever the browser's", async () => {
  const far = await openBrowser(DESKTOP, "Europe/Berlin");
  try {
    const page = await far.context.newPage();
    const problems = collectProblems(page);
    await page.goto(srv.base + "/#/board");
    await page.locator("#login-username").fill(MANAGER.username);
    await page.locator("#login-password").fill(MANAGER.password);
    await page.locator("#login-submit").click();
    await page.locator('#board[data-ready="true"]').waitFor();
    const zone = (await boss("GET", "/api/v1/company")).json.timezone;
    assert.equal(await page.locator("#board-zone").inputValue(), zone);
    assert.equal(await page.locator("#board-zone option:checked").innerText(), `${zone} (company)`);
    assert.ok(await page.locator('#board-zone option[value="Europe/Berlin"]').count(), "the browser's zone is offered too");
    assert.deepEqual(problems, []);
  } finally {
    await far.close();
  }
});
