-- Existing tasks get the activity fields 0009 added, derived as the domain derives them on every write.
-- The same statement on both engines (shared Migrations/; on PostgreSQL the migrating user owns the tables,
-- so row-level security does not hold it to one tenant).
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
