// tech-protocol.test.mjs - the technician app's protocol engine
// (server/www/tech-*.js) in Debian's chromium on a phone-sized page,
// against the real server: PROTOCOL.md section 13's vectors rebuilt and
// checked byte for byte; enrollment and sync of a technician's jobs;
// tampered, replayed, expired and out-of-chain bundles refused with
// nothing applied; a key rotation followed; a revoked phone wiped; a page
// closed in the middle of a sync losing and repeating nothing; and the
// app and the C SDK (build/fsd-tech) seeing the same jobs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startServer, staffSession, MANAGER } from "./server.mjs";
import { join } from "node:path";
import { openPhone, enginePage, enrollmentCode, assign, assignedJobIds, call, withSyncRoute, fetchReply, fsdTech,
  rotateKey } from "./tech-support-engine.mjs";

const vectors = JSON.parse(readFileSync(new URL("../../proto/test-vectors.json", import.meta.url), "utf8"));
let srv, staff;

before(async () => {
  srv = await startServer();
  staff = await staffSession(srv, MANAGER); // a manager may assign past the rules
});

after(async () => {
  await srv?.stop();
});

// fn(phones…) with n phones of their own (each its own IndexedDB), closed after.
async function withPhones(n, fn) {
  const phones = [];
  try {
    for (let i = 0; i < n; i++) phones.push(await openPhone());
    return await fn(...phones);
  } finally {
    for (const p of phones) await p.close();
  }
}

