// tech-visit.test.mjs - the technician's app (/tech) on a phone (360x740
// at twice the pixels, touch), in Debian's chromium, against the real
// server: a dispatcher's one-time code opens /tech#enroll=<code>; a wrong
// code is refused in plain words; the phone enrolls, the code leaves the
// address, the first sync brings today's job (and tomorrow's, grouped
// below); the service worker takes the page over.  Offline, the page
// reloads from the service worker and a whole visit is recorded: on the
// way, arrived, a note, the warranty decision (liquid damage would mean a
// quote; none found: repair in warranty), the part fitted with both
// serials typed, the outcome with labour, and the customer's sign-off
// with a signature drawn on the canvas and five stars; the status bar
// counts the actions waiting.  Back online, one tap syncs them, and the
// staff API shows every event once, at the phone's times (not the later
// upload's), the part with its serials, the sign-off with its rating,
// signature and the very summary hash the phone showed.  Then, out of
// warranty, the phone issues the one quote (the reserved part at its
// list price, the call-out fee the customer accepted) and the customer
// approves it on the phone, asked once more with the amount; the repair
// is done and signed for the total the server charges (its summary agrees
// with the phone's, hash for hash); an action on
// a job the dispatcher gave someone else meanwhile comes back as a
// conflict explained on the problems screen; a phone the dispatcher
// removed says so and enrolls again.  No console error, no CSP
// violation, no sideways scrolling.
// Screenshots: build/screenshots/tech-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer, staffSession, collectProblems, screenshots, MANAGER } from "./server.mjs";
import { openPhone, visitJob, ok, localTime, PHONE } from "./tech-ui-support.mjs";

const TECH = 6;       // Sun Qing (appliances), who holds no demo job
const TOMORROW = 25;  // a demo appointment for tomorrow, booked with its parts
const SERIAL = "SN-FAN-0001";
const FAULTY = "SN-OLD-7731";
const NOTE = "Gate code 4411; the dog is friendly";
// offline, the browser logs each sync the phone tries
const EXPECTED_NOISE = [/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/];
let srv, staff, phone, part, visit;

before(async () => {
  srv = await startServer();
  staff = await staffSession(srv, MANAGER);
  part = (await ok(staff("GET", "/api/v1/parts?limit=50"))).items.find((p) => p.sku === "FAN-OD60");
  visit = await visitJob(staff, TECH, part);
  await ok(staff("POST", `/api/v1/jobs/${TOMORROW}/assign`,
    { technician_id: TECH, override: true, reason: "the technician's app is tested" }));
  phone = await openPhone();
});

after(async () => {
  await phone?.close();
  await srv?.stop();
});

const problemsOf = (list) => list.filter((m) => !EXPECTED_NOISE.some((re) => re.test(m)));

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `page is ${width}px wide on a ${PHONE.width}px screen`);
}

async function shot(page, name) {
  await noSidewaysScroll(page);
  await page.screenshot({ path: join(screenshots, `tech-${name}.png`) });
}

const text = (page, selector) => page.locator(selector).innerText();

// The job screen's status, waited for.
async function statusIs(page, words) {
  await page.locator(`#job-status:text-is("${words}")`).waitFor();
}

// Draw a signature: three strokes of mouse moves across the pad.
async function sign(page) {
  const pad = page.locator("#signature");
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const strokes = [
    [[0.1, 0.7], [0.2, 0.3], [0.3, 0.7], [0.4, 0.3]],
    [[0.45, 0.6], [0.55, 0.4], [0.65, 0.6], [0.75, 0.35]],
    [[0.2, 0.8], [0.85, 0.75]],
  ];
  for (const stroke of strokes) {
    const at = ([x, y]) => [box.x + x * box.width, box.y + y * box.height];
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
    await page.mouse.up();
  }
}

