-- Salesforce's activity fields: Task.AccountId (derived from WhatId/WhoId), Task.TaskSubtype and
-- Event.ActivityDateTime (the start under its classic name). Existing events get their derived values here;
-- existing tasks in 0010, which both engines share
-- (row-level security does not apply to the tables' owner, so these statements see every tenant).
-- (SQLite's 0009 is the same change.)
ALTER TABLE task ADD COLUMN AccountId text COLLATE "C";
ALTER TABLE task ADD COLUMN TaskSubtype text COLLATE "C";
ALTER TABLE event ADD COLUMN ActivityDateTime timestamptz;

UPDATE event SET
    ActivityDateTime = StartDateTime,
    DurationInMinutes = round(extract(epoch FROM EndDateTime - StartDateTime) / 60)::bigint,
    ActivityDate = (StartDateTime AT TIME ZONE 'UTC')::date;

-- "All activities of this account" in one seek.
CREATE INDEX ix_task_account ON task (tenant_id, AccountId);
