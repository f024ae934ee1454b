-- 003_sla.sql: service-level deadlines.
-- Each priority (1 = most urgent) has a respond-by and an on-site-by
-- allowance; a new job's respond_by and, when the dispatcher gives none,
-- its sla_due_at (on-site-by) are set from its priority's policy.
-- docs/DOMAIN.md ("Service-level deadlines"): respond to every request
-- within 24 hours.
CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 5), -- the priority
    respond_minutes INTEGER NOT NULL CHECK (respond_minutes BETWEEN 1 AND 43200),
    on_site_minutes INTEGER NOT NULL CHECK (on_site_minutes BETWEEN 1 AND 43200),
    updated_at INTEGER NOT NULL
);
INSERT INTO sla_policies(id, respond_minutes, on_site_minutes, updated_at)
VALUES (1, 1440, 1440, 0), (2, 1440, 2880, 0), (3, 1440, 4320, 0),
       (4, 1440, 7200, 0), (5, 1440, 10080, 0);

ALTER TABLE jobs ADD COLUMN respond_by INTEGER;
UPDATE jobs SET respond_by = created_at + 86400;
CREATE INDEX jobs_respond_by ON jobs(respond_by);
CREATE INDEX jobs_sla_due ON jobs(sla_due_at);
