-- Audit rows written before users existed named the key as the actor: the key moves to key_id and the actor
-- becomes the key's user (the tenant's Integration User, since 0012), as 0012 did for the change log.
-- The same statement on both engines (on PostgreSQL the migrating user owns the tables, so row-level
-- security does not hold it to one tenant).
UPDATE audit_log SET
    key_id = actor_id,
    actor_id = COALESCE((SELECT k.user_id FROM api_keys k WHERE k.tenant_id = audit_log.tenant_id AND k.id = audit_log.actor_id), actor_id)
WHERE actor_id IN (SELECT k.id FROM api_keys k WHERE k.tenant_id = audit_log.tenant_id);
