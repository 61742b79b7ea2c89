-- Every caller is a user: each existing tenant gets its Integration User, which owns the tenant's keys and
-- records and stands for whoever wrote them before users existed, so nothing breaks on upgrade.
-- The same statements on both engines (on PostgreSQL the migrating user owns the tables, so row-level
-- security does not hold it to one tenant).
-- The user's Id is the tenant's oldest key's Id: already a User-shaped Id (005…), unique, and what that
-- key wrote into CreatedById and the change log until now. Every tenant has a key (it is made with one).
INSERT INTO users (tenant_id, row_version, Id, IsDeleted, CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp,
                   Username, Email, FirstName, LastName, Name, Alias, IsActive, TimeZoneSidKey, LocaleSidKey, LanguageLocaleKey, UserType)
SELECT t.id, 1, k.id, false, t.created_at, k.id, t.created_at, k.id, t.created_at,
       'integration.' || t.id || '@revops.invalid', 'integration.' || t.id || '@revops.invalid',
       'Integration', 'User', 'Integration User', 'integ', true, 'GMT', 'en_US', 'en_US', 'Standard'
FROM tenants t
JOIN api_keys k ON k.tenant_id = t.id
WHERE k.id = (SELECT first.id FROM api_keys first WHERE first.tenant_id = t.id ORDER BY first.created_at, first.id LIMIT 1);

INSERT INTO user_access (tenant_id, user_id, is_admin) SELECT tenant_id, Id, true FROM users;

UPDATE api_keys SET user_id = (SELECT u.Id FROM users u WHERE u.tenant_id = api_keys.tenant_id);

-- The change log kept the key (or the CLI's and stdio's markers) as the actor: the key moves to key_id.
UPDATE change_log SET
    key_id = (SELECT k.id FROM api_keys k WHERE k.tenant_id = change_log.tenant_id AND k.id = change_log.actor_id),
    actor_name = 'Integration User',
    actor_id = COALESCE((SELECT u.Id FROM users u WHERE u.tenant_id = change_log.tenant_id), actor_id);

UPDATE account SET OwnerId = (SELECT u.Id FROM users u WHERE u.tenant_id = account.tenant_id),
    CreatedById = (SELECT u.Id FROM users u WHERE u.tenant_id = account.tenant_id),
    LastModifiedById = (SELECT u.Id FROM users u WHERE u.tenant_id = account.tenant_id);
UPDATE contact SET OwnerId = (SELECT u.Id FROM users u WHERE u.tenant_id = contact.tenant_id),
    CreatedById = (SELECT u.Id FROM users u WHERE u.tenant_id = contact.tenant_id),
    LastModifiedById = (SELECT u.Id FROM users u WHERE u.tenant_id = contact.tenant_id);
UPDATE lead SET OwnerId = (SELECT u.Id FROM users u WHERE u.tenant_id = lead.tenant_id),
    CreatedById = (SELECT u.Id FROM users u WHERE u.tenant_id = lead.tenant_id),
    LastModifiedById = (SELECT u.Id FROM users u WHERE u.tenant_id = lead.tenant_id);
UPDATE opportunity SET OwnerId = (SELECT u.Id FROM users u WHERE u.tenant_id = opportunity.tenant_id),
    CreatedById = (SELECT u.Id FROM users u WHERE u.tenant_id = opportunity.tenant_id),
    LastModifiedById = (SELECT u.Id FROM users u WHERE u.tenant_id = opportunity.tenant_id);
UPDATE task SET OwnerId = (SELECT u.Id FROM users u WHERE u.tenant_id = task.tenant_id),
    CreatedById = (SELECT u.Id FROM users u WHERE u.tenant_id = task.tenant_id),
    LastModifiedById = (SELECT u.Id FROM users u WHERE u.tenant_id = task.tenant_id);
UPDATE event SET OwnerId = (SELECT u.Id FROM users u WHERE u.tenant_id = event.tenant_id),
    CreatedById = (SELECT u.Id FROM users u WHERE u.tenant_id = event.tenant_id),
    LastModifiedById = (SELECT u.Id FROM users u WHERE u.tenant_id = event.tenant_id);
