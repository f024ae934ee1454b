-- 005_devices.sql: technicians' enrolled devices and the one-time codes
-- that enroll them.  Codes are kept only as BLAKE2b-256 hashes; a device
-- is known by its Ed25519 key and receives sealed data at its X25519 key.

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    technician_id INTEGER NOT NULL REFERENCES technicians(id),
    name TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    sign_pk BLOB NOT NULL UNIQUE CHECK (length(sign_pk) = 32),
    box_pk BLOB NOT NULL CHECK (length(box_pk) = 32),
    key_id TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at INTEGER,
    -- sync state: the last accepted batch and its stored reply, the
    -- bundle chain
    last_batch_seq INTEGER NOT NULL DEFAULT 0,
    last_batch_hash BLOB,
    last_reply BLOB,
    bundle_seq INTEGER NOT NULL DEFAULT 0,
    last_bundle_hash BLOB
);
CREATE INDEX devices_technician ON devices(technician_id);

CREATE TABLE enrollment_codes (
    id INTEGER PRIMARY KEY,
    technician_id INTEGER NOT NULL REFERENCES technicians(id),
    code_hash BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
    used_at INTEGER,
    device_id INTEGER REFERENCES devices(id),
    CHECK ((used_at IS NULL) = (device_id IS NULL))
);
