// tech-ui-support.mjs - what tech-visit.test.mjs needs beyond server.mjs:
// a job set up through the staff API as a dispatcher would (a customer, a
// unit bought 200 days ago with two years' warranty, a part reserved,
// booked and assigned to a technician for a window open now) and the
// staff API's readings of it.
import assert from "node:assert/strict";
import { DEMO_ZONE, openPhone, PHONE } from "./server.mjs";

export { openPhone, PHONE };

// r's JSON when its status is the one expected.
export async function ok(request, status = 200) {
  const r = await request;
  assert.equal(r.status, status, JSON.stringify(r.json));
  return r.json;
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const ZONE_OFFSET_MS = 8 * 3600000; // the demo company's zone, UTC+8

// A customer's unit and job for tech, booked with part reserved (the
// call-out fee accepted out of warranty) and assigned, its window opened
// an hour ago (or at midnight, whichever is later, in the company's zone)
// so that it is today's whatever the hour.  The unit was bought `bought`
// days ago with `months` of warranty (callout: it is out of warranty, so
// the customer accepts the call-out fee); `who` names the customer and
// `serial` the unit.
export async function visitJob(staff, tech, part,
  { who = "Gu Family", serial = "BSH-4471-22", bought = 200, months = 24, callout = false } = {}) {
  const customer = await ok(staff("POST", "/api/v1/customers", {
    name: who, phone: "+86 21 5555 0188", email: "customer@example.com",
    address: "88 Wulumuqi Road, Flat 5B, Shanghai", lat: 31.2101, lon: 121.4402, tier: "regular",
  }), 201);
  const asset = await ok(staff("POST", "/api/v1/assets", {
    customer_id: customer.id, model: "Bosch Serie 4 dishwasher", serial,
    purchase_date: isoDay(Date.now() - bought * 86400000), warranty_months: months,
  }), 201);
  const now = Date.now();
  const midnight = new Date(`${localDay(now)}T00:00:00+08:00`).getTime();
  const start = Math.max(midnight, Math.floor((now - 3600000) / 60000) * 60000);
  const job = await ok(staff("POST", "/api/v1/jobs", {
    customer_id: customer.id, asset_id: asset.id, kind: "repair", priority: 2,
    fault: "Does not drain; error E24", duration_minutes: 60,
    window_start: new Date(start).toISOString(), window_end: new Date(start + 2 * 3600000).toISOString(),
    required_skills: [{ skill: "appliance", level: 1 }], parts: [{ part_id: part.id, quantity: 1 }],
  }), 201);
  const booked = await ok(staff("POST", `/api/v1/jobs/${job.id}/events`,
    callout ? { event: "book", accept_callout: true } : { event: "book" }));
  assert.equal(booked.status, "parts_reserved");
  await ok(staff("POST", `/api/v1/jobs/${job.id}/assign`,
    { technician_id: tech, override: true, reason: "the technician's app is tested" }));
  return { customer, asset, job: await ok(staff("GET", `/api/v1/jobs/${job.id}`)) };
}

// "YYYY-MM-DD" of ms in the demo company's zone (Asia/Shanghai: UTC+8 all
// year), without the ICU locale data a system's node may lack.
export function localDay(ms) {
  return isoDay(ms + ZONE_OFFSET_MS);
}

// "14:05" of an RFC 3339 instant in the demo company's zone.
export function localTime(iso) {
  return new Intl.DateTimeFormat(undefined, { timeZone: DEMO_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(iso));
}
