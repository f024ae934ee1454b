// desk.test.mjs - the dispatcher's desk at 1440x900: a job taken through
// its stages from the drawer's "Next steps" alone, and an invoice paid.
//
// A repair for the demo hotel (out of warranty, so it carries the
// company's call-out fee) needs an expansion valve the warehouse does not
// have: booking it is refused in plain words, the back order's date is
// recorded, booking without the customer's acceptance of the fee is
// refused, and with it the job waits for its part; the job is then
// cancelled with a reason.  A second job of the hotel's, declined on site
// and returned unrepaired, shows its invoice (the call-out fee) in the
// drawer, and the payment is recorded there.  Every result is read back
// through the API; no console error and no CSP violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, staffSession, openBrowser, collectProblems, demoDays, screenshots, MANAGER } from "./server.mjs";

const DESKTOP = { width: 1440, height: 900 };
let srv, boss, browser, page, problems, days, company;

before(async () => {
  srv = await startServer();
  boss = await staffSession(srv, MANAGER);
  days = await demoDays(boss);
  company = (await boss("GET", "/api/v1/company")).json;
  browser = await openBrowser(DESKTOP);
  page = await browser.context.newPage();
  problems = collectProblems(page);
  await page.goto(srv.base + `/#/board/${days.tomorrow}`);
  await page.locator("#login-username").fill(MANAGER.username);
  await page.locator("#login-password").fill(MANAGER.password);
  await page.locator("#login-submit").click();
  await page.locator('#board[data-ready="true"]').waitFor();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const ok = async (promise, status = 200) => {
  const r = await promise;
  assert.equal(r.status, status, JSON.stringify(r.json));
  return r.json;
};
const job = (id) => ok(boss("GET", `/api/v1/jobs/${id}`));
const unexpected = () => problems.filter((p) => !/status of (401|409)/.test(p));

/* A repair of the hotel's VRF unit tomorrow 10:00-12:00 (company zone). */
async function hotelRepair(parts = []) {
  return ok(boss("POST", "/api/v1/jobs", {
    customer_id: 1, asset_id: 1, kind: "repair", fault: "Outdoor unit 2 does not start", priority: 2,
    duration_minutes: 60, window_start: `${days.tomorrow}T10:00:00+08:00`, window_end: `${days.tomorrow}T12:00:00+08:00`,
    required_skills: [{ skill: "hvac", level: 1 }], parts,
  }), 201);
}

async function openDrawer(id) {
  await page.locator(`.job[data-job="${id}"]`).first().click();
  await page.locator(`#drawer[data-job="${id}"]`).waitFor();
}

async function takeStep(label) {
  await page.locator("#drawer .stage-step").filter({ hasText: label }).locator("button").click();
}

test("a job goes through its stages from the drawer's next steps", async () => {
  const valve = (await ok(boss("GET", "/api/v1/parts?limit=100"))).items.find((p) => p.sku === "EEV-16");
  const created = await hotelRepair([{ part_id: valve.id, quantity: 1 }]);
  await openDrawer(created.id);

  // no valve and no date: refused, in the server's words
  await takeStep("Book as planned");
  await page.locator("#toast").filter({ hasText: "is out of stock with no expected date" }).waitFor();
  assert.equal((await job(created.id)).status, "new");

  // the back order's date
  const step = page.locator("#drawer .stage-step").filter({ hasText: "Record back order" });
  await step.locator('input[name="expected_on"]').fill(days.today);
  await step.locator("button").click();
  await page.locator("#drawer .part-back_ordered").waitFor();
  assert.equal((await job(created.id)).parts[0].expected_on, days.today);

  // out of warranty: the customer's acceptance of the fee first
  await takeStep("Book as planned");
  await page.locator("#toast").filter({ hasText: "call-out fee" }).waitFor();
  assert.equal((await job(created.id)).status, "new");
  await page.locator('#drawer input[name="accept_callout"]').check();
  await takeStep("Book as planned");
  await page.locator("#drawer .stage").filter({ hasText: "awaiting parts" }).waitFor();
  let j = await job(created.id);
  assert.equal(j.status, "awaiting_parts");
  assert.equal(j.callout_minor, company.callout_fee_minor);
  await page.screenshot({ path: join(screenshots, "desk-awaiting-parts.png") });

  const cancel = page.locator("#drawer .stage-step").filter({ hasText: "Cancel job" });
  await cancel.locator('input[name="reason"]').fill("the hotel replaces the unit");
  await cancel.locator("button").click();
  await page.locator("#toast").filter({ hasText: "is now cancelled" }).waitFor();
  j = await job(created.id);
  assert.equal(j.status, "cancelled");
  const timeline = await ok(boss("GET", `/api/v1/jobs/${created.id}/timeline`));
  assert.equal(timeline.items.at(-1).reason, "the hotel replaces the unit");
  await page.locator("#drawer-close").click();
  assert.deepEqual(unexpected(), []);
});

test("the invoice shows in the drawer and its payment is recorded there", async () => {
  const created = await hotelRepair();
  const ev = (body) => ok(boss("POST", `/api/v1/jobs/${created.id}/events`, body));
  const behalf = (who) => ({ on_behalf_of: who, reason: "phoned in" });
  const techs = await ok(boss("GET", "/api/v1/technicians?limit=1"));
  await ev({ event: "book", accept_callout: true });
  await ok(boss("POST", `/api/v1/jobs/${created.id}/assign`,
    { technician_id: techs.items[0].id, override: true, reason: "the hotel asked for this technician" }));
  await ev({ event: "arrive", ...behalf("technician") });
  await ev({ event: "issue_quote", ...behalf("technician"),
    lines: [{ kind: "part", description: "Inverter board", quantity: 1, unit_price_minor: 290000 }] });
  await ev({ event: "decline_quote", ...behalf("customer") });
  await ev({ event: "return_unrepaired", reason: "the hotel waits for the new unit" });
  await ev({ event: "close" });

  await page.locator("#board").waitFor();
  await openDrawer(created.id);
  const invoice = page.locator("#drawer .invoice");
  await invoice.waitFor();
  assert.ok((await invoice.innerText()).includes("Unpaid"));
  // the total as the page formats money: the call-out fee alone
  const fee = await page.evaluate(([minor, currency]) =>
    new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100),
  [company.callout_fee_minor, company.currency]);
  assert.equal(await invoice.locator(".invoice-total").innerText(), fee);
  // printed, the invoice stands alone
  await page.emulateMedia({ media: "print" });
  assert.equal(await invoice.isVisible(), true);
  assert.equal(await page.locator("#board").isVisible(), false);
  assert.equal(await invoice.locator("form").isVisible(), false);
  assert.match(await invoice.locator(".invoice-for").innerText(), /^Job #\d+ · Lotus Garden Hotel$/);
  await page.emulateMedia({ media: "screen" });
  await invoice.locator('input[name="reference"]').fill("POS 20261208-0042");
  await invoice.locator("form button").click();
  await page.locator("#toast").filter({ hasText: "Payment recorded." }).waitFor();
  await invoice.filter({ hasText: "POS 20261208-0042" }).waitFor();
  const record = await ok(boss("GET", `/api/v1/jobs/${created.id}/record`));
  assert.equal(record.invoice.total_minor, company.callout_fee_minor);
  assert.equal(record.invoice.payment_reference, "POS 20261208-0042");
  await page.screenshot({ path: join(screenshots, "desk-invoice.png") });
  assert.deepEqual(unexpected(), []);
});

test("a request is taken: the customer found by serial, a unit added, the job booked by phone", async () => {
  await page.goto(srv.base + "/#/intake");
  await page.locator("#intake-search").waitFor();
  // the hotel's VRF unit by part of its serial number
  await page.locator("#intake-search").fill("GMV6-2022");
  await page.locator(".pick-customer").first().click();
  await page.locator("#intake-chosen h3").first().waitFor();
  assert.equal(await page.locator("#intake-chosen h3").first().innerText(), "Lotus Garden Hotel");
  assert.match(await page.locator(".warranty-words").first().innerText(), /^Out of warranty since /);
  // the hotel bought its 6 units at once: one maintenance visit a year
  assert.match(await page.locator("#intake-chosen").innerText(), /Maintenance visits\s+1 of 1 visit left in \d{4}/);
  // the hotel's one unit is chosen: earlier jobs on its model suggest the skill
  await page.locator("#intake-suggested").filter({ hasText: "Earlier jobs on Gree GMV6 VRF outdoor unit, 28 kW needed: hvac" }).waitFor();
  assert.equal(await page.locator('#intake-job select[name="skill"]').inputValue(), "hvac");
  // a new unit, bought last week: in warranty
  const week = new Date(Date.now() - 7 * 86400e3).toISOString().slice(0, 10);
  const unit = page.locator("form.intake-new-asset");
  await unit.locator('input[name="model"]').fill("Gree GMV6 VRF outdoor unit, 33.5 kW");
  await unit.locator('input[name="serial"]').fill("GMV6-2026-12001");
  await unit.locator('input[name="purchase_date"]').fill(week);
  await unit.locator("button").click();
  await page.locator(".warranty-words").filter({ hasText: "In warranty until" }).waitFor();
  const form = page.locator("#intake-job");
  await form.waitFor();
  await form.locator('textarea[name="fault"]').fill("New unit rattles at start-up");
  await form.locator('select[name="skill"]').selectOption("hvac");
  await form.locator("button").click();
  await page.locator("#intake-booking").waitFor();
  const id = Number((await page.locator("#intake-booking h3").innerText()).match(/#(\d+)/)[1]);
  await page.locator("#intake-slots").click();
  await page.locator(".book-slot").first().click();
  await page.locator("#intake-note").filter({ hasText: "Booked for" }).waitFor();
  const j = await job(id);
  assert.equal(j.status, "parts_reserved");
  assert.equal(j.callout_minor, null); // in warranty: no fee
  assert.equal((await ok(boss("GET", `/api/v1/assets/${j.asset_id}`))).serial, "GMV6-2026-12001");
  await page.screenshot({ path: join(screenshots, "desk-intake.png"), fullPage: true });
  assert.deepEqual(unexpected(), []);
});

test("a delivery booked on the parts page serves the job waiting for it", async () => {
  // demo job 22 waits for the expansion valve; book it so it waits in awaiting_parts
  const expected = (await job(22)).parts[0].expected_on;
  const day = new Date(Date.parse(`${expected}T00:00:00Z`) + 2 * 86400e3).toISOString().slice(0, 10);
  await ok(boss("POST", "/api/v1/jobs/22/events", {
    event: "book", accept_callout: true, window_start: `${day}T10:00:00+08:00`, window_end: `${day}T12:00:00+08:00`,
  }));
  assert.equal((await job(22)).status, "awaiting_parts");
  await page.goto(srv.base + "/#/parts");
  const valve = page.locator(".parts-table tr").filter({ hasText: "EEV-16" });
  await valve.waitFor();
  assert.match(await valve.innerText(), /warehouse: 0 on hand, 0 reserved, 0 free/);
  await valve.locator('input[name="quantity"]').fill("2");
  await valve.locator("button").click();
  await page.locator("#toast").filter({ hasText: "Parts reserved for 1 waiting job: #22." }).waitFor();
  await page.locator(".parts-table tr").filter({ hasText: "warehouse: 2 on hand, 1 reserved, 1 free" }).waitFor();
  assert.equal((await job(22)).status, "parts_reserved");
  await page.screenshot({ path: join(screenshots, "desk-parts.png"), fullPage: true });
  assert.deepEqual(unexpected(), []);
});

test("a manager revises a quote from the drawer, with a reason", async () => {
  const created = await hotelRepair();
  const ev = (body) => ok(boss("POST", `/api/v1/jobs/${created.id}/events`, body));
  const techs = await ok(boss("GET", "/api/v1/technicians?limit=1"));
  await ev({ event: "book", accept_callout: true });
  await ok(boss("POST", `/api/v1/jobs/${created.id}/assign`,
    { technician_id: techs.items[0].id, override: true, reason: "the hotel asked for this technician" }));
  await ev({ event: "arrive", on_behalf_of: "technician", reason: "phoned in" });
  await ev({ event: "issue_quote", on_behalf_of: "technician", reason: "phoned in",
    lines: [{ kind: "labour", description: "Refrigerant leak search and repair, hours", quantity: 2, unit_price_minor: 30000 }] });
  await page.goto(srv.base + `/#/board/${days.tomorrow}`);
  await page.locator('#board[data-ready="true"]').waitFor();
  await openDrawer(created.id);
  const revise = page.locator("#drawer .stage-step").filter({ hasText: "Revise the quote" });
  assert.equal(await revise.locator('input[name="description:0"]').inputValue(), "Refrigerant leak search and repair, hours");
  await revise.locator('input[name="price:0"]').fill("250.00");
  await revise.locator('input[name="reason"]').fill("goodwill: a key account");
  await revise.locator("button").click();
  await page.locator("#toast").filter({ hasText: "is now quoted" }).waitFor();
  const record = await ok(boss("GET", `/api/v1/jobs/${created.id}/record`));
  const live = record.quotes.find((q) => q.status === "pending");
  assert.equal(live.total_minor, 50000);
  assert.equal(record.quotes.filter((q) => q.status === "superseded").length, 1);
  const timeline = await ok(boss("GET", `/api/v1/jobs/${created.id}/timeline`));
  assert.equal(timeline.items.at(-1).reason, "goodwill: a key account");
  assert.deepEqual(unexpected(), []);
});

test("a short visit's card shows its whole text when pointed at", async () => {
  await page.goto(srv.base + `/#/board/${days.tomorrow}`);
  await page.locator('#board[data-ready="true"]').waitFor();
  // the narrowest card on the day, whose text does not fit it
  const id = await page.evaluate(() => [...document.querySelectorAll(".lane .block")]
    .sort((a, b) => a.getBoundingClientRect().width - b.getBoundingClientRect().width)[0].dataset.job);
  const card = page.locator(`.lane .block[data-job="${id}"]`);
  const cut = () => card.evaluate((el) => [...el.children].some((c) => c.scrollWidth > c.clientWidth + 1));
  assert.equal(await cut(), true, "the narrowest card is cut when nobody points at it");
  await card.hover();
  assert.equal(await cut(), false, "a card's priority, customer or time is cut while pointed at");
});
