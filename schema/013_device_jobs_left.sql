-- 013_device_jobs_left.sql: a device's jobs are remembered after they
-- leave it.  left_at is when the tombstone went out (NULL: the device
-- holds the job now).  An action a device queued offline on a job that
-- has since been reassigned may arrive in a later batch than the
-- tombstone; it is still a conflict for a dispatcher to see, while a job
-- the device never held is, for that device, no job at all.
ALTER TABLE device_jobs ADD COLUMN left_at INTEGER;