test("a technician enrolls, works a whole visit offline and syncs it once", async () => {
  const { job, customer } = visit;
  const { code } = await ok(staff("POST", `/api/v1/technicians/${TECH}/enrollment-codes`), 201);
  const page = await phone.context.newPage();
  const problems = collectProblems(page);

  // the QR code's address fills the code in; a wrong one is refused
  await page.goto(`${srv.base}/tech#enroll=${code}`);
  assert.equal(await page.locator("#enroll-code").inputValue(), code);
  assert.equal(await page.locator("#enroll-name").inputValue(), "Phone");
  assert.equal(await page.locator("#sync-state").getAttribute("data-state"), "ok");
  assert.equal(await text(page, "#sync-state"), "Not enrolled");
  await shot(page, "enroll");
  await page.locator("#enroll-code").fill("ab2c-d3ef 4gh5");
  await page.locator("#enroll-submit").click();
  await page.locator("#enroll-error:not([hidden])").waitFor();
  assert.equal(await text(page, "#enroll-error"), "This code is unknown, used or expired. Ask the dispatcher for a new one.");
  assert.deepEqual(problemsOf(problems), ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
  problems.length = 0;
  await page.locator("#enroll-code").fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4, 8)}-${code.slice(8)}`);
  await page.locator("#enroll-name").fill("Sun Qing's phone");
  await page.locator("#enroll-submit").click();

  // enrolled: the code leaves the address, the first sync brings the jobs
  const item = page.locator(`li[data-job-id="${job.id}"]`);
  await item.waitFor();
  assert.equal(new URL(page.url()).hash, "#/");
  await page.locator('#sync-state[data-state="ok"]').waitFor();
  assert.match(await text(page, "#sync-state"), /^Synced \d\d:\d\d$/);
  assert.equal(await text(page, "#pending-count"), "All uploaded");
  const devices = (await ok(staff("GET", `/api/v1/devices?limit=50`))).items.filter((d) => d.technician_id === TECH);
  assert.deepEqual(devices.map((d) => d.name), ["Sun Qing's phone"]);
  assert.deepEqual(await page.locator("section.day h2").allTextContents(), ["Today · 1 job", "Tomorrow · 1 job"]);
  const window = `${localTime(job.window_start)}–${localTime(job.window_end)}`;
  assert.deepEqual((await item.innerText()).split("\n"),
    [window, customer.name, customer.address, "Assigned", "High"]);
  await page.locator(`li[data-job-id="${TOMORROW}"]`).waitFor();
  await shot(page, "jobs");
  // the worker keeps the app: it controls the page from now on, and its
  // cache holds the page and every file the page loaded, nothing else
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const kept = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]);
    return { names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  assert.equal(kept.names.length, 1);
  const loaded = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname)
    .filter((path) => path.startsWith("/static/")));
  for (const path of ["/tech", ...loaded]) assert.ok(kept.urls.includes(path), `${path} is not kept for offline use`);
  assert.deepEqual(kept.urls.filter((path) => !path.startsWith("/static/") && path !== "/tech"), []);

  // the job: call, directions, the window in the job's zone, the unit
  await item.locator("a").click();
  await statusIs(page, "Assigned");
  assert.equal(await page.locator("h1").innerText(), customer.name);
  assert.equal(await page.locator("#call").getAttribute("href"), "tel:+862155550188");
  assert.equal(await page.locator("#directions").getAttribute("href"),
    `geo:${customer.lat},${customer.lon}?q=${encodeURIComponent(customer.address)}`);
  const facts = await page.locator("dl.facts").first().innerText();
  assert.ok(facts.includes(`Today, ${window}`), facts);
  assert.ok(facts.includes("Asia/Shanghai"), facts);
  assert.match(await text(page, "#expected-warranty"), /^In warranty\nIn warranty until \d{4}-\d\d-\d\d$/);
  assert.deepEqual(await page.locator("#dock button").allInnerTexts(), ["On the way", "Arrived", "Note"]);
  await shot(page, "job");

  // offline: the page comes back from the service worker
  await phone.context.setOffline(true);
  const reloaded = await page.reload();
  assert.ok(reloaded.fromServiceWorker(), "the page did not come from the service worker");
  await page.locator('#sync-state[data-state="offline"]').waitFor();
  await statusIs(page, "Assigned");
  assert.match(await text(page, "#sync-state"), /^Offline · Synced \d\d:\d\d$/);
  await shot(page, "offline");

  const started = await page.evaluate(() => Date.now());
  await page.locator("#do-enRoute").click();
  await statusIs(page, "En route");
  await page.locator("#do-arrive").click();
  await statusIs(page, "On site");
  await page.locator("#do-note").click();
  await page.locator("#note-text").fill(NOTE);
  await page.locator("#note-save").click();
  await statusIs(page, "On site");
  assert.equal(await text(page, "#pending-count"), "3 waiting to upload");

  // warranty: liquid would put it out of warranty; none found, repair
  await page.locator("#do-warranty").click();
  const decision = page.locator("#warranty-decision");
  assert.equal(await decision.getAttribute("data-outcome"), "in_warranty");
  await page.locator("#finding-liquid").check();
  assert.equal(await decision.getAttribute("data-outcome"), "out_of_warranty");
  assert.match(await decision.innerText(), /^Out of warranty: make a quote\nBecause customer-caused damage: liquid ingress\.$/);
  assert.equal(await page.locator("#warranty-quote").innerText(), "Make a quote");
  await page.locator("#finding-liquid").uncheck();
  await page.locator("#finding-performanceFault").check();
  assert.match(await decision.innerText(), /^In warranty: repair at no charge\nBecause in warranty until \d{4}-\d\d-\d\d\.$/);
  await shot(page, "warranty");
  await page.locator("#warranty-save").click();
  await statusIs(page, "In warranty");

  // the part fitted, both serials typed
  await page.locator("#do-partsUsed").click();
  await page.locator(`#part-${part.id}-serial`).fill(SERIAL);
  await page.locator(`#part-${part.id}-faulty`).fill(FAULTY);
  assert.equal(await page.locator(`#part-${part.id}-qty`).inputValue(), "1");
  assert.equal(await page.locator("button:text-is('Scan')").count(), await page.evaluate(() => ("BarcodeDetector" in window ? 2 : 0)));
  await shot(page, "parts");
  await page.locator("#parts-save").click();
  await statusIs(page, "In warranty");

  // done, with an hour's labour under warranty
  await page.locator("#do-outcome").click();
  await page.locator("#outcome-COMPLETED").check();
  await page.locator("#outcome-notes").fill("Replaced the drain fan motor; drains in 40 s");
  assert.equal(await page.locator(".line-desc").inputValue(), "Labour, hours");
  await shot(page, "outcome");
  await page.locator("#outcome-save").click();
  await statusIs(page, "Work done");

  // the customer reads what they sign, signs, rates
  await page.locator("#do-signOff").click();
  const summary = await text(page, "#summary");
  for (const words of ["Replaced the drain fan motor; drains in 40 s", "In warranty (no charge)", `${part.name} (FAN-OD60), serial ${SERIAL}`, "Labour, hours"])
    assert.ok(summary.includes(words), `"${words}" missing from the summary:\n${summary}`);
  assert.equal(await page.locator("#summary").getAttribute("data-total"), "0");
  await shot(page, "signoff");
  await page.locator("#signoff-accept").click();
  assert.equal(await text(page, "#signoff-error"), "The customer has not signed yet: ask them to sign in the box.");
  await sign(page);
  await page.locator("#signoff-accept").click();
  assert.equal(await text(page, "#signoff-error"), "Ask the customer for a rating from 1 to 5.");
  await page.locator('label.star:has(#rating-5)').click();
  await page.locator("#signoff-comment").fill("Quick and tidy");
  const shown = await page.locator("#summary-hash").getAttribute("data-hash");
  assert.match(shown, /^[0-9a-f]{64}$/);
  await shot(page, "signature");
  await page.locator("#signoff-accept").click();
  await statusIs(page, "Signed off");
  const finished = await page.evaluate(() => Date.now());
  assert.equal(await text(page, "#pending-count"), "7 waiting to upload");
  assert.deepEqual(await page.locator("#my-actions li").evaluateAll((els) => els.map((e) => e.dataset.state)), Array(7).fill("pending"));
  await page.locator("#my-actions").scrollIntoViewIfNeeded();
  await shot(page, "waiting");
  await page.locator("a:text-is('‹ Jobs')").click();
  assert.deepEqual((await item.innerText()).split("\n"),
    [window, customer.name, customer.address, "Signed off", "High", "7 waiting to upload"]);
  await item.locator("a").click();
  await statusIs(page, "Signed off");

  // a while later, back online: one tap uploads it all
  await page.waitForTimeout(2500);
  await phone.context.setOffline(false);
  await page.locator("#sync-now").click();
  await page.locator('#pending-count[data-count="0"]').waitFor();
  await page.locator('#sync-state[data-state="ok"]').waitFor();
  await page.locator('#my-actions li[data-state="APPLIED"]').nth(6).waitFor();
  assert.equal(await page.locator('#my-actions li:not([data-state="APPLIED"])').count(), 0);
  await statusIs(page, "Signed off");
  await shot(page, "synced");

  // the server took every action once, at the phone's times
  assert.equal((await ok(staff("GET", `/api/v1/jobs/${job.id}`))).status, "signed_off");
  const timeline = (await ok(staff("GET", `/api/v1/jobs/${job.id}/timeline`))).items;
  const mine = timeline.filter((e) => e.received_at);
  assert.deepEqual(mine.map((e) => e.action),
    ["start_travel", "arrive", "note", "decide_in_warranty", "parts_used", "complete_work", "sign_off"]);
  for (const e of mine) {
    const at = Date.parse(e.at);
    const received = Date.parse(e.received_at);
    assert.ok(at >= Math.floor(started / 1000) * 1000 - 1000 && at <= finished + 1000, `${e.action} at ${e.at}, recorded between ${new Date(started).toISOString()} and ${new Date(finished).toISOString()}`);
    assert.ok(received - at >= 2000, `${e.action} received at ${e.received_at}, only ${received - at} ms after ${e.at}`);
    assert.equal(e.time_note, null);
  }
  const record = await ok(staff("GET", `/api/v1/jobs/${job.id}/record`));
  assert.equal(record.warranty.outcome, "in_warranty");
  assert.equal(record.visits.length, 1);
  assert.equal(record.visits[0].outcome, "completed");
  assert.deepEqual(record.visits[0].parts_used.map(({ part_id, quantity, serial, faulty_serial }) => ({ part_id, quantity, serial, faulty_serial })),
    [{ part_id: part.id, quantity: 1, serial: SERIAL, faulty_serial: FAULTY }]);
  assert.equal(record.sign_offs.length, 1);
  const signed = record.sign_offs[0];
  assert.equal(signed.customer_name, customer.name);
  assert.equal(signed.rating, 5);
  assert.equal(signed.comment, "Quick and tidy");
  assert.ok(signed.signature_size > 1000 && signed.signature_size <= 256 * 1024, `signature of ${signed.signature_size} bytes`);
  assert.equal(signed.shown_summary_hash, shown);
  assert.equal(signed.summary_agrees, true);
  assert.deepEqual(problemsOf(problems), []);
  await page.close();
});