test("section 13's vectors: the engine signs, verifies and walks them byte for byte", { timeout: 60000 }, () => withPhones(1, async (phone) => {
  const page = await enginePage(phone, srv.base);
  const out = await page.evaluate((file) => {
    const { wire, keyset, bundle } = window.E;
    const { sodium } = { sodium: window.sodium };
    const pb = window.protobuf.roots.default.fsd.v1;
    const hex = (b) => sodium.to_hex(b);
    const bin = (h) => sodium.from_hex(h);
    const v = file.vectors, inp = file.inputs;
    const refused = (fn) => {
      try {
        fn();
        return "accepted";
      } catch (e) {
        return e.code;
      }
    };
    const r = {};
    // the hand example
    const seed = bin("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const hand = sodium.crypto_sign_seed_keypair(seed);
    const note = pb.Note.encode({ text: "hello" }).finish();
    r.handPk = hex(hand.publicKey);
    r.handKeyId = wire.keyId(hand.publicKey);
    r.notePayload = hex(note);
    r.pae = hex(wire.pae("fsd.v1.Note", note));
    r.sig = hex(sodium.crypto_sign_detached(wire.pae("fsd.v1.Note", note), hand.privateKey));
    r.handEnvelope = hex(wire.signEnvelope("fsd.v1.Note", note, [hand.privateKey]));
    // the keys of the file
    const v1 = sodium.crypto_sign_seed_keypair(bin(inp.server_v1_seed));
    const v2 = sodium.crypto_sign_seed_keypair(bin(inp.server_v2_seed));
    const dev = sodium.crypto_sign_seed_keypair(bin(inp.device_sign_seed));
    const boxSk = bin(inp.device_box_secret_key);
    const boxPk = sodium.crypto_scalarmult_base(boxSk);
    r.keys = [hex(v1.publicKey), hex(v2.publicKey), hex(dev.publicKey), hex(boxPk)];
    const epoch = bin("e0e1e2e3e4e5e6e7e8e9eaebecedeeef");
    // 1: the enroll request, built and signed here
    const enrollReq = pb.EnrollRequest.encode({ code: "K7Q2M9X4P3T8", deviceSignPk: dev.publicKey,
      deviceBoxPk: boxPk, deviceName: "handheld 1", deviceTime: 1800000000 }).finish();
    r.enrollReq = [hex(enrollReq), hex(wire.signEnvelope("fsd.v1.EnrollRequest", enrollReq, [dev.privateKey]))];
    // 2: the enroll reply, verified as a phone does (trust on first use)
    const enrolled = keyset.verifyEnrollReply(bin(v.enroll_reply_envelope));
    r.enrolled = { deviceId: enrolled.deviceId, technicianId: enrolled.technicianId, version: enrolled.trust.version,
      keyIds: enrolled.trust.keys.map((k) => k.keyId), epoch: hex(enrolled.epoch) };
    r.v1KeyId = wire.keyId(v1.publicKey);
    const replyPayload = pb.EnrollReply.encode({ deviceId: 7, technicianId: 3, epoch, keyset: { version: 1,
      keys: [{ keyId: r.v1KeyId, ed25519: v1.publicKey }], issuedAt: 1799913600 } }).finish();
    r.enrollReply = [hex(replyPayload), hex(wire.signEnvelope("fsd.v1.EnrollReply", replyPayload, [v1.privateKey]))];
    // an enroll reply signed by a key its keyset does not list
    const forged = wire.signEnvelope("fsd.v1.EnrollReply", replyPayload, [v2.privateKey]);
    r.forgedReply = refused(() => keyset.verifyEnrollReply(forged));
    // 3: the sync request
    const syncReq = pb.SyncRequest.encode({ deviceId: 7, batchSeq: 1, cursor: 0, mutations: [{ mutationId: "7-1",
      jobId: 42, baseVersion: 3, deviceTime: 1800000060, note: { text: "gate code 4411" } }],
      capabilities: { maxBundleBytes: 65536, maxJobsPerBundle: 100 }, keysetVersion: 1, epoch }).finish();
    r.syncReq = [hex(syncReq), hex(wire.signEnvelope("fsd.v1.SyncRequest", syncReq, [dev.privateKey]))];
    // 4: bundle 1, checked and opened with the device's X25519 key 04…04
    const held = { deviceId: 7, technicianId: 3, trust: enrolled.trust, box: { pk: boxPk, sk: boxSk },
      chain: { bundleSeq: 0, lastBundleHash: null, highestIssuedAt: 0, epoch, leftEpochs: [] }, maxBytes: 1 << 20 };
    r.sealedOpens = hex(sodium.crypto_box_seal_open(bin(file.sealed.bundle_1_sealed_jobs), boxPk, boxSk));
    const b1 = bundle.checkBundle(bin(v.bundle_1_envelope), held, 1800000062);
    r.b1 = { seq: b1.bundle.bundleSeq, hash: hex(b1.hash), jobs: b1.jobs.map((j) => [j.id, j.version]),
      acks: b1.acks.map((a) => [a.mutationId, a.result, a.jobVersion]), checkpoint: b1.bundle.checkpoint };
    // 5: keyset 2, walked from keyset 1 (alone, and as a KeysetChain)
    const ks2 = keyset.stepKeyset(bin(v.keyset_2_envelope), enrolled.trust);
    const chainBytes = pb.KeysetChain.encode({ keysets: [bin(v.keyset_2_envelope)] }).finish();
    const walked = keyset.walkKeysets(chainBytes, enrolled.trust);
    r.ks2 = [ks2.version, ks2.keys.map((k) => k.keyId), walked.version, wire.keyId(v2.publicKey)];
    const ks2Payload = pb.Keyset.encode({ version: 2, keys: [{ keyId: wire.keyId(v2.publicKey), ed25519: v2.publicKey }],
      issuedAt: 1800000120 }).finish();
    r.ks2Bytes = [hex(ks2Payload), hex(wire.signEnvelope("fsd.v1.Keyset", ks2Payload, [v1.privateKey, v2.privateKey]))];
    // keyset 2 signed by the old key only: its own key did not sign it
    r.ks2Unsigned = refused(() => keyset.stepKeyset(wire.signEnvelope("fsd.v1.Keyset", ks2Payload, [v1.privateKey]), enrolled.trust));
    // keyset 2 offered to a phone that trusts version 2 already: not the next
    r.ks2Again = refused(() => keyset.stepKeyset(bin(v.keyset_2_envelope), ks2));
    // a keyset signed by a stranger's key and its own
    r.ksStranger = refused(() => keyset.stepKeyset(wire.signEnvelope("fsd.v1.Keyset", ks2Payload,
      [hand.privateKey, v2.privateKey]), enrolled.trust));
    // 6: bundle 2: an unknown key under keyset 1, accepted under keyset 2
    const after1 = { ...held, chain: { ...held.chain, bundleSeq: 1, lastBundleHash: b1.hash, highestIssuedAt: 1800000061 } };
    r.b2Unknown = refused(() => bundle.checkBundle(bin(v.bundle_2_envelope), after1, 1800000181));
    const b2 = bundle.checkBundle(bin(v.bundle_2_envelope), { ...after1, trust: ks2 }, 1800000181);
    r.b2 = { seq: b2.bundle.bundleSeq, hash: hex(b2.hash), removed: b2.removed, jobs: b2.jobs.length, acks: b2.acks.length };
    // the checks of section 8 on the same bytes
    r.b1Again = bundle.checkBundle(bin(v.bundle_1_envelope), after1, 1800000062).repeat === true;
    r.b2Unchained = refused(() => bundle.checkBundle(bin(v.bundle_2_envelope), { ...held, trust: ks2 }, 1800000181));
    r.b1Expired = refused(() => bundle.checkBundle(bin(v.bundle_1_envelope), held, 1800086461));
    r.b1Elsewhere = refused(() => bundle.checkBundle(bin(v.bundle_1_envelope), { ...held, deviceId: 8 }, 1800000062));
    r.b1Unsealable = refused(() => bundle.checkBundle(bin(v.bundle_1_envelope),
      { ...held, box: sodium.crypto_box_keypair() && { pk: boxPk, sk: new Uint8Array(32).fill(5) } }, 1800000062));
    const flipped = bin(v.bundle_1_envelope);
    flipped[20] ^= 1;
    r.b1Flipped = refused(() => bundle.checkBundle(flipped, held, 1800000062));
    r.b1TooLarge = refused(() => bundle.checkBundle(bin(v.bundle_1_envelope), { ...held, maxBytes: 100 }, 1800000062));
    r.garbage = refused(() => bundle.checkBundle(bin("ffffffff"), held, 1800000062));
    r.wrongType = refused(() => bundle.checkBundle(bin(v.enroll_reply_envelope), held, 1800000062));
    const left = bin("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    r.b1LeftEpoch = refused(() => bundle.checkBundle(bin(v.bundle_1_envelope),
      { ...held, chain: { ...held.chain, epoch: left, leftEpochs: [epoch] } }, 1800000062));
    r.b1NewEpochNoResync = refused(() => bundle.checkBundle(bin(v.bundle_1_envelope),
      { ...held, chain: { ...held.chain, epoch: left } }, 1800000062));
    return r;
  }, vectors);
  const v = vectors.vectors;
  assert.equal(out.handPk, "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  assert.equal(out.handKeyId, "9d24e2eeaf27c2a0");
  assert.equal(out.notePayload, "0a0568656c6c6f");
  assert.equal(out.pae, "4653447631203131206673642e76312e4e6f74652037200a0568656c6c6f");
  assert.equal(out.sig, "45870e31a4b8434c80d81e4c982943d39ee40bceba5e9c7f6a28db907c33ffd72bf128af77f74fcde3cf0a205cbf7b4419b40bc9aedf747d3bd858ccb44bd009");
  assert.equal(out.handEnvelope, "0a070a0568656c6c6f120b6673642e76312e4e6f74651a540a1039643234653265656166323763326130124045870e31a4b8434c80d81e4c982943d39ee40bceba5e9c7f6a28db907c33ffd72bf128af77f74fcde3cf0a205cbf7b4419b40bc9aedf747d3bd858ccb44bd009");
  assert.deepEqual(out.keys, [v.server_v1_public_key, v.server_v2_public_key, v.device_sign_public_key, v.device_box_public_key]);
  assert.deepEqual(out.enrollReq, [v.enroll_request_payload, v.enroll_request_envelope]);
  assert.deepEqual(out.enrolled, { deviceId: 7, technicianId: 3, version: 1, keyIds: [out.v1KeyId], epoch: "e0e1e2e3e4e5e6e7e8e9eaebecedeeef" });
  assert.deepEqual(out.enrollReply, [v.enroll_reply_payload, v.enroll_reply_envelope]);
  assert.equal(out.forgedReply, "unknown_key");
  assert.deepEqual(out.syncReq, [v.sync_request_payload, v.sync_request_envelope]);
  assert.equal(out.sealedOpens, v.bundle_1_sealed_jobs_plaintext);
  assert.deepEqual(out.b1, { seq: 1, hash: v.bundle_1_payload_hash, jobs: [[42, 3]], acks: [["7-1", "APPLIED", 3]], checkpoint: 120 });
  assert.deepEqual(out.ks2, [2, [out.ks2[3]], 2, out.ks2[3]]);
  assert.deepEqual(out.ks2Bytes, [v.keyset_2_payload, v.keyset_2_envelope]);
  assert.equal(out.ks2Unsigned, "bad_signature");
  assert.equal(out.ks2Again, "broken_chain");
  assert.equal(out.ksStranger, "unknown_key");
  assert.equal(out.b2Unknown, "unknown_key");
  assert.deepEqual(out.b2, { seq: 2, hash: v.bundle_2_payload_hash, removed: [42], jobs: 0, acks: 0 });
  assert.equal(out.b1Again, true);
  assert.equal(out.b2Unchained, "broken_chain");
  assert.equal(out.b1Expired, "expired");
  assert.equal(out.b1Elsewhere, "wrong_audience");
  assert.equal(out.b1Unsealable, "unsealable");
  assert.equal(out.b1Flipped, "bad_signature");
  assert.equal(out.b1TooLarge, "too_large");
  assert.equal(out.garbage, "malformed_envelope");
  assert.equal(out.wrongType, "wrong_type");
  assert.equal(out.b1LeftEpoch, "rollback");
  assert.equal(out.b1NewEpochNoResync, "broken_chain");
}));

// The texts of the notes devices added to job, in order.
async function deviceNotes(job) {
  const timeline = (await staff("GET", `/api/v1/jobs/${job}/timeline`)).json.items;
  return timeline.filter((e) => e.action === "note" && e.actor === "device").map((e) => e.detail.text);
}

// A code as a technician may type it: lower case, in groups, with a dash.
const typed = (code) => `${code.slice(0, 4).toLowerCase()} ${code.slice(4, 8)}-${code.slice(8).toLowerCase()}`;

// A phone enrolled for tech (with jobs assigned first): its page.
async function enrolledPage(browser, tech, jobs = []) {
  for (const job of jobs) await assign(staff, job, tech);
  const page = await enginePage(browser, srv.base);
  const code = await enrollmentCode(staff, tech);
  const device = await page.evaluate(async (c) => {
    const d = await window.E.device.enroll({ code: c, deviceName: "test phone" });
    return { deviceId: d.deviceId, technicianId: d.technicianId };
  }, typed(code));
  assert.equal(device.technicianId, tech);
  return { page, ...device };
}

test("a phone enrolls with a typed code, syncs its technician's jobs and records actions", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const tech = 2;
  const { page, deviceId } = await enrolledPage(phone, tech, [1, 2, 3]);
  assert.ok(deviceId > 0);
  assert.deepEqual(await call(page, "sync"), undefined);
  const status = await call(page, "status");
  assert.equal(status.lastError, null);
  assert.equal(status.pending, 0);
  assert.equal(status.revoked, false);
  assert.ok(status.lastSyncAt > 0);
  const jobs = await call(page, "jobs");
  assert.deepEqual(jobs.map((j) => j.id).sort((a, b) => a - b), await assignedJobIds(staff, tech));
  const server = (await staff("GET", "/api/v1/jobs/1")).json;
  const held = jobs.find((j) => j.id === 1);
  assert.equal(held.version, server.version);
  assert.equal(held.status, "assigned");
  assert.equal(held.fault, server.fault);
  assert.equal(held.windowStart, Date.parse(server.window_start) / 1000);
  // sorted by window, then id
  for (let i = 1; i < jobs.length; i++) {
    assert.ok(jobs[i - 1].windowStart < jobs[i].windowStart ||
      (jobs[i - 1].windowStart === jobs[i].windowStart && jobs[i - 1].id < jobs[i].id));
  }
  // the device is listed for the technician
  const devices = (await staff("GET", `/api/v1/devices?technician_id=${tech}`)).json.items;
  assert.ok(devices.some((d) => d.id === deviceId));

  // a note and a sign-off the job cannot take yet, recorded offline
  const noteId = await call(page, "record", 1, "note", { text: "gate code 4411" });
  assert.equal(noteId, `${deviceId}-1`);
  const signId = await call(page, "record", 1, "signOff", { customerName: "Guest", signaturePng: [137, 80, 78, 71],
    rating: 5, accepted: true });
  assert.equal(signId, `${deviceId}-2`);
  const refusedHere = await call(page, "record", 1, "note", { text: "" });
  assert.equal(refusedHere.error.code, "out_of_range");
  assert.equal((await call(page, "record", 999999, "note", { text: "x" })).error.code, "not_found");
  assert.equal((await call(page, "record", 1, "teleport", {})).error.code, "unsupported_mutation");
  // a summary whose hash is not its BLAKE2b-256 is refused before it is kept
  const summary = await page.evaluate(() => {
    const bytes = new TextEncoder().encode('{"job_id":1,"total_minor":0,"currency":"CNY"}');
    const hash = window.E.device.summaryHash(bytes);
    return { bytes: [...bytes], hash: window.sodium.to_hex(hash), expected: window.sodium.to_hex(window.sodium.crypto_generichash(32, bytes)) };
  });
  assert.equal(summary.hash, summary.expected);
  const wrongHash = await page.evaluate((b) => window.E.device.loadDevice().then((d) => d.record(1, "signOff", {
    customerName: "Guest", signaturePng: new Uint8Array([1]), rating: 5, accepted: true,
    summary: new Uint8Array(b), summaryHash: new Uint8Array(32) })).catch((e) => e.code), summary.bytes);
  assert.equal(wrongHash, "invalid_summary");
  assert.equal((await call(page, "status")).pending, 2);
  const before = await call(page, "actions", 1);
  assert.deepEqual(before.map((a) => [a.mutationId, a.kind, a.state]), [[noteId, "note", "pending"], [signId, "signOff", "pending"]]);
  assert.equal(before[0].body.text, "gate code 4411");

  assert.equal(await call(page, "sync"), undefined);
  const after = await call(page, "actions", 1);
  assert.deepEqual(after.map((a) => [a.mutationId, a.state, a.code]), [[noteId, "APPLIED", ""], [signId, "REJECTED", "invalid_transition"]]);
  assert.equal((await call(page, "status")).pending, 0);
  const problems = await call(page, "problems");
  assert.equal(problems.length, 1);
  assert.equal(problems[0].mutationId, signId);
  assert.match(problems[0].explanation, /moved on/);
  assert.deepEqual(await deviceNotes(1), ["gate code 4411"]);
}));

