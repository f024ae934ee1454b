// book.test.mjs - the customer's page on a phone (360x740), in Debian's
// chromium: a booking link shows the company's name, the job and its
// slots by day, one tap books the first slot, the confirmation offers the
// .ics file (downloaded and checked), the visit is moved with the keyboard
// alone and then cancelled; a quote link shows the company, the lines and
// totals in the company's currency and takes an approval.  No console
// error, no CSP violation, no sideways scrolling.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, staffSession, openBrowser, collectProblems, screenshots } from "./server.mjs";

const PHONE = { width: 360, height: 740 };
// demo jobs 17-24 are requests still to book (1-16 are ready to assign);
// 18 is a split air conditioner whose warranty ended years ago
const BOOKABLE = 17, QUOTABLE = 18;
let srv, staff, browser, company;

before(async () => {
  srv = await startServer(["--public-limit", "100000"]);
  staff = await staffSession(srv);
  browser = await openBrowser(PHONE);
  company = (await staff("GET", "/api/v1/company")).json;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function link(job, purpose) {
  const r = await staff("POST", `/api/v1/jobs/${job}/booking-link`, { purpose });
  assert.equal(r.status, 201);
  return r.json.url;
}

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `page is ${width}px wide on a ${PHONE.width}px screen`);
}

// "20261124T080000Z" for "2026-11-24T08:00:00Z"
const icsTime = (iso) => iso.replace(/[-:]/g, "");

