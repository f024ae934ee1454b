-- 004_visit_records.sql: what happens on and after a visit.
-- Warranty decision, the one quote, visits with their outcomes and the
-- parts used in them, the customer's sign-off, the invoice, and part lines
-- that wait for approval or for stock to arrive.

ALTER TABLE jobs ADD COLUMN warranty TEXT
    CHECK (warranty IN ('in_warranty', 'replacement', 'out_of_warranty'));
ALTER TABLE jobs ADD COLUMN warranty_reason TEXT;
-- the technician of the earlier visit, preferred for rework and follow-up
ALTER TABLE jobs ADD COLUMN preferred_technician_id INTEGER
    REFERENCES technicians(id);

ALTER TABLE job_parts ADD COLUMN used INTEGER NOT NULL DEFAULT 0
    CHECK (used BETWEEN 0 AND quantity);
ALTER TABLE job_parts ADD COLUMN expected_on TEXT
    CHECK (expected_on IS NULL OR date(expected_on) = expected_on);
ALTER TABLE job_parts ADD COLUMN approved_by TEXT;

-- A job has at most one live quote; a manager's revision supersedes it.
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    lines TEXT NOT NULL CHECK (json_valid(lines)),
    parts_minor INTEGER NOT NULL CHECK (parts_minor >= 0),
    labour_minor INTEGER NOT NULL CHECK (labour_minor >= 0),
    callout_minor INTEGER NOT NULL CHECK (callout_minor >= 0),
    total_minor INTEGER NOT NULL
        CHECK (total_minor = parts_minor + labour_minor + callout_minor),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
        'pending', 'approved', 'declined', 'expired', 'superseded')),
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > issued_at),
    answered_at INTEGER,
    answered_by TEXT,
    note TEXT
);
CREATE UNIQUE INDEX quotes_one_live ON quotes(job_id)
    WHERE status <> 'superseded';
CREATE INDEX quotes_pending_expiry ON quotes(expires_at)
    WHERE status = 'pending';

-- Each trip to the customer.  A follow-up or rework visit is planned with
-- the earlier visit's technician and points back at that visit.
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    follows_visit_id INTEGER REFERENCES visits(id),
    technician_id INTEGER REFERENCES technicians(id),
    status TEXT NOT NULL CHECK (status IN ('planned', 'open', 'done')),
    arrived_at INTEGER,
    ended_at INTEGER,
    outcome TEXT CHECK (outcome IN ('completed', 'customer_not_home',
        'parts_missing', 'needs_follow_up', 'partly_done')),
    notes TEXT NOT NULL DEFAULT '',
    labour TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labour)),
    created_at INTEGER NOT NULL,
    CHECK ((status = 'done') = (outcome IS NOT NULL))
);
CREATE INDEX visits_job ON visits(job_id, id);

CREATE TABLE part_usage (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    job_part_id INTEGER NOT NULL REFERENCES job_parts(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    serial TEXT,
    faulty_serial TEXT,
    CHECK (quantity = 1 OR (serial IS NULL AND faulty_serial IS NULL))
);
CREATE INDEX part_usage_visit ON part_usage(visit_id);

-- The customer's signature over a summary of the work; both hashed with
-- BLAKE2b-256 so a later change to either is evident.
CREATE TABLE sign_offs (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    visit_id INTEGER REFERENCES visits(id),
    customer_name TEXT NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 200),
    signature BLOB NOT NULL CHECK (length(signature) BETWEEN 1 AND 262144),
    signature_hash BLOB NOT NULL CHECK (length(signature_hash) = 32),
    summary TEXT NOT NULL CHECK (json_valid(summary)),
    summary_hash BLOB NOT NULL CHECK (length(summary_hash) = 32),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT,
    at INTEGER NOT NULL
);
CREATE INDEX sign_offs_job ON sign_offs(job_id);

-- Out-of-warranty work is invoiced on close from what was actually used.
CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL UNIQUE REFERENCES jobs(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    lines TEXT NOT NULL CHECK (json_valid(lines)),
    parts_minor INTEGER NOT NULL CHECK (parts_minor >= 0),
    labour_minor INTEGER NOT NULL CHECK (labour_minor >= 0),
    callout_minor INTEGER NOT NULL CHECK (callout_minor >= 0),
    total_minor INTEGER NOT NULL
        CHECK (total_minor = parts_minor + labour_minor + callout_minor),
    issued_at INTEGER NOT NULL,
    paid_at INTEGER,
    payment_reference TEXT
);
CREATE INDEX invoices_unpaid ON invoices(customer_id) WHERE paid_at IS NULL;

-- Part lines that hold stock or were used cannot be replaced by editing
-- the job: their reservation would be lost.
CREATE TRIGGER job_parts_keep_held BEFORE DELETE ON job_parts
WHEN OLD.state IN ('reserved', 'used')
BEGIN
    SELECT RAISE(ABORT, 'the job''s part lines are reserved or used and cannot be replaced');
END;
