-- Files (issue 24): ContentVersion.Checksum is the MD5 of the bytes, as in Salesforce; the blob store keeps addressing
-- them by SHA-256, which this table gives for each version (written before the version's row commits; a row whose
-- version never committed is ignored, as it joins nothing). Versions stored before this migration had their SHA-256 in
-- Checksum: it is copied here, and their Checksum stays as it was.
CREATE TABLE content_blob (
    tenant_id  TEXT NOT NULL,
    version_id TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, version_id)
);
CREATE INDEX ix_content_blob_sha256 ON content_blob (tenant_id, sha256);
INSERT INTO content_blob (tenant_id, version_id, sha256, size)
    SELECT tenant_id, Id, Checksum, coalesce(ContentSize, 0) FROM content_version WHERE length(Checksum) = 64;
