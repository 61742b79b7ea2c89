-- The audit log names who acted (the user, since 0012) and now also the key they came with (SQLite's 0014
-- is the same change; see there).
ALTER TABLE audit_log ADD COLUMN key_id text COLLATE "C";
UPDATE audit_log SET
    key_id = actor_id,
    actor_id = COALESCE((SELECT k.user_id FROM api_keys k WHERE k.tenant_id = audit_log.tenant_id AND k.id = audit_log.actor_id), actor_id)
WHERE actor_id IN (SELECT k.id FROM api_keys k WHERE k.tenant_id = audit_log.tenant_id);