test("a customer books, moves and cancels a visit from a phone", async () => {
  const url = await link(BOOKABLE, "booking");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(srv.base + url);
  const slots = page.locator("button.slot");
  await slots.first().waitFor();
  assert.ok(await slots.count() > 3);
  assert.equal(await page.locator("#company").textContent(), company.name);
  // the demo customers are in Shanghai: the zone in words, not its IANA name
  assert.match(await page.locator("#pick-zone").innerText(), /^Times are in China Standard Time\.$/);
  assert.ok(await page.locator("#company").isVisible());
  await noSidewaysScroll(page);
  await page.screenshot({ path: join(screenshots, "book-slots.png"), fullPage: true });

  const first = await slots.first().getAttribute("data-start");
  await slots.first().click();
  await page.locator("#confirmed").waitFor();
  let job = await staff("GET", `/api/v1/jobs/${BOOKABLE}`);
  assert.equal(job.json.status, "assigned");
  assert.equal(job.json.window_start, first);
  await noSidewaysScroll(page);
  await page.screenshot({ path: join(screenshots, "book-confirmed.png"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#ics").click()]);
  assert.equal(download.suggestedFilename(), "appointment.ics");
  const saved = join(screenshots, "appointment.ics");
  await download.saveAs(saved);
  const ics = readFileSync(saved, "utf8");
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  assert.ok(ics.includes(`DTSTART:${icsTime(first)}\r\n`), ics);

  // move it to another time with the keyboard only
  await page.locator("#reschedule").focus();
  await page.keyboard.press("Enter");
  const again = page.locator("button.slot");
  await again.first().waitFor();
  const second = await again.nth(1).getAttribute("data-start");
  await again.nth(1).focus();
  await page.keyboard.press("Enter");
  await page.locator("#confirmed").waitFor();
  job = await staff("GET", `/api/v1/jobs/${BOOKABLE}`);
  assert.equal(job.json.window_start, second);

  await page.locator("#cancel").click();
  await page.locator("#cancel-yes").click();
  await page.getByText("cancelled", { exact: false }).first().waitFor();
  job = await staff("GET", `/api/v1/jobs/${BOOKABLE}`);
  assert.equal(job.json.status, "cancelled");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a wrong link says so in plain words", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${srv.base}/book/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
  await page.getByText("this link is not valid", { exact: false }).first().waitFor();
  assert.equal(await page.locator("button.slot").count(), 0);
  await page.close();
});

// A request through the visit to an out-of-warranty quote, as the desk
// records it for the technician: a new outdoor fan motor, two hours'
// labour and the call-out, in CNY.
async function quotedJob(id) {
  const ev = async (body, status) => {
    const r = await staff("POST", `/api/v1/jobs/${id}/events`, body);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.status, status);
  };
  const techs = await staff("GET", "/api/v1/technicians?limit=1");
  const behalf = { on_behalf_of: "technician", reason: "phoned in" };
  // out of warranty: the customer accepted the call-out fee on the phone
  await ev({ event: "book", accept_callout: true }, "parts_reserved");
  await ev({ event: "assign", technician_id: techs.json.items[0].id }, "assigned");
  await ev({ event: "start_travel", ...behalf }, "en_route");
  await ev({ event: "arrive", ...behalf }, "on_site");
  await ev({ event: "issue_quote", ...behalf, lines: [
    { kind: "part", description: "Outdoor fan motor", quantity: 1, unit_price_minor: 32000 },
    { kind: "labour", description: "Labour, hours", quantity: 2, unit_price_minor: 15000 },
    { kind: "callout", description: "Call-out fee", quantity: 1, unit_price_minor: 10000 },
  ] }, "quoted");
}

test("a customer reads a quote and approves it", async () => {
  await quotedJob(QUOTABLE);
  const url = await link(QUOTABLE, "quote");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(srv.base + url);
  await page.locator("#approve").waitFor();
  const text = await page.locator("body").innerText();
  for (const words of [company.name, "Outdoor fan motor", "Labour, hours", "Call-out fee", "720.00"])
    assert.ok(text.includes(words), `"${words}" missing from the quote page`);
  const quote = await fetch(srv.base + url.replace("/quote/", "/api/v1/public/quotes/")).then((r) => r.json());
  assert.equal(quote.quote.currency, company.currency);
  assert.equal(quote.quote.total_minor, 72000);
  assert.equal(quote.job.company, company.name);
  await noSidewaysScroll(page);
  await page.screenshot({ path: join(screenshots, "quote.png"), fullPage: true });
  // why it is charged, and the amount confirmed before approving
  assert.match(await page.locator("#quote-reason").innerText(), /^The repair is charged because the unit is out of warranty: warranty ended on /);
  await page.locator("#approve").click();
  assert.match(await page.locator("#approve-confirm-text").innerText(), /^Approve .*720\.00\? The repair goes ahead and this amount is charged\.$/);
  assert.equal((await staff("GET", `/api/v1/jobs/${QUOTABLE}`)).json.status, "quoted");
  await page.locator("#approve-yes").click();
  await page.locator("#quote-answer").waitFor();
  assert.match(await page.locator("#quote-state").innerText(), /^You approved this quote on /);
  const job = await staff("GET", `/api/v1/jobs/${QUOTABLE}`);
  assert.equal(job.json.status, "quote_approved");
  assert.deepEqual(problems, []);
  await page.close();
});

// demo job 22 waits for a back-ordered valve; 20 repairs a switchboard
// bought in 2018, so its visit carries the call-out fee
const BACK_ORDERED = 22, OUT_OF_WARRANTY = 20;

test("a customer sees the part on order and the first day after it", async () => {
  const url = await link(BACK_ORDERED, "booking");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(srv.base + url);
  await page.locator("button.slot").first().waitFor();
  const api = await fetch(srv.base + url.replace("/book/", "/api/v1/public/bookings/")).then((r) => r.json());
  assert.equal(api.parts.status, "expected");
  const words = await page.locator("#pick-parts").innerText();
  assert.match(words, /A part for your repair is on order and expected on /);
  const first = await page.locator("button.slot").first().getAttribute("data-start");
  assert.ok(first.slice(0, 10) > api.parts.expected_on, `${first} is not after ${api.parts.expected_on}`);
  // a split unit bought in 2019: the call-out fee is accepted first
  await page.locator("#callout-accept").check();
  await page.locator("button.slot").first().click();
  await page.locator("#parts-wait").waitFor();
  assert.equal(await page.locator("#confirmed-heading").innerText(), "Your visit is booked: waiting for a part");
  const job = await staff("GET", `/api/v1/jobs/${BACK_ORDERED}`);
  assert.equal(job.json.status, "awaiting_parts");
  await page.screenshot({ path: join(screenshots, "book-part-on-order.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a customer accepts the call-out fee before booking", async () => {
  const url = await link(OUT_OF_WARRANTY, "booking");
  const page = await browser.context.newPage();
  const problems = collectProblems(page);
  await page.goto(srv.base + url);
  await page.locator("#callout").waitFor();
  const fee = new Intl.NumberFormat(undefined, { style: "currency", currency: company.currency }).format(company.callout_fee_minor / 100);
  assert.ok((await page.locator("#callout-text").innerText()).includes(fee));
  await page.locator("button.slot").first().click();
  await page.getByText("Please accept the call-out fee first").waitFor();
  let job = await staff("GET", `/api/v1/jobs/${OUT_OF_WARRANTY}`);
  assert.equal(job.json.status, "slots_offered");
  await page.locator("#callout-accept").check();
  await page.locator("button.slot").first().click();
  await page.locator("#confirmed").waitFor();
  job = await staff("GET", `/api/v1/jobs/${OUT_OF_WARRANTY}`);
  assert.equal(job.json.callout_minor, company.callout_fee_minor);
  await noSidewaysScroll(page);
  await page.screenshot({ path: join(screenshots, "book-callout.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