// What a refused bundle must leave alone: the jobs, the actions, the chain.
function snapshot(page) {
  return page.evaluate(async () => {
    const d = await window.E.device.loadDevice();
    const chain = await window.E.db.read(["meta"], (t) => t.meta("chain"));
    const jobs = await d.jobs();
    const actions = [];
    for (const j of jobs) actions.push(...await d.actions(j.id));
    return { jobs, actions, pending: (await d.status()).pending,
      chain: { cursor: chain.cursor, bundleSeq: chain.bundleSeq } };
  });
}

// The batch_seq of the batch in flight (0: none).
function inflightSeq(page) {
  return page.evaluate(async () => {
    const inflight = await window.E.db.read(["meta"], (t) => t.meta("inflight"));
    return inflight ? inflight.batchSeq : 0;
  });
}

// A SyncError {code} as the server sends it (field 1, a string).
const syncError = (code) => Buffer.concat([Buffer.from([0x0a, code.length]), Buffer.from(code)]);

// The reply a phone's next sync gets (captured on its way, then delivered).
async function syncCaptured(page) {
  let reply = null;
  await withSyncRoute(page, async (route) => {
    reply = await fetchReply(route);
    await route.fulfill({ status: reply.status, body: reply.body, contentType: "application/x-protobuf" });
  }, async () => assert.equal(await call(page, "sync"), undefined));
  return reply.body;
}

