-- 009_booking_links.sql: links a customer opens without logging in, to
-- pick an appointment slot or answer a quote.  Only a BLAKE2b-256 hash of
-- the 256-bit token is kept; a link serves one job and one purpose, and
-- stops working when it expires or is revoked.
CREATE TABLE booking_links (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('booking', 'quote')),
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
    revoked_at INTEGER
);
CREATE INDEX booking_links_job ON booking_links(job_id);