// The app opened again on the phone, online, on its jobs, with its console
// watched; a page a failed test left open is closed first, so that its
// syncs do not meddle.
async function openApp() {
  await phone.context.setOffline(false);
  for (const open of phone.context.pages()) await open.close();
  const page = await phone.context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${srv.base}/tech`);
  await page.locator("h1:text-is('Your jobs')").waitFor();
  return { page, problems };
}

const cny = (minor) => new Intl.NumberFormat(undefined, { style: "currency", currency: "CNY" }).format(minor / 100);

let quoted; // the job the next test quotes, for the customer to answer

test("out of warranty, the phone issues the one quote, the accepted call-out fee in it", async () => {
  const { job } = quoted = await visitJob(staff, TECH, part, { who: "Lanting Tea House", serial: "BSH-1187-19", bought: 3 * 365, months: 12, callout: true });
  const { page, problems } = await openApp();
  await page.locator("#sync-now").click();
  const item = page.locator(`li[data-job-id="${job.id}"]`);
  await item.locator("a").click();
  await page.locator("#do-enRoute").click();
  await statusIs(page, "En route");
  await page.locator("#do-arrive").click();
  await statusIs(page, "On site");
  assert.deepEqual(await page.locator("#dock button").allInnerTexts(), ["Warranty decision", "Quote", "Parts used"]);

  await page.locator("#do-warranty").click();
  const decision = page.locator("#warranty-decision");
  assert.equal(await decision.getAttribute("data-outcome"), "out_of_warranty");
  assert.match(await decision.innerText(), /^Out of warranty: make a quote\nBecause warranty ended on \d{4}-\d\d-\d\d\.$/);
  assert.equal(await page.locator("#warranty-save").count(), 0);
  await page.locator("#warranty-quote").click();

  // the reserved part at its list price, labour to price, the call-out fee
  await page.locator("#quote-save").waitFor();
  assert.match(await text(page, "#quote-rule"), /^Out of warranty: warranty ended on \d{4}-\d\d-\d\d\.$/);
  const values = (selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(await values(".line-desc"), [`${part.name} (FAN-OD60)`, "Labour, hours", "Call-out fee"]);
  assert.deepEqual(await values(".line-price"), ["320.00", "", "80.00"]);
  await page.locator("#quote-save").click();
  assert.equal(await text(page, "#quote-error"), "Line 2 has a unit price that is not an amount (like 150.00).");
  await page.locator(".line-qty").nth(1).fill("2");
  await page.locator(".line-price").nth(1).fill("150");
  assert.deepEqual((await text(page, "#quote-sum")).split("\n").map((row) => row.split("\t")),
    [["Parts", cny(32000)], ["Labour", cny(30000)], ["Call-out", cny(8000)], ["Total", cny(70000)]]);
  await shot(page, "quote");
  await page.locator("#quote-save").click();
  await statusIs(page, "Quoted");

  // online: it uploads at once (acknowledged, not only painted as
  // uploaded before the count caught up); the snapshot then carries it
  await page.locator('#my-actions li[data-kind="quote"][data-state="APPLIED"]').waitFor();
  await page.locator('#pending-count[data-count="0"]').waitFor();
  await page.locator("#quote-status").waitFor();
  assert.equal(await text(page, "#quote-status"), "Waiting for the customer");
  const record = await ok(staff("GET", `/api/v1/jobs/${job.id}/record`));
  assert.equal(record.quotes.length, 1);
  assert.equal(record.quotes[0].total_minor, 70000);
  assert.deepEqual(record.quotes[0].lines.map(({ kind, description, quantity, unit_price_minor }) => [kind, description, quantity, unit_price_minor]),
    [["part", `${part.name} (FAN-OD60)`, 1, 32000], ["labour", "Labour, hours", 2, 15000], ["callout", "Call-out fee", 1, 8000]]);
  assert.equal((await ok(staff("GET", `/api/v1/jobs/${job.id}`))).status, "quoted");
  assert.deepEqual(problemsOf(problems), []);
  await page.close();
});

test("the customer approves the quote on the technician's phone, asked once more with the amount", async () => {
  const { job, customer } = quoted;
  const { page, problems } = await openApp();
  await page.locator(`li[data-job-id="${job.id}"] a`).click();
  await statusIs(page, "Quoted");
  await page.locator("#do-quoteAnswer").click();
  assert.equal(await text(page, "#quote-total"), `Total ${cny(70000)}`);
  assert.equal(await page.locator("#answer-name").inputValue(), customer.name);
  await page.locator("#answer-approve").click();
  assert.equal(await text(page, "#answer-ask"), `Approve ${cny(70000)}? The repair goes ahead and this amount is charged.`);
  await shot(page, "answer");
  await page.locator("#answer-approve").click();
  await statusIs(page, "Quote approved");
  await page.locator('#pending-count[data-count="0"]').waitFor();
  await page.locator('#my-actions li[data-kind="quoteAnswer"][data-state="APPLIED"]').waitFor();
  assert.equal((await ok(staff("GET", `/api/v1/jobs/${job.id}`))).status, "quote_approved");
  const quote = (await ok(staff("GET", `/api/v1/jobs/${job.id}/record`))).quotes[0];
  assert.equal(quote.status, "approved");
  assert.equal(quote.answered_by, "customer");
  assert.deepEqual(problemsOf(problems), []);
  await page.close();
});

test("the approved repair is done and signed for the price the server charges", async () => {
  const { job, customer } = quoted;
  const { page, problems } = await openApp();
  await page.locator(`li[data-job-id="${job.id}"] a`).click();
  await statusIs(page, "Quote approved");
  await page.locator("#do-partsUsed").click();
  await page.locator(`#part-${part.id}-serial`).fill("SN-FAN-0002");
  await page.locator("#parts-save").click();
  await statusIs(page, "Quote approved");
  // the labour the customer approved, ready to record
  await page.locator("#do-outcome").click();
  await page.locator("#outcome-COMPLETED").check();
  const values = (selector) => page.locator(selector).evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual([await values(".line-desc"), await values(".line-qty"), await values(".line-price")],
    [["Labour, hours"], ["2"], ["150.00"]]);
  await page.locator("#outcome-save").click();
  await statusIs(page, "Work done");
  await page.locator("#do-signOff").click();
  assert.equal(await text(page, "#summary-total"), cny(70000));
  assert.match(await text(page, "#summary"), new RegExp(`^Customer: ${customer.name}\n+Work: Does not drain; error E24\n+Warranty: Out of warranty\n`));
  await sign(page);
  await page.locator('label.star:has(#rating-4)').click();
  const shown = await page.locator("#summary-hash").getAttribute("data-hash");
  await page.locator("#signoff-accept").click();
  await statusIs(page, "Signed off");
  await page.locator('#pending-count[data-count="0"]').waitFor();
  await page.locator('#my-actions li[data-kind="signOff"][data-state="APPLIED"]').waitFor();
  const signed = (await ok(staff("GET", `/api/v1/jobs/${job.id}/record`))).sign_offs[0];
  assert.equal(signed.summary.charges.total_minor, 70000);
  assert.equal(signed.shown_summary_hash, shown);
  assert.equal(signed.summary_agrees, true);
  assert.deepEqual(problemsOf(problems), []);
  await page.close();
});

