-- 018_secret_keys_out.sql: the bundle-signing secret keys leave the
-- database for the key file (server/sync/keyfile.h), so that no backup
-- holds a key every device would accept bundles from.  fsd-server moves
-- a database's secrets to its key file before this migration runs; the
-- table is then rebuilt without them, its old pages overwritten with
-- zeros as they are freed.
PRAGMA secure_delete = ON;
CREATE TABLE server_keys_public (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('bundle_signing')),
    key_id TEXT NOT NULL UNIQUE,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);
INSERT INTO server_keys_public(id, purpose, key_id, public_key, created_at,
                               retired_at)
SELECT id, purpose, key_id, public_key, created_at, retired_at
FROM server_keys;
DROP TABLE server_keys;
ALTER TABLE server_keys_public RENAME TO server_keys;
