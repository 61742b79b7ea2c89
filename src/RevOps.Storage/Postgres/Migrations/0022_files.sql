-- Files (SQLite's 0022 is the same change; see there): the three file objects' tables, with row-level security.
CREATE TABLE content_version (
    tenant_id uuid NOT NULL,
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
    Title text COLLATE revops_nocase,
    PathOnClient text COLLATE "C",
    Description text COLLATE "C",
    ReasonForChange text COLLATE "C",
    ContentDocumentId text COLLATE "C",
    FirstPublishLocationId text COLLATE "C",
    ContentSize bigint,
    FileType text COLLATE "C",
    FileExtension text COLLATE "C",
    Checksum text COLLATE "C",
    IsLatest boolean,
    VersionNumber text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_content_version_deleted ON content_version (tenant_id, deleted_at) WHERE IsDeleted = true;
ALTER TABLE content_version ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON content_version USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON content_version TO revops_tenant;
CREATE TABLE content_document (
    tenant_id uuid NOT NULL,
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
    Title text COLLATE revops_nocase,
    Description text COLLATE "C",
    LatestPublishedVersionId text COLLATE "C",
    ContentSize bigint,
    FileType text COLLATE "C",
    FileExtension text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_content_document_deleted ON content_document (tenant_id, deleted_at) WHERE IsDeleted = true;
ALTER TABLE content_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON content_document USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON content_document TO revops_tenant;
CREATE TABLE content_document_link (
    tenant_id uuid NOT NULL,
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
    ContentDocumentId text COLLATE "C",
    LinkedEntityId text COLLATE "C",
    ShareType text COLLATE "C",
    Visibility text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_content_document_link_deleted ON content_document_link (tenant_id, deleted_at) WHERE IsDeleted = true;
ALTER TABLE content_document_link ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON content_document_link USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON content_document_link TO revops_tenant;
-- A document's versions; the quota's sum and the blob sweep go by hash; a record's files by the linked record.
CREATE INDEX ix_content_version_document ON content_version (tenant_id, ContentDocumentId);
CREATE INDEX ix_content_version_checksum ON content_version (tenant_id, Checksum);
CREATE INDEX ix_content_document_link_entity ON content_document_link (tenant_id, LinkedEntityId);
CREATE INDEX ix_content_document_link_document ON content_document_link (tenant_id, ContentDocumentId);