// The code a sync whose reply goes through handle fails with; it is also
// status().lastError's.
async function syncRefused(page, handle) {
  const result = await withSyncRoute(page, handle, () => call(page, "sync"));
  assert.ok(result && result.error, `the sync was not refused: ${JSON.stringify(result)}`);
  assert.equal((await call(page, "status")).lastError.code, result.error.code);
  return result.error.code;
}

test("tampered, misdirected, replayed, expired and unchained bundles are refused and nothing is applied", { timeout: 120000 }, () => withPhones(2, async (phone, other) => {
  {
    const a = await enrolledPage(phone, 3, [4, 5]);
    const b = await enrolledPage(other, 4, [6]);
    const bundleB = await syncCaptured(b.page);
    const bundle1 = await syncCaptured(a.page);
    assert.equal(await call(a.page, "sync"), undefined);  // bundle 2
    await call(a.page, "record", 4, "note", { text: "the dog is friendly" });
    const before = await snapshot(a.page);
    assert.equal(before.pending, 1);
    assert.equal(before.chain.bundleSeq, 2);

    // the genuine reply with one byte of its payload flipped
    assert.equal(await syncRefused(a.page, async (route) => {
      const body = (await fetchReply(route)).body;
      body[10] ^= 0x01;
      await route.fulfill({ status: 200, body, contentType: "application/x-protobuf" });
    }), "bad_signature");
    assert.deepEqual(await snapshot(a.page), before);
    const inflight = await inflightSeq(a.page);
    assert.ok(inflight > 0);
    // a genuine bundle of another technician's phone
    assert.equal(await syncRefused(a.page, (route) =>
      route.fulfill({ status: 200, body: bundleB, contentType: "application/x-protobuf" })), "wrong_audience");
    assert.deepEqual(await snapshot(a.page), before);
    // this phone's own first bundle, replayed
    assert.equal(await syncRefused(a.page, (route) =>
      route.fulfill({ status: 200, body: bundle1, contentType: "application/x-protobuf" })), "rollback");
    assert.deepEqual(await snapshot(a.page), before);
    // the genuine reply, on a phone whose clock is a day and an hour ahead
    await a.page.evaluate(() => {
      const real = Date.now;
      window.realNow = real;
      Date.now = () => real() + 25 * 3600 * 1000;
    });
    assert.equal(await syncRefused(a.page, async (route) => {
      const reply = await fetchReply(route);
      await route.fulfill({ status: reply.status, body: reply.body, contentType: "application/x-protobuf" });
    }), "expired");
    await a.page.evaluate(() => { Date.now = window.realNow; });
    assert.deepEqual(await snapshot(a.page), before);
    assert.equal(await inflightSeq(a.page), inflight); // kept for an exact retry
    assert.deepEqual(await deviceNotes(4), ["the dog is friendly"]); // the server has it, once

    // the batch still in flight goes again as it was: the stored reply
    assert.equal(await call(a.page, "sync"), undefined);
    const applied = await snapshot(a.page);
    assert.equal(applied.pending, 0);
    assert.deepEqual(applied.actions.map((x) => x.state), ["APPLIED"]);
    assert.equal(applied.chain.bundleSeq, 3);
    assert.deepEqual(await deviceNotes(4), ["the dog is friendly"]);

    // a batch the server answered but whose reply was lost as a refusal:
    // the phone drops it, and the server's next bundle does not follow
    // the last one the phone applied
    await call(a.page, "record", 5, "note", { text: "ring twice" });
    const refused = await withSyncRoute(a.page, async (route) => {
      await fetchReply(route);
      await route.fulfill({ status: 400, body: syncError("malformed_payload"), contentType: "application/x-protobuf" });
    }, () => call(a.page, "sync"));
    assert.equal(refused.error.code, "malformed_payload");
    const unchained = await snapshot(a.page);
    assert.equal(await syncRefused(a.page, async (route) => {
      const reply = await fetchReply(route);
      await route.fulfill({ status: reply.status, body: reply.body, contentType: "application/x-protobuf" });
    }), "broken_chain");
    const afterBroken = await snapshot(a.page);
    assert.deepEqual(afterBroken, unchained);
    assert.equal(afterBroken.pending, 1);
    assert.equal(afterBroken.chain.bundleSeq, 3);
  }
}));

