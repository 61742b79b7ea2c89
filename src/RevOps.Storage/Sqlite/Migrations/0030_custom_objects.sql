-- Custom objects (issue 22, docs/custom-objects.md). A tenant's objects are rows of custom_object_definitions; their
-- records share one table, custom_object_records, told apart by object_name, with the columns every custom object has
-- (the system fields, OwnerId, Name) and the tenant's custom fields in custom_fields. Lookups and master-detail fields
-- are custom fields (custom_field_definitions gains their target, delete rule and child relationship name); filters
-- and joins through one are served by the expression index a definition builds (see CustomFieldStore).
-- PostgreSQL's 0030 is the same change, with row-level security.
CREATE TABLE custom_object_definitions (
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    seq INTEGER NOT NULL,
    key_prefix TEXT NOT NULL,
    label TEXT NOT NULL,
    plural_label TEXT NOT NULL,
    name_label TEXT NOT NULL,
    auto_number_format TEXT,
    auto_number_next INTEGER NOT NULL DEFAULT 1,
    description TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name),
    UNIQUE (tenant_id, key_prefix),
    UNIQUE (tenant_id, seq)
);
CREATE TABLE custom_object_records (
    tenant_id TEXT NOT NULL,
    object_name TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    custom_fields TEXT,
    deleted_at TEXT,
    deleted_with TEXT,
    Id TEXT NOT NULL,
    IsDeleted INTEGER NOT NULL DEFAULT 0,
    CreatedDate TEXT NOT NULL,
    CreatedById TEXT,
    LastModifiedDate TEXT NOT NULL,
    LastModifiedById TEXT,
    SystemModstamp TEXT NOT NULL,
    OwnerId TEXT,
    Name TEXT COLLATE NOCASE,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_custom_object_records_object ON custom_object_records (tenant_id, object_name, Id);
CREATE INDEX ix_custom_object_records_name ON custom_object_records (tenant_id, object_name, Name);
CREATE INDEX ix_custom_object_records_modstamp ON custom_object_records (tenant_id, object_name, SystemModstamp);
CREATE INDEX ix_custom_object_records_deleted ON custom_object_records (tenant_id, deleted_at) WHERE IsDeleted = 1;
ALTER TABLE custom_field_definitions ADD COLUMN reference_to TEXT;
ALTER TABLE custom_field_definitions ADD COLUMN on_delete TEXT;
ALTER TABLE custom_field_definitions ADD COLUMN relationship_name TEXT;
