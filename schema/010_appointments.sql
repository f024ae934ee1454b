-- 010_appointments.sql: a customer's confirmed appointment holds its
-- technician's time.  The trigger is the database's own guard against
-- double booking: no two appointments of one technician overlap, whatever
-- the code above it does.
CREATE TABLE appointments (
    job_id INTEGER PRIMARY KEY REFERENCES jobs(id),
    technician_id INTEGER NOT NULL REFERENCES technicians(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL CHECK (window_end > window_start),
    created_at INTEGER NOT NULL
);
CREATE INDEX appointments_technician ON appointments(technician_id, starts_at);

CREATE TRIGGER appointments_no_overlap BEFORE INSERT ON appointments
WHEN EXISTS (SELECT 1 FROM appointments a
             WHERE a.technician_id = NEW.technician_id
             AND a.starts_at < NEW.ends_at AND NEW.starts_at < a.ends_at)
BEGIN
    SELECT RAISE(ABORT, 'double booking: the technician is taken then');
END;