// The keyset version the phone has pinned.
function pinnedVersion(page) {
  return page.evaluate(() => window.E.db.read(["meta"], (t) => t.meta("trust")).then((t) => t.version));
}

test("a phone follows a rotation of the server's key, also for a reply issued again", { timeout: 120000 }, () => withPhones(1, async (phone) => {
  const { page } = await enrolledPage(phone, 5, [8]);
  assert.equal(await call(page, "sync"), undefined);
  assert.equal(await pinnedVersion(page), 1);
  // the server applies the note, but its reply (signed by the old key) never arrives
  await call(page, "record", 8, "note", { text: "before the rotation" });
  let answered = 0;
  const lost = await withSyncRoute(page, async (route) => {
    if (answered++ === 0) await fetchReply(route);
    await route.fulfill({ status: 503, body: syncError("unavailable"), contentType: "application/x-protobuf" });
  }, () => call(page, "sync"));
  assert.equal(lost.error.code, "unavailable");
  assert.equal(answered, 3); // retried, the same bytes each time
  rotateKey(srv.db);
  // the exact retry is answered by the stored bundle, issued again by the new key
  assert.equal(await call(page, "sync"), undefined);
  assert.equal(await pinnedVersion(page), 2);
  assert.deepEqual((await call(page, "actions", 8)).map((x) => x.state), ["APPLIED"]);
  assert.deepEqual(await deviceNotes(8), ["before the rotation"]);
  // and the chain goes on under the new key
  await call(page, "record", 8, "note", { text: "after the rotation" });
  assert.equal(await call(page, "sync"), undefined);
  assert.deepEqual(await deviceNotes(8), ["before the rotation", "after the rotation"]);
  assert.equal((await call(page, "status")).lastError, null);
}));

