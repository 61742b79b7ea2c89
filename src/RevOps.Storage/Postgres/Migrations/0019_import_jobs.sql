-- Resumable imports (issue 18; SQLite's 0019 in PostgreSQL's terms, see there).
CREATE TABLE import_jobs (
    tenant_id     uuid NOT NULL,
    id            text COLLATE "C" NOT NULL,
    object        text COLLATE "C" NOT NULL,
    source        text NOT NULL,
    fingerprint   text COLLATE "C" NOT NULL,
    options       text COLLATE "C" NOT NULL,
    state         text COLLATE "C" NOT NULL,
    committed_row bigint NOT NULL,
    created       bigint NOT NULL,
    updated       bigint NOT NULL,
    skipped       bigint NOT NULL,
    failed        bigint NOT NULL,
    started_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_import_jobs_file ON import_jobs (tenant_id, fingerprint, options, started_at);
ALTER TABLE import_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON import_jobs USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON import_jobs TO revops_tenant;

CREATE TABLE import_job_rows (
    tenant_id   uuid NOT NULL,
    job_id      text COLLATE "C" NOT NULL,
    row_number  bigint NOT NULL,
    status      text COLLATE "C" NOT NULL,
    column_name text,
    value       text,
    reason      text NOT NULL,
    PRIMARY KEY (tenant_id, job_id, row_number)
);
ALTER TABLE import_job_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON import_job_rows USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON import_job_rows TO revops_tenant;
