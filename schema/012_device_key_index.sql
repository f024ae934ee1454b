-- 012_device_key_index.sql: every sync finds its device by key id first.
-- Without an index that is a scan of all devices, each row carrying its
-- stored last reply; with thousands of devices syncing every minute the
-- scan alone cost more than the rest of the sync.
CREATE INDEX devices_key ON devices(key_id);