// What the phone's store still holds of the enrollment.
function heldSecrets(page) {
  return page.evaluate(() => window.E.db.read(["meta", "jobs", "actions"], async (t) => ({
    device: Boolean(await t.meta("device")),
    trust: Boolean(await t.meta("trust")),
    jobs: (await t.all("jobs")).length,
    actions: (await t.all("actions")).map((a) => [a.kind, a.state]),
  })));
}

test("a revoked phone forgets its jobs and keys at once and may enroll again", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const { page, deviceId } = await enrolledPage(phone, 6, [9]);
  assert.equal(await call(page, "sync"), undefined);
  await call(page, "record", 9, "note", { text: "applied before" });
  assert.equal(await call(page, "sync"), undefined);
  await call(page, "record", 9, "note", { text: "recorded after the removal" });
  const revoked = await staff("DELETE", `/api/v1/devices/${deviceId}`);
  assert.equal(revoked.status, 204);

  const result = await page.evaluate(async () => {
    const d = await window.E.device.loadDevice();
    const error = await d.sync().then(() => null, (e) => ({ name: e.name, code: e.code }));
    const status = await d.status();
    return { error, revoked: status.revoked, lastError: status.lastError.code, jobs: (await d.jobs()).length,
      loaded: await window.E.device.loadDevice(), wasRevoked: await window.E.device.wasRevoked() };
  });
  assert.deepEqual(result, { error: { name: "DeviceError", code: "device_revoked" }, revoked: true,
    lastError: "device_revoked", jobs: 0, loaded: null, wasRevoked: true });
  // no key, no job; only what was never sent
  assert.deepEqual(await heldSecrets(page), { device: false, trust: false, jobs: 0, actions: [["note", "pending"]] });
  // after a reload too
  await page.reload();
  const again = await enginePage(phone, srv.base);
  assert.equal(await again.evaluate(() => window.E.device.loadDevice()), null);

  // enrolled again with a new code, it sends what it kept
  const code = await enrollmentCode(staff, 6);
  const renewed = await again.evaluate(async (c) => {
    const d = await window.E.device.enroll({ code: c, deviceName: "test phone" });
    await d.sync();
    return { deviceId: d.deviceId, wasRevoked: await window.E.device.wasRevoked(), status: await d.status() };
  }, code);
  assert.notEqual(renewed.deviceId, deviceId);
  assert.equal(renewed.wasRevoked, false);
  assert.equal(renewed.status.pending, 0);
  assert.equal(renewed.status.revoked, false);
  assert.deepEqual(await deviceNotes(9), ["applied before", "recorded after the removal"]);
}));

