-- 001_init.sql: the foundation schema.
-- Instants are INTEGER Unix seconds (UTC); money is INTEGER minor units.
-- Applied once and recorded in schema_migrations; never edit after release.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
    role TEXT NOT NULL CHECK (role IN ('admin', 'dispatcher', 'manager')),
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE server_keys (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('bundle_signing')),
    key_id TEXT NOT NULL UNIQUE,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    secret_key BLOB NOT NULL CHECK (length(secret_key) = 64),
    created_at INTEGER NOT NULL,
    retired_at INTEGER
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    address TEXT,
    lat REAL CHECK (lat BETWEEN -90 AND 90),
    lon REAL CHECK (lon BETWEEN -180 AND 180),
    tier TEXT NOT NULL DEFAULT 'regular' CHECK (tier IN ('regular', 'key_account')),
    timezone TEXT NOT NULL DEFAULT 'UTC',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    model TEXT NOT NULL,
    serial TEXT NOT NULL UNIQUE,
    purchase_date TEXT CHECK (purchase_date IS NULL OR date(purchase_date) = purchase_date),
    warranty_months INTEGER NOT NULL DEFAULT 12 CHECK (warranty_months BETWEEN 0 AND 240),
    units INTEGER NOT NULL DEFAULT 1 CHECK (units >= 1),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX assets_customer ON assets(customer_id);

CREATE TABLE skills (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE technicians (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    start_lat REAL NOT NULL CHECK (start_lat BETWEEN -90 AND 90),
    start_lon REAL NOT NULL CHECK (start_lon BETWEEN -180 AND 180),
    capacity_minutes INTEGER NOT NULL DEFAULT 480 CHECK (capacity_minutes BETWEEN 0 AND 1440),
    timezone TEXT NOT NULL DEFAULT 'UTC',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE technician_skills (
    technician_id INTEGER NOT NULL REFERENCES technicians(id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skills(id),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (technician_id, skill_id)
) WITHOUT ROWID;
CREATE INDEX technician_skills_skill ON technician_skills(skill_id, level);

CREATE TABLE shifts (
    technician_id INTEGER NOT NULL REFERENCES technicians(id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Sunday
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (start_minute < end_minute),
    PRIMARY KEY (technician_id, weekday, start_minute)
) WITHOUT ROWID;

CREATE TABLE parts (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    cost_minor INTEGER NOT NULL CHECK (cost_minor >= 0),
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    needs_approval INTEGER NOT NULL DEFAULT 0 CHECK (needs_approval IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE stock (
    part_id INTEGER NOT NULL REFERENCES parts(id) ON DELETE CASCADE,
    location TEXT NOT NULL CHECK (length(location) BETWEEN 1 AND 64),
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved BETWEEN 0 AND quantity),
    PRIMARY KEY (part_id, location)
) WITHOUT ROWID;

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    asset_id INTEGER REFERENCES assets(id),
    kind TEXT NOT NULL CHECK (kind IN ('repair', 'install', 'maintenance', 'inspection')),
    fault TEXT NOT NULL DEFAULT '',
    priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5), -- 1 = most urgent
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN (
        'new', 'slots_offered', 'booked', 'awaiting_parts', 'parts_reserved',
        'assigned', 'en_route', 'on_site', 'in_warranty', 'replacement',
        'quoted', 'quote_approved', 'quote_declined', 'quote_expired',
        'work_done', 'signed_off', 'rework', 'reviewed', 'closed',
        'cancelled', 'returned_unrepaired', 'follow_up_needed')),
    duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 5 AND 1440),
    sla_due_at INTEGER,
    window_start INTEGER,
    window_end INTEGER,
    technician_id INTEGER REFERENCES technicians(id),
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((window_start IS NULL) = (window_end IS NULL)),
    CHECK (window_end IS NULL OR window_end > window_start)
);
CREATE INDEX jobs_status ON jobs(status, id);
CREATE INDEX jobs_window ON jobs(window_start);
CREATE INDEX jobs_technician ON jobs(technician_id, window_start);
CREATE INDEX jobs_customer ON jobs(customer_id);

CREATE TABLE job_skills (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skills(id),
    min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    PRIMARY KEY (job_id, skill_id)
) WITHOUT ROWID;

CREATE TABLE job_parts (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    part_id INTEGER NOT NULL REFERENCES parts(id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    state TEXT NOT NULL DEFAULT 'needed' CHECK (state IN (
        'needed', 'awaiting_approval', 'reserved', 'back_ordered', 'used', 'returned'))
);
CREATE INDEX job_parts_job ON job_parts(job_id);

-- The global change log: seq is the sync cursor, strictly increasing.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    version INTEGER,
    op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    at INTEGER NOT NULL
);
CREATE INDEX changes_entity ON changes(entity, entity_id);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    actor TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    reason TEXT,
    detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX audit_entity ON audit_events(entity, entity_id);
