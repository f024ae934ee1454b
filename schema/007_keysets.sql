-- 007_keysets.sql: the signed history of the server's bundle-signing
-- keysets.  Version n+1 is signed by the keys of version n and its own, so
-- an enrolled device walks from the keyset it trusts to the current one
-- (proto/PROTOCOL.md section 11).  Version 1 is the keyset handed out at
-- enrollment; rows exist from version 2 on.
CREATE TABLE keysets (
    version INTEGER PRIMARY KEY CHECK (version >= 2),
    envelope BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