test("a page closed in the middle of a sync loses nothing and repeats nothing", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const { page } = await enrolledPage(phone, 7, [10]);
  assert.equal(await call(page, "sync"), undefined);
  for (const text of ["one", "two", "three"]) await call(page, "record", 10, "note", { text });
  // the server applies the batch; its reply never reaches the page, which closes
  let applied;
  const reached = new Promise((resolve) => { applied = resolve; });
  await page.route("**/sync/v1/sync", async (route) => {
    await fetchReply(route);
    applied();
    // never fulfilled
  });
  await page.evaluate(() => { window.E.device.loadDevice().then((d) => d.sync()).catch(() => {}); });
  await reached;
  assert.deepEqual(await deviceNotes(10), ["one", "two", "three"]);
  await page.close();

  const next = await enginePage(phone, srv.base);
  const before = await next.evaluate(async () => {
    const d = await window.E.device.loadDevice();
    const inflight = await window.E.db.read(["meta"], (t) => t.meta("inflight"));
    return { pending: (await d.status()).pending, inflight: inflight.mutationIds.length };
  });
  assert.deepEqual(before, { pending: 3, inflight: 3 });
  assert.equal(await call(next, "sync"), undefined);
  assert.deepEqual((await call(next, "actions", 10)).map((x) => [x.body.text, x.state]),
    [["one", "APPLIED"], ["two", "APPLIED"], ["three", "APPLIED"]]);
  assert.equal((await call(next, "status")).pending, 0);
  assert.deepEqual(await deviceNotes(10), ["one", "two", "three"]);
}));

test("the app and the C SDK enrolled for one technician hold the same jobs", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const tech = 8;
  const { page } = await enrolledPage(phone, tech, [11, 12]);
  assert.equal(await call(page, "sync"), undefined);
  const store = join(srv.dir, "sdk-tech8.db");
  const code = await enrollmentCode(staff, tech);
  const enrolled = fsdTech(store, "enroll", "--server", srv.base, "--code", code, "--name", "sdk");
  assert.equal(enrolled.status, 0, enrolled.stderr);
  const synced = fsdTech(store, "sync");
  assert.equal(synced.status, 0, synced.stderr);
  const listed = fsdTech(store, "--json", "jobs");
  assert.equal(listed.status, 0, listed.stderr);
  const parsed = JSON.parse(listed.stdout);
  const sdkJobs = (Array.isArray(parsed) ? parsed : parsed.items || parsed.jobs).map((j) => [j.id, j.version, j.status]);
  const appJobs = (await call(page, "jobs")).map((j) => [j.id, j.version, j.status]);
  const byId = (a, b) => a[0] - b[0];
  assert.deepEqual(appJobs.sort(byId), sdkJobs.sort(byId));
  assert.deepEqual(appJobs.map((j) => j[0]), await assignedJobIds(staff, tech));
}));

// Change the phone's chain in its store as fn(chain) says (a store restored
// from a copy, a server restored from a backup).
function editChain(page, edit) {
  return page.evaluate((e) => window.E.db.transact(["meta"], "readwrite", async (t) => {
    const chain = await t.meta("chain");
    if (e.batchSeq !== undefined) chain.batchSeq = e.batchSeq;
    if (e.epochByte !== undefined) chain.epoch = new Uint8Array(16).fill(e.epochByte);
    await t.setMeta("chain", chain);
  }), edit);
}

function chainView(page) {
  return page.evaluate(async () => {
    const chain = await window.E.db.read(["meta"], (t) => t.meta("chain"));
    const hex = (b) => (b ? Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("") : null);
    return { batchSeq: chain.batchSeq, epoch: hex(chain.epoch), left: chain.leftEpochs.map(hex) };
  });
}

