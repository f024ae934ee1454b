-- 011_slot_holds.sql: a customer may hold one slot for a few minutes
-- while deciding.  A live hold keeps its technician's time from every
-- other job's slot search and confirmation; it lapses by itself at
-- held_until.  The appointment guard now also refuses time under another
-- job's live hold, and a hold may not overlap another live hold or a
-- confirmed appointment.
CREATE TABLE slot_holds (
    job_id INTEGER PRIMARY KEY REFERENCES jobs(id),
    technician_id INTEGER NOT NULL REFERENCES technicians(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL CHECK (window_end > window_start),
    created_at INTEGER NOT NULL,
    held_until INTEGER NOT NULL CHECK (held_until > created_at)
);
CREATE INDEX slot_holds_technician ON slot_holds(technician_id, starts_at);

DROP TRIGGER appointments_no_overlap;
CREATE TRIGGER appointments_no_overlap BEFORE INSERT ON appointments
WHEN EXISTS (SELECT 1 FROM appointments a
             WHERE a.technician_id = NEW.technician_id
             AND a.starts_at < NEW.ends_at AND NEW.starts_at < a.ends_at)
  OR EXISTS (SELECT 1 FROM slot_holds h
             WHERE h.technician_id = NEW.technician_id
             AND h.job_id <> NEW.job_id AND h.held_until > NEW.created_at
             AND h.starts_at < NEW.ends_at AND NEW.starts_at < h.ends_at)
BEGIN
    SELECT RAISE(ABORT, 'double booking: the technician is taken then');
END;

CREATE TRIGGER slot_holds_no_overlap BEFORE INSERT ON slot_holds
WHEN EXISTS (SELECT 1 FROM appointments a
             WHERE a.technician_id = NEW.technician_id
             AND a.job_id <> NEW.job_id
             AND a.starts_at < NEW.ends_at AND NEW.starts_at < a.ends_at)
  OR EXISTS (SELECT 1 FROM slot_holds h
             WHERE h.technician_id = NEW.technician_id
             AND h.held_until > NEW.created_at
             AND h.starts_at < NEW.ends_at AND NEW.starts_at < h.ends_at)
BEGIN
    SELECT RAISE(ABORT, 'double booking: the technician is held then');
END;
