-- The audit log names who acted (the user, since 0012) and now also the key they came with, as the change
-- log does. Rows written before users existed named the key as the actor: it moves to key_id and the
-- actor becomes the tenant's Integration User, as 0012 did for the change log. (PostgreSQL's 0014 is the same.)
ALTER TABLE audit_log ADD COLUMN key_id TEXT;
UPDATE audit_log SET
    key_id = actor_id,
    actor_id = COALESCE((SELECT k.user_id FROM api_keys k WHERE k.tenant_id = audit_log.tenant_id AND k.id = audit_log.actor_id), actor_id)
WHERE actor_id IN (SELECT k.id FROM api_keys k WHERE k.tenant_id = audit_log.tenant_id);