test("a batch count fallen behind and a server epoch left behind: everything applied once", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const { page } = await enrolledPage(phone, 1, [13]);
  assert.equal(await call(page, "sync"), undefined);
  await call(page, "record", 13, "note", { text: "first" });
  assert.equal(await call(page, "sync"), undefined);
  const start = await chainView(page);
  assert.equal(start.epoch.length, 32);

  // section 10: the phone's count fell behind (a store restored from a copy)
  await editChain(page, { batchSeq: 0 });
  await call(page, "record", 13, "note", { text: "second" });
  assert.equal(await call(page, "sync"), undefined);
  assert.ok((await chainView(page)).batchSeq > start.batchSeq);
  assert.deepEqual((await call(page, "actions", 13)).map((x) => x.state), ["APPLIED", "APPLIED"]);

  // section 12: the phone pinned an epoch the server has left (it was
  // restored from a backup): the server resyncs it from the start, and the
  // phone sends again what it had applied, answered from stored results
  const jobsBefore = (await call(page, "jobs")).map((j) => j.id);
  assert.ok(jobsBefore.includes(13));
  await editChain(page, { epochByte: 0xab });
  assert.equal(await call(page, "sync"), undefined);
  const after = await chainView(page);
  assert.equal(after.epoch, start.epoch);
  assert.deepEqual(after.left, ["ab".repeat(16)]);
  assert.deepEqual((await call(page, "actions", 13)).map((x) => [x.body.text, x.state]),
    [["first", "APPLIED"], ["second", "APPLIED"]]);
  assert.deepEqual((await call(page, "jobs")).map((j) => j.id), jobsBefore);
  assert.deepEqual(await deviceNotes(13), ["first", "second"]);
}));

test("automatic syncs: at once, when the phone comes online, and listeners told", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const { page } = await enrolledPage(phone, 1, [14]);
  const out = await page.evaluate(async () => {
    const d = await window.E.device.loadDevice();
    let changes = 0;
    const unsubscribe = d.onChange(() => { changes++; });
    const until = async (test) => {
      for (let i = 0; i < 200 && !(await test()); i++) await new Promise((r) => setTimeout(r, 50));
      return test();
    };
    const stop = d.startAutoSync();
    const first = await until(async () => (await d.status()).lastSyncAt !== null && !(await d.status()).syncing);
    const jobs = (await d.jobs()).map((j) => j.id);
    await d.record(14, "note", { text: "sent when online" });
    const pending = (await d.status()).pending;
    window.dispatchEvent(new Event("online"));
    const sent = await until(async () => (await d.status()).pending === 0 && !(await d.status()).syncing);
    stop();
    unsubscribe();
    return { first, jobs, pending, sent, changed: changes > 3, status: await d.status() };
  });
  assert.equal(out.first, true);
  assert.ok(out.jobs.includes(14));
  assert.equal(out.pending, 1);
  assert.equal(out.sent, true);
  assert.equal(out.changed, true);
  assert.equal(out.status.lastError, null);
  assert.deepEqual(await deviceNotes(14), ["sent when online"]);
}));

test("a batch too large for the server goes in smaller ones; a phone the server forgot keeps its work to enroll again", { timeout: 90000 }, () => withPhones(1, async (phone) => {
  const { page } = await enrolledPage(phone, 3, [15]);
  assert.equal(await call(page, "sync"), undefined);
  for (const text of ["a", "b", "c"]) await call(page, "record", 15, "note", { text });
  // the first batch (three notes) is over the server's body limit
  let requests = 0;
  await withSyncRoute(page, async (route) => {
    if (requests++ === 0) {
      await route.fulfill({ status: 413, body: syncError("too_large"), contentType: "application/x-protobuf" });
    } else {
      await route.continue();
    }
  }, async () => assert.equal(await call(page, "sync"), undefined));
  assert.equal(requests, 4); // refused, then one note at a time for the rest of the run
  assert.deepEqual((await call(page, "actions", 15)).map((x) => x.state), ["APPLIED", "APPLIED", "APPLIED"]);
  assert.deepEqual(await deviceNotes(15), ["a", "b", "c"]);

  // section 12: the server no longer knows this phone (a restored database)
  await call(page, "record", 15, "note", { text: "d" });
  const forgotten = await withSyncRoute(page, (route) =>
    route.fulfill({ status: 404, body: syncError("unknown_device"), contentType: "application/x-protobuf" }),
  () => call(page, "sync"));
  assert.equal(forgotten.error.code, "unknown_device");
  const status = await call(page, "status");
  assert.equal(status.enrollAgain, true);
  assert.equal(status.revoked, false);
  assert.equal(status.pending, 1);
  assert.ok((await call(page, "jobs")).some((j) => j.id === 15)); // work goes on offline
  assert.match(await call(page, "record", 15, "note", { text: "e" }), /^\d+-5$/);
  assert.equal((await call(page, "sync")).error.code, "unknown_device"); // not sent again
  // enrolled again, it sends its outbox and what it had applied in the last week
  const code = await enrollmentCode(staff, 3);
  const renewed = await page.evaluate(async (c) => {
    const d = await window.E.device.enroll({ code: c, deviceName: "test phone" });
    return { status: await d.status(), states: (await d.actions(15)).map((x) => x.state), jobs: (await d.jobs()).length };
  }, code);
  assert.deepEqual(renewed.states, ["pending", "pending", "pending", "pending", "pending"]);
  assert.equal(renewed.status.enrollAgain, false);
  assert.equal(renewed.jobs, 0); // they come again with the new enrollment's first bundle
}));
