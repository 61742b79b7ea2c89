-- Salesforce's activity fields: Task.AccountId (derived from WhatId/WhoId), Task.TaskSubtype and
-- Event.ActivityDateTime (the start under its classic name). Existing rows get their derived values
-- (row-level security does not apply to the tables' owner, so these statements see every tenant).
-- (SQLite's 0009 is the same change.)
ALTER TABLE task ADD COLUMN AccountId text COLLATE "C";
ALTER TABLE task ADD COLUMN TaskSubtype text COLLATE "C";
ALTER TABLE event ADD COLUMN ActivityDateTime timestamptz;

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
    DurationInMinutes = round(extract(epoch FROM EndDateTime - StartDateTime) / 60)::bigint,
    ActivityDate = (StartDateTime AT TIME ZONE 'UTC')::date;

-- "All activities of this account" in one seek.
CREATE INDEX ix_task_account ON task (tenant_id, AccountId);