test("an action on a job given to someone else meanwhile is kept for the dispatcher and explained", async () => {
  const { page, problems } = await openApp();
  await phone.context.setOffline(true);
  await page.locator(`li[data-job-id="${TOMORROW}"] a`).click();
  await page.locator("#do-enRoute").click();
  await statusIs(page, "En route");
  await ok(staff("POST", `/api/v1/jobs/${TOMORROW}/assign`,
    { technician_id: TECH - 2, override: true, reason: "Sun Qing is off sick" }));
  await phone.context.setOffline(false);
  await page.locator("#sync-now").click();
  await page.locator("h1:text-is('Job 25 is not on this phone')").waitFor();
  await page.locator("a:text-is('Back to the jobs')").click();
  await page.locator("#problems-link").click();
  const problem = page.locator('#problems li[data-state="CONFLICT"]');
  await problem.waitFor();
  assert.equal(await page.locator("#problems li").count(), 1);
  assert.equal(await problem.locator(".explanation").innerText(),
    "This job was given to another technician. What you recorded was kept for the dispatcher.");
  assert.match(await problem.innerText(), /^On the way · Kept for the dispatcher · Job 25\n/);
  await shot(page, "problems");
  const conflicts = await ok(staff("GET", `/api/v1/jobs/${TOMORROW}/conflicts`));
  assert.equal(conflicts.items.length, 1);
  assert.deepEqual(problemsOf(problems), []);
  await page.close();
});

