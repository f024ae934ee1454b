-- 015_device_time.sql: when a technician's action happened and when the
-- server heard of it.  A device works offline and uploads later: its
-- audit event's `at` is the time the device claims, within the bounds of
-- server/rules/device_time.c (never after the receipt, never before the
-- device's enrollment or the job's previous event), `received_at` is the
-- sync that brought it (NULL: recorded as it happened), and `time_note`
-- names the bound that clamped the claim, if one did.
ALTER TABLE audit_events ADD COLUMN received_at INTEGER;
ALTER TABLE audit_events ADD COLUMN time_note TEXT
    CHECK (time_note IN ('device_clock_ahead', 'before_enrollment',
                         'before_previous_event'));
