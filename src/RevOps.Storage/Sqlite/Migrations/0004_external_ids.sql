-- Custom fields can be External IDs (upserts match on them) and unique within a tenant.
ALTER TABLE custom_field_definitions ADD COLUMN external_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE custom_field_definitions ADD COLUMN is_unique INTEGER NOT NULL DEFAULT 0;
