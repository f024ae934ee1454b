"""fsd_device.py - a technician's device written from proto/PROTOCOL.md.

A second implementation of the device side of the protocol, in Python with
Debian's python3-nacl (libsodium) and python3-protobuf, its messages
generated from proto/fsd.proto by protoc.  It keeps its state in memory:
keys, the pinned keyset and epoch, the batch in flight, the outbox, the
mutations applied in the last week, and the jobs.  Every check of the
spec is made here, in the spec's order, with the spec's codes.
"""

import time
import urllib.error
import urllib.request

import nacl.bindings
import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.signing

import fsd_pb2 as pb

MAX_REPLY = 8 << 20
SENT_KEEP = 7 * 86400


class Refused(Exception):
    """A check failed or the server answered an error; .code says which."""

    def __init__(self, code, message="", status=None, last_batch_seq=0):
        super().__init__(f"{code}: {message}")
        self.code, self.status = code, status
        self.last_batch_seq = last_batch_seq


def blake2b(data):
    return nacl.hash.blake2b(data, digest_size=32,
                             encoder=nacl.encoding.RawEncoder)


def key_id(public_key):
    """Section 2: 8 bytes of BLAKE2b-256 of the key, as hex."""
    return blake2b(public_key)[:8].hex()


def pae(payload_type, payload):
    """Section 3: the pre-authentication encoding."""
    t = payload_type.encode()
    return (b"FSDv1 " + str(len(t)).encode() + b" " + t + b" " +
            str(len(payload)).encode() + b" " + payload)


def sign_envelope(payload_type, payload, signing_keys):
    env = pb.Envelope(payload=payload, payload_type=payload_type)
    for k in signing_keys:
        sig = k.sign(pae(payload_type, payload)).signature
        env.sigs.add(key_id=key_id(bytes(k.verify_key)), sig=sig)
    return env.SerializeToString()


def open_envelope(data, want_type, trusted, limit=MAX_REPLY):
    """Section 4, in order; trusted maps key ids to public keys."""
    if len(data) > limit:
        raise Refused("too_large", f"{len(data)} bytes")
    env = pb.Envelope()
    try:
        env.ParseFromString(data)
    except Exception:
        raise Refused("malformed_envelope", "not an Envelope")
    if not 1 <= len(env.sigs) <= 16:
        raise Refused("malformed_envelope", "1 to 16 signatures")
    mine = [s for s in env.sigs if s.key_id in trusted]
    if not mine:
        raise Refused("unknown_key", "no signature by a trusted key")
    message = pae(env.payload_type, env.payload)
    for s in mine:
        try:
            nacl.signing.VerifyKey(trusted[s.key_id]).verify(message, s.sig)
            break
        except (nacl.exceptions.BadSignatureError, ValueError):
            continue
    else:
        raise Refused("bad_signature", "no trusted signature verifies")
    if env.payload_type != want_type:
        raise Refused("wrong_type", env.payload_type)
    return env


def parse(message, data):
    try:
        message.ParseFromString(data)
    except Exception:
        raise Refused("malformed_payload", type(message).__name__)
    return message


