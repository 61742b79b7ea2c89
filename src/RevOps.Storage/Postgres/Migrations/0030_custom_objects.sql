-- Custom objects (issue 22): see SQLite's 0030. Both new tables join row-level security like every tenant table.
CREATE TABLE custom_object_definitions (
    tenant_id uuid NOT NULL,
    name text COLLATE revops_nocase NOT NULL,
    seq integer NOT NULL,
    key_prefix text COLLATE "C" NOT NULL,
    label text COLLATE "C" NOT NULL,
    plural_label text COLLATE "C" NOT NULL,
    name_label text COLLATE "C" NOT NULL,
    auto_number_format text COLLATE "C",
    auto_number_next bigint NOT NULL DEFAULT 1,
    description text COLLATE "C",
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name),
    UNIQUE (tenant_id, key_prefix),
    UNIQUE (tenant_id, seq)
);
ALTER TABLE custom_object_definitions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON custom_object_definitions USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON custom_object_definitions TO revops_tenant;
CREATE TABLE custom_object_records (
    tenant_id uuid NOT NULL,
    object_name text COLLATE "C" NOT NULL,
    row_version bigint NOT NULL,
    custom_fields jsonb,
    deleted_at timestamptz,
    deleted_with text COLLATE "C",
    Id text COLLATE "C" NOT NULL,
    IsDeleted boolean NOT NULL DEFAULT false,
    CreatedDate timestamptz NOT NULL,
    CreatedById text COLLATE "C",
    LastModifiedDate timestamptz NOT NULL,
    LastModifiedById text COLLATE "C",
    SystemModstamp timestamptz NOT NULL,
    OwnerId text COLLATE "C",
    Name text COLLATE revops_nocase,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_custom_object_records_object ON custom_object_records (tenant_id, object_name, Id);
CREATE INDEX ix_custom_object_records_name ON custom_object_records (tenant_id, object_name, Name);
CREATE INDEX ix_custom_object_records_modstamp ON custom_object_records (tenant_id, object_name, SystemModstamp);
CREATE INDEX ix_custom_object_records_deleted ON custom_object_records (tenant_id, deleted_at) WHERE IsDeleted = true;
ALTER TABLE custom_object_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON custom_object_records USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON custom_object_records TO revops_tenant;
ALTER TABLE custom_field_definitions ADD COLUMN reference_to text COLLATE "C";
ALTER TABLE custom_field_definitions ADD COLUMN on_delete text COLLATE "C";
ALTER TABLE custom_field_definitions ADD COLUMN relationship_name text COLLATE "C";
