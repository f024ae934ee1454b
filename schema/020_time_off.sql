-- 020_time_off.sql: a technician's days off beyond the weekly rota
-- (holiday, sickness, training): from one local date to another, both
-- included, with a reason.  No slot is offered and no visit planned on
-- them; the weekly shifts stay as they are.
CREATE TABLE time_off (
    technician_id INTEGER NOT NULL REFERENCES technicians(id) ON DELETE CASCADE,
    first_day TEXT NOT NULL CHECK (first_day GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    last_day TEXT NOT NULL CHECK (last_day GLOB
        '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reason AS BLOB)) <= 200),
    CHECK (first_day <= last_day),
    PRIMARY KEY (technician_id, first_day)
) WITHOUT ROWID;