test("a phone the dispatcher removed says so and enrolls again", async () => {
  const { page, problems } = await openApp();
  // the sync the app runs on opening is over: the next one is the tap's
  await page.locator('#sync-state[data-state="ok"]').waitFor();
  await page.locator("#sync-now:enabled").waitFor();
  const device = (await ok(staff("GET", "/api/v1/devices?limit=50"))).items.find((d) => d.technician_id === TECH && !d.revoked_at);
  await ok(staff("DELETE", `/api/v1/devices/${device.id}`), 204);
  await page.locator("#sync-now").click();
  await page.locator("#enroll-reason").waitFor();
  assert.equal(await text(page, "#enroll-reason"),
    "This phone was removed by the dispatcher. Its jobs are no longer on it. Ask the dispatcher for a new code to enroll it again.");
  assert.equal(await page.locator("li[data-job-id]").count(), 0);
  await page.locator('#sync-state:text-is("Not enrolled")').waitFor();
  assert.equal(await page.locator("#sync-now").isHidden(), true);
  await shot(page, "revoked");
  const { code } = await ok(staff("POST", `/api/v1/technicians/${TECH}/enrollment-codes`), 201);
  await page.locator("#enroll-code").fill(code);
  await page.locator("#enroll-submit").click();
  await page.locator(`li[data-job-id="${visit.job.id}"]`).waitFor();
  assert.deepEqual(problemsOf(problems).filter((m) => !/status of 403/.test(m)), []);
  await page.close();
});
