-- 017_server_epoch.sql: the database's epoch, as devices see it.  A
-- device's cursor and bundle chain hold only within one epoch.  A backup
-- (fsd-server backup) is marked in its copy; the first server to open a
-- marked copy (fsd-server restore, or a file put back by hand) starts a
-- new epoch, and every device that meets it resyncs and sends again what
-- the restored database may have lost (proto/PROTOCOL.md section 12).
CREATE TABLE server_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BLOB NOT NULL CHECK (length(epoch) = 16),
    started_at INTEGER NOT NULL,
    is_backup INTEGER NOT NULL DEFAULT 0 CHECK (is_backup IN (0, 1))
);
INSERT INTO server_epoch(id, epoch, started_at)
VALUES (1, randomblob(16), CAST(strftime('%s', 'now') AS INTEGER));
