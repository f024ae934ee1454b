"""test_protocol.py - the device protocol's scenarios, run by a second
implementation (fsd_device.py, written from proto/PROTOCOL.md) against the
real server: the test vectors, enrollment and sync, exactly-once uploads
and exact retries, paging to the device's limits, a key rotation walked,
tampering caught, the server's error codes, device time, and recovery
from a restored backup.

    test_protocol.py BUILD_DIR SCRATCH_DIR [TAP_FILE]

Prints each test as it goes and writes TAP; exits 1 when one failed.
"""

import json
import os
import sys
import tempfile
import time
import traceback

import nacl.signing

import fsd_pb2 as pb
from fsd_device import Device, Refused, blake2b, key_id, sign_envelope
from server import Server, Staff

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def expect_refused(code, fn, *args):
    try:
        fn(*args)
    except Refused as e:
        assert e.code == code, f"{e.code} where {code} was expected"
        return e
    raise AssertionError(f"no {code}")


def new_device(srv, staff, **limits):
    tech = staff.technician("Conformance")
    job = staff.job_for(tech)
    dev = Device(srv.url, **limits)
    dev.enroll(staff.code(tech))
    return dev, tech, job


@test
def the_vectors_reproduce(ctx):
    """Section 13: the same bytes from the same inputs."""
    with open(os.path.join(ROOT, "proto", "test-vectors.json")) as f:
        doc = json.load(f)
    inputs, want = doc["inputs"], doc["vectors"]
    v1 = nacl.signing.SigningKey(bytes.fromhex(inputs["server_v1_seed"]))
    v2 = nacl.signing.SigningKey(bytes.fromhex(inputs["server_v2_seed"]))
    dev = nacl.signing.SigningKey(bytes.fromhex(inputs["device_sign_seed"]))
    assert bytes(v1.verify_key).hex() == want["server_v1_public_key"]
    epoch = bytes(range(0xe0, 0xf0))
    req = pb.EnrollRequest(code="K7Q2M9X4P3T8",
                           device_sign_pk=bytes(dev.verify_key),
                           device_box_pk=bytes.fromhex(
                               want["device_box_public_key"]),
                           device_name="handheld 1", device_time=1800000000)
    payload = req.SerializeToString()
    assert payload.hex() == want["enroll_request_payload"]
    assert sign_envelope("fsd.v1.EnrollRequest", payload, [dev]).hex() == \
        want["enroll_request_envelope"]
    reply = pb.EnrollReply(device_id=7, technician_id=3, epoch=epoch)
    reply.keyset.version = 1
    reply.keyset.issued_at = 1800000000 - 86400
    reply.keyset.keys.add(key_id=key_id(bytes(v1.verify_key)),
                          ed25519=bytes(v1.verify_key))
    assert sign_envelope("fsd.v1.EnrollReply", reply.SerializeToString(),
                         [v1]).hex() == want["enroll_reply_envelope"]
    ks = pb.Keyset(version=2, issued_at=1800000120)
    ks.keys.add(key_id=key_id(bytes(v2.verify_key)),
                ed25519=bytes(v2.verify_key))
    assert sign_envelope("fsd.v1.Keyset", ks.SerializeToString(),
                         [v1, v2]).hex() == want["keyset_2_envelope"]
    b1 = bytes.fromhex(want["bundle_1_payload"])
    assert blake2b(b1).hex() == want["bundle_1_payload_hash"]
    bundle = pb.Bundle()
    bundle.ParseFromString(bytes.fromhex(want["bundle_2_payload"]))
    assert bundle.prev_bundle_hash == blake2b(b1)
    assert sign_envelope("fsd.v1.Bundle", bytes.fromhex(
        want["bundle_2_payload"]), [v2]).hex() == want["bundle_2_envelope"]


@test
def enrollment_and_exactly_once_uploads(ctx):
    srv, staff = ctx["server"], ctx["staff"]
    dev, _, job = new_device(srv, staff)
    dev.sync()
    assert job in dev.jobs and dev.jobs[job].status == "assigned"
    dev.record(job, dev.jobs[job].version, en_route=pb.EnRoute())
    dev.record(job, dev.jobs[job].version, note=pb.Note(text="gate 4411"))
    first = dev.send_pending()
    again = dev.send_pending()  # the reply was lost: the same bytes again
    assert again == first, "an exact retry got another reply"
    bundle = dev.apply(again)
    assert [a.result for a in bundle.acks] == [pb.Ack.APPLIED] * 2
    assert staff.status(job) == "en_route"
    notes = [e for e in staff.timeline(job) if e["action"] == "note"]
    assert len(notes) == 1, notes
    # the same batch number with other content is stale, and says the last
    dev.batch_seq -= 1
    dev.record(job, 0, note=pb.Note(text="late"))
    e = expect_refused("stale_batch", dev.send_pending)
    assert e.status == 409 and e.last_batch_seq == dev.batch_seq
    dev.sync()  # numbered on from the server's last: applied
    assert not dev.outbox


