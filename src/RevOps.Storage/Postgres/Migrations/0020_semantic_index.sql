-- Semantic search (issue 20; SQLite's 0020 in PostgreSQL's terms). Vectors are real[] (pgvector is not
-- required: Debian 12 does not ship it, and search is an exact top-k in the server's memory anyway).
CREATE TABLE semantic_index (
    tenant_id   uuid NOT NULL PRIMARY KEY,
    seq         bigint NOT NULL DEFAULT 0,
    version     bigint NOT NULL DEFAULT 0,
    generation  bigint NOT NULL DEFAULT 0,
    built       bigint NOT NULL DEFAULT 0,
    model       text COLLATE "C",
    lease_owner text COLLATE "C",
    lease_until timestamptz
);

CREATE TABLE record_vectors (
    tenant_id    uuid NOT NULL,
    record_id    text COLLATE "C" NOT NULL,
    object       text COLLATE "C" NOT NULL,
    name         text,
    owner_id     text COLLATE "C",
    industry     text,
    stage_name   text,
    created_date timestamptz,
    vector       real[],
    version      bigint NOT NULL,
    PRIMARY KEY (tenant_id, record_id)
);
CREATE INDEX ix_record_vectors_version ON record_vectors (tenant_id, version);

ALTER TABLE semantic_index ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON semantic_index USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON semantic_index TO revops_tenant;
ALTER TABLE record_vectors ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON record_vectors USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON record_vectors TO revops_tenant;
