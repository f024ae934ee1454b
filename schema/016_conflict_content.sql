-- 016_conflict_content.sql: what a dispatcher needs to act on a sync
-- conflict.  `action` is what the technician did (start_travel, arrive,
-- parts_used, a warranty decision, issue_quote, complete_work,
-- sign_off...), `content` what it carried (a note's text, the parts, the
-- outcome, the quote's lines; a signature by its size only),
-- `device_time` when the device says it happened, and `server_had` the job
-- as the server had it then (status, version, technician, warranty).
ALTER TABLE sync_conflicts ADD COLUMN action TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_conflicts ADD COLUMN content TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(content));
ALTER TABLE sync_conflicts ADD COLUMN device_time INTEGER;
ALTER TABLE sync_conflicts ADD COLUMN server_had TEXT NOT NULL DEFAULT '{}'
    CHECK (json_valid(server_had));
