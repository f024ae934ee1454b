-- 008_assignment.sql: what the assignment engine (server/assign.c) needs
-- beyond the jobs and technicians: a job a dispatcher fixed by hand stays
-- with its technician when a day is re-planned, and a day's proposed plan
-- is kept between its dry run and its application.
ALTER TABLE jobs ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0
    CHECK (pinned IN (0, 1));

-- A dry run: the day it plans, the fingerprint of everything it read (the
-- plan applies only while the day still hashes the same), and the moves
-- it proposes as JSON.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    plan_date TEXT NOT NULL CHECK (date(plan_date) = plan_date),
    fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),
    proposal TEXT NOT NULL CHECK (json_valid(proposal)),
    status TEXT NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'applied')),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    applied_at INTEGER,
    applied_by INTEGER REFERENCES users(id)
);
CREATE INDEX plans_date ON plans(plan_date, id);