class Device:
    def __init__(self, base_url, max_bundle_bytes=0, max_jobs=0):
        self.base = base_url
        self.sign_key = nacl.signing.SigningKey.generate()
        self.box_key = nacl.public.PrivateKey.generate()
        self.max_bundle_bytes, self.max_jobs = max_bundle_bytes, max_jobs
        self.device_id = self.technician_id = 0
        self.keys = {}                # pinned keyset: key id -> public key
        self.keyset_version = 0
        self.epoch, self.left_epochs = b"", []
        self.batch_seq, self.cursor = 0, 0
        self.bundle_seq, self.last_hash = 0, bytes(32)
        self.highest_issued_at = 0
        self.pending_batch = None     # the exact bytes in flight
        self.outbox = []              # [Mutation], oldest first
        self.sent = []                # [(Mutation, acked_at)]
        self.rejected = {}            # mutation id -> Ack
        self.jobs = {}                # job id -> Job
        self.counter = 0

    # --- transport (section 1) -------------------------------------------
    def _http(self, method, path, body=None):
        req = urllib.request.Request(self.base + path, data=body,
                                     method=method)
        if body is not None:
            req.add_header("Content-Type", "application/x-protobuf")
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def _post(self, path, body):
        status, data = self._http("POST", path, body)
        if status != 200:
            err = pb.SyncError()
            try:
                err.ParseFromString(data)
            except Exception:
                raise Refused("not_a_sync_error", data[:80], status)
            raise Refused(err.code, err.message, status, err.last_batch_seq)
        return data

    # --- enrollment (section 5) -------------------------------------------
    def enroll(self, code, name="conformance device"):
        req = pb.EnrollRequest(
            code=code, device_sign_pk=bytes(self.sign_key.verify_key),
            device_box_pk=bytes(self.box_key.public_key), device_name=name,
            device_time=int(time.time()))
        body = sign_envelope("fsd.v1.EnrollRequest",
                             req.SerializeToString(), [self.sign_key])
        data = self._post("/sync/v1/enroll", body)
        # the one envelope whose key is not known before: parse, then verify
        # with the keys of the keyset it carries
        env = pb.Envelope()
        env.ParseFromString(data)
        reply = parse(pb.EnrollReply(), env.payload)
        keys = {k.key_id: k.ed25519 for k in reply.keyset.keys}
        if any(key_id(pk) != kid for kid, pk in keys.items()):
            raise Refused("malformed_payload", "a key id does not match")
        open_envelope(data, "fsd.v1.EnrollReply", keys)
        self.device_id, self.technician_id = (reply.device_id,
                                              reply.technician_id)
        self.keys, self.keyset_version = keys, reply.keyset.version
        self.epoch = reply.epoch
        return reply

    # --- the outbox (section 7) --------------------------------------------
    def record(self, job_id, base_version=0, device_time=None, **kind):
        self.counter += 1
        m = pb.Mutation(mutation_id=f"{self.device_id}-{self.counter}",
                        job_id=job_id, base_version=base_version,
                        device_time=int(time.time() if device_time is None
                                        else device_time))
        (name, value), = kind.items()
        getattr(m, name).CopyFrom(value)
        self.outbox.append(m)
        return m.mutation_id

    # --- sync (sections 6, 8, 10) ------------------------------------------
    def _build_batch(self):
        self.batch_seq += 1
        req = pb.SyncRequest(device_id=self.device_id,
                             batch_seq=self.batch_seq, cursor=self.cursor,
                             keyset_version=self.keyset_version,
                             epoch=self.epoch)
        req.mutations.extend(self.outbox[:100])
        req.capabilities.max_bundle_bytes = self.max_bundle_bytes
        req.capabilities.max_jobs_per_bundle = self.max_jobs
        self.pending_batch = sign_envelope(
            "fsd.v1.SyncRequest", req.SerializeToString(), [self.sign_key])

    def send_pending(self):
        """Send the batch in flight (again): the raw reply."""
        if self.pending_batch is None:
            self._build_batch()
        try:
            return self._post("/sync/v1/sync", self.pending_batch)
        except Refused as e:
            if e.status is not None and 400 <= e.status < 500 \
                    and e.status != 429:
                self.pending_batch = None  # permanent for this batch
                if e.code == "stale_batch" and \
                        e.last_batch_seq >= self.batch_seq:
                    self.batch_seq = e.last_batch_seq
            raise

    def sync(self, rounds=50):
        """Sync until the server has no more: the bundles applied."""
        applied = []
        for _ in range(rounds):
            bundle = self.apply(self.send_pending())
            applied.append(bundle)
            if not bundle.has_more and not self._requeued:
                break
        return applied

    def _walk_keysets(self):
        """Section 11: follow the rotations from the pinned keyset."""
        status, data = self._http(
            "GET", f"/sync/v1/keysets?after={self.keyset_version}")
        if status != 200:
            raise Refused("keysets", f"HTTP {status}")
        chain = parse(pb.KeysetChain(), data)
        keys, version = dict(self.keys), self.keyset_version
        for raw in chain.keysets:
            env = open_envelope(raw, "fsd.v1.Keyset", keys)
            ks = parse(pb.Keyset(), env.payload)
            if ks.version != version + 1:
                raise Refused("broken_chain", f"keyset {ks.version}")
            new = {k.key_id: k.ed25519 for k in ks.keys}
            for kid, pk in new.items():  # every new key signed it
                open_envelope(raw, "fsd.v1.Keyset", {kid: pk})
            keys, version = new, ks.version
        if version == self.keyset_version:
            raise Refused("unknown_key", "no keyset introduces the key")
        self.keys, self.keyset_version = keys, version

    def _verify(self, data):
        try:
            env = open_envelope(data, "fsd.v1.Bundle", self.keys,
                                self._reply_cap())
        except Refused as e:
            if e.code != "unknown_key":
                raise
            self._walk_keysets()
            env = open_envelope(data, "fsd.v1.Bundle", self.keys,
                                self._reply_cap())
        bundle = parse(pb.Bundle(), env.payload)
        signer = [s.key_id for s in env.sigs if s.key_id in self.keys]
        if bundle.signer_key_id not in signer:
            raise Refused("wrong_signer", bundle.signer_key_id)
        return bundle, blake2b(env.payload)

    def _reply_cap(self):
        b = self.max_bundle_bytes
        return MAX_REPLY if b == 0 or b >= MAX_REPLY else max(b, 4096)

    def check(self, bundle, digest):
        """Section 8, checks 2 to 6: 'repeat', 'epoch' or 'next'."""
        if (bundle.technician_id, bundle.device_id) != \
                (self.technician_id, self.device_id):
            raise Refused("wrong_audience")
        fresh = max(time.time(), self.highest_issued_at)
        new_epoch = (len(bundle.epoch) == 16 and len(self.epoch) == 16
                     and bundle.epoch != self.epoch)
        if new_epoch:
            if bundle.epoch in self.left_epochs:
                raise Refused("rollback", "an epoch this device left")
            if not bundle.resync:
                raise Refused("broken_chain", "a new epoch without resync")
        elif bundle.bundle_seq == self.bundle_seq and \
                digest == self.last_hash and self.bundle_seq:
            return "repeat"
        elif bundle.bundle_seq <= self.bundle_seq:
            raise Refused("rollback", f"{bundle.bundle_seq}")
        elif bundle.prev_bundle_hash != self.last_hash:
            raise Refused("broken_chain")
        if bundle.expires_at <= fresh:
            raise Refused("expired")
        return "epoch" if new_epoch else "next"

    def apply(self, data):
        bundle, digest = self._verify(data)
        verdict = self.check(bundle, digest)
        self._requeued = False
        if verdict == "repeat":
            self.pending_batch = None
            return bundle
        try:
            plain = nacl.public.SealedBox(self.box_key).decrypt(
                bundle.sealed_jobs)
        except nacl.exceptions.CryptoError:
            raise Refused("unsealable")
        jobs = parse(pb.SealedJobs(), plain)
        if verdict == "epoch":  # section 12
            self.left_epochs.append(self.epoch)
            self.outbox = [m for m, _ in self.sent] + self.outbox
            self.sent = []
            self._requeued = True
        if len(bundle.epoch) == 16:
            self.epoch = bundle.epoch
        if bundle.resync:
            self.jobs = {}
        for j in jobs.jobs:
            self.jobs[j.id] = j
        for jid in bundle.removed_job_ids:
            self.jobs.pop(jid, None)
        now = time.time()
        for ack in bundle.acks:
            kept = [m for m in self.outbox if m.mutation_id == ack.mutation_id]
            self.outbox = [m for m in self.outbox
                           if m.mutation_id != ack.mutation_id]
            if ack.result == pb.Ack.APPLIED:
                self.sent += [(m, now) for m in kept]
            elif ack.result == pb.Ack.CONFLICT:
                self.sent += [(m, now) for m in kept]  # sent again after
                self.rejected[ack.mutation_id] = ack    # a restore too
            else:
                self.rejected[ack.mutation_id] = ack
        self.sent = [(m, t) for m, t in self.sent if t > now - SENT_KEEP]
        self.cursor, self.bundle_seq = bundle.checkpoint, bundle.bundle_seq
        self.last_hash = digest
        self.highest_issued_at = max(self.highest_issued_at, bundle.issued_at)
        self.pending_batch = None
        return bundle