@test
def bundles_fit_the_devices_limits(ctx):
    srv, staff = ctx["server"], ctx["staff"]
    dev, tech, _ = new_device(srv, staff, max_bundle_bytes=4096)
    for _ in range(12):
        staff.job_for(tech, fault="f" * 400)
    sizes = []
    orig = dev._post

    def post(path, body):
        data = orig(path, body)
        sizes.append(len(data))
        return data
    dev._post = post
    dev.sync()
    assert len(dev.jobs) == 13, len(dev.jobs)
    assert len(sizes) > 1 and max(sizes) <= 4096, sizes


@test
def a_rotation_is_walked(ctx):
    srv, staff = ctx["server"], ctx["staff"]
    dev, _, job = new_device(srv, staff)
    dev.sync()
    before = dev.keyset_version
    srv.command("rotate-key")
    dev.record(job, 0, arrive=pb.Arrive())
    dev.sync()
    assert dev.keyset_version == before + 1
    assert staff.status(job) == "on_site"


@test
def tampering_and_impostors_are_caught(ctx):
    srv, staff = ctx["server"], ctx["staff"]
    dev, _, job = new_device(srv, staff)
    dev.record(job, 0, note=pb.Note(text="x"))
    data = bytearray(dev.send_pending())
    data[-1] ^= 1  # the signature's last byte
    expect_refused("bad_signature", dev.apply, bytes(data))
    assert dev.outbox, "a refused bundle removed an outbox item"
    dev.sync()
    assert not dev.outbox
    # a request signed by no device this server knows
    stranger = Device(srv.url)
    stranger.device_id = dev.device_id
    expect_refused("unknown_device", stranger.send_pending)


@test
def device_time_is_when_it_happened(ctx):
    srv, staff = ctx["server"], ctx["staff"]
    dev, _, job = new_device(srv, staff)
    dev.sync()
    # on the way now, offline; the sync comes later
    now = int(time.time()) + 1
    time.sleep(1)
    dev.record(job, 0, device_time=now, en_route=pb.EnRoute())
    dev.record(job, 0, device_time=now + 3600, note=pb.Note(text="ahead"))
    time.sleep(2)
    dev.sync()
    items = staff.timeline(job)
    travel = [e for e in items if e["action"] == "start_travel"][0]
    ahead = [e for e in items if e["action"] == "note"][0]
    assert travel["at"] < travel["received_at"], travel
    assert travel.get("time_note") is None
    assert ahead["time_note"] == "device_clock_ahead", ahead


@test
def a_restore_loses_nothing_acknowledged(ctx):
    srv, staff = ctx["server"], ctx["staff"]
    dev, _, job = new_device(srv, staff)
    dev.sync()
    dev.record(job, 0, en_route=pb.EnRoute())
    dev.sync()
    backup = os.path.join(ctx["scratch"], "backup.db")
    srv.command("backup", backup)
    dev.record(job, 0, arrive=pb.Arrive())
    dev.record(job, 0, note=pb.Note(text="after the backup"))
    dev.sync()
    assert staff.status(job) == "on_site" and not dev.outbox
    srv.stop()
    srv.command("restore", backup)
    dev.base = srv.start(data="kept")
    staff = ctx["staff"] = Staff(srv.url, "manager")
    assert staff.status(job) == "en_route"
    epoch = dev.epoch
    dev.sync()
    assert dev.epoch != epoch and not dev.outbox
    assert staff.status(job) == "on_site"
    notes = [e for e in staff.timeline(job) if e["action"] == "note"]
    assert len(notes) == 1, notes
    dev.sync()  # nothing more, nothing twice
    assert len([e for e in staff.timeline(job)
                if e["action"] == "note"]) == 1


def main():
    build, scratch = sys.argv[1], sys.argv[2]
    tap = open(sys.argv[3], "w") if len(sys.argv) > 3 else None
    os.makedirs(scratch, exist_ok=True)
    srv = Server(build, tempfile.mkdtemp(prefix="srv-", dir=scratch))
    srv.start()
    ctx = {"server": srv, "staff": Staff(srv.url, "manager"),
           "scratch": scratch}
    failed = 0
    lines = [f"1..{len(TESTS)}"]
    try:
        for n, fn in enumerate(TESTS, 1):
            name = fn.__name__.replace("_", " ")
            try:
                fn(ctx)
                lines.append(f"ok {n} - {name}")
                print(f"ok {n} - {name}", flush=True)
            except Exception:
                failed += 1
                lines.append(f"not ok {n} - {name}")
                print(f"not ok {n} - {name}", flush=True)
                traceback.print_exc()
    finally:
        srv.stop()
    lines += [f"# pass {len(TESTS) - failed}", f"# fail {failed}"]
    if tap:
        tap.write("\n".join(lines) + "\n")
        tap.close()
    print(f"conformance: {len(TESTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
