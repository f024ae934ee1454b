-- 006_sync.sql: what the sync protocol remembers per device.
-- Each uploaded mutation's result is kept forever under its id, so a
-- retried batch or mutation is answered from here and applied once.  The
-- jobs a device holds decide which tombstones it gets.  Conflicts a device
-- raised wait here for a dispatcher.

CREATE TABLE device_mutations (
    device_id INTEGER NOT NULL REFERENCES devices(id),
    mutation_id TEXT NOT NULL CHECK (length(mutation_id) BETWEEN 1 AND 64),
    job_id INTEGER NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('applied', 'rejected', 'conflict')),
    code TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    job_version INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL,
    PRIMARY KEY (device_id, mutation_id)
) WITHOUT ROWID;

CREATE TABLE device_jobs (
    device_id INTEGER NOT NULL REFERENCES devices(id),
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    PRIMARY KEY (device_id, job_id)
) WITHOUT ROWID;

CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    mutation_id TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX sync_conflicts_open ON sync_conflicts(job_id) WHERE resolved_at IS NULL;
