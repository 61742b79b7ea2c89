-- Salesforce's activity fields: Task.AccountId (derived from WhatId/WhoId), Task.TaskSubtype and
-- Event.ActivityDateTime (the start under its classic name). Existing events get their derived values here;
-- existing tasks in 0010, which both engines share.
ALTER TABLE task ADD COLUMN AccountId TEXT;
ALTER TABLE task ADD COLUMN TaskSubtype TEXT;
ALTER TABLE event ADD COLUMN ActivityDateTime TEXT;

UPDATE event SET
    ActivityDateTime = StartDateTime,
    DurationInMinutes = CAST(round((julianday(EndDateTime) - julianday(StartDateTime)) * 1440) AS INTEGER),
    ActivityDate = substr(StartDateTime, 1, 10);

-- "All activities of this account" in one seek; the planner's assumption as in 0008.
CREATE INDEX ix_task_account ON task (tenant_id, AccountId);
INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES ('task', 'ix_task_account', '1000000 10000 5');
ANALYZE sqlite_schema;
