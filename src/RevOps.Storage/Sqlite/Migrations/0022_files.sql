-- Files (docs/files.md): ContentVersion, ContentDocument and ContentDocumentLink, each table column for column what
-- Schema/ObjectTable generates from the registry (the storage contract suite checks it). The bytes are not here:
-- they live in the blob store under ContentVersion.Checksum (SHA-256).
CREATE TABLE content_version (
    tenant_id TEXT NOT NULL,
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
    Title TEXT COLLATE NOCASE,
    PathOnClient TEXT,
    Description TEXT,
    ReasonForChange TEXT,
    ContentDocumentId TEXT,
    FirstPublishLocationId TEXT,
    ContentSize INTEGER,
    FileType TEXT,
    FileExtension TEXT,
    Checksum TEXT,
    IsLatest INTEGER,
    VersionNumber TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_content_version_deleted ON content_version (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE TABLE content_document (
    tenant_id TEXT NOT NULL,
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
    Title TEXT COLLATE NOCASE,
    Description TEXT,
    LatestPublishedVersionId TEXT,
    ContentSize INTEGER,
    FileType TEXT,
    FileExtension TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_content_document_deleted ON content_document (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE TABLE content_document_link (
    tenant_id TEXT NOT NULL,
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
    ContentDocumentId TEXT,
    LinkedEntityId TEXT,
    ShareType TEXT,
    Visibility TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_content_document_link_deleted ON content_document_link (tenant_id, deleted_at) WHERE IsDeleted = 1;
-- A document's versions; the quota's sum and the blob sweep go by hash; a record's files by the linked record.
CREATE INDEX ix_content_version_document ON content_version (tenant_id, ContentDocumentId);
CREATE INDEX ix_content_version_checksum ON content_version (tenant_id, Checksum);
CREATE INDEX ix_content_document_link_entity ON content_document_link (tenant_id, LinkedEntityId);
CREATE INDEX ix_content_document_link_document ON content_document_link (tenant_id, ContentDocumentId);
