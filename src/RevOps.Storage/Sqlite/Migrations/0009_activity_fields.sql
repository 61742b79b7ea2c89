-- Salesforce's activity fields: Task.AccountId (derived from WhatId/WhoId), Task.TaskSubtype and
-- Event.ActivityDateTime (the start under its classic name). Existing rows get their derived values.
ALTER TABLE task ADD COLUMN AccountId TEXT;
ALTER TABLE task ADD COLUMN TaskSubtype TEXT;
ALTER TABLE event ADD COLUMN ActivityDateTime TEXT;

-- AccountId as Salesforce derives it: an Account WhatId itself, an Opportunity WhatId's Account,
-- else a Contact WhoId's Account, else null.
UPDATE task SET
    TaskSubtype = 'Task',
    IsClosed = (Status = 'Completed'),
    AccountId = CASE
        WHEN WhatId LIKE '001%' THEN WhatId
        WHEN WhatId LIKE '006%' THEN (SELECT o.AccountId FROM opportunity o WHERE o.tenant_id = task.tenant_id AND o.Id = task.WhatId)
        WHEN WhoId LIKE '003%' THEN (SELECT c.AccountId FROM contact c WHERE c.tenant_id = task.tenant_id AND c.Id = task.WhoId)
    END;

UPDATE event SET
    ActivityDateTime = StartDateTime,
    DurationInMinutes = CAST(round((julianday(EndDateTime) - julianday(StartDateTime)) * 1440) AS INTEGER),
    ActivityDate = substr(StartDateTime, 1, 10);

-- "All activities of this account" in one seek; the planner's assumption as in 0008.
CREATE INDEX ix_task_account ON task (tenant_id, AccountId);
INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES ('task', 'ix_task_account', '1000000 10000 5');
ANALYZE sqlite_schema;
