-- The request each change came from (HTTP X-Request-Id or trace id; a generated id for stdio),
-- so an audit can group the rows one call wrote. Older rows have none.
ALTER TABLE change_log ADD COLUMN request_id TEXT;

-- list_changes and /api/changes filtered by object page through this in seq order.
CREATE INDEX ix_change_log_object ON change_log (tenant_id, object, seq);
