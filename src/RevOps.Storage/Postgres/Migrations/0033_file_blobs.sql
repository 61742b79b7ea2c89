-- Files (issue 24; SQLite's 0033 in PostgreSQL's terms, see there): each ContentVersion's SHA-256 (the blob's name),
-- now that Checksum holds the MD5 Salesforce clients expect.
CREATE TABLE content_blob (
    tenant_id  uuid NOT NULL,
    version_id text COLLATE "C" NOT NULL,
    sha256     text COLLATE "C" NOT NULL,
    size       bigint NOT NULL,
    PRIMARY KEY (tenant_id, version_id)
);
CREATE INDEX ix_content_blob_sha256 ON content_blob (tenant_id, sha256);
ALTER TABLE content_blob ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON content_blob USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON content_blob TO revops_tenant;
INSERT INTO content_blob (tenant_id, version_id, sha256, size)
    SELECT tenant_id, Id, Checksum, coalesce(ContentSize, 0) FROM content_version WHERE length(Checksum) = 64;
