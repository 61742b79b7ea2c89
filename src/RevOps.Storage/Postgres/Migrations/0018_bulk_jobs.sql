-- Bulk API 2.0 jobs (issue 18; SQLite's 0018 in PostgreSQL's terms). bulk_jobs holds each ingest or query
-- job, its state and progress; bulk_job_parts its data: uploaded rows ('data', 200 rows a part), each
-- processed part's results ('ok', 'fail') and a query's result rows ('result'). In the database, not on a
-- node's disk, so any node, or a restarted one, carries a job on; lease_until is the processing node's claim.
CREATE TABLE bulk_jobs (
    tenant_id         uuid NOT NULL,
    id                text COLLATE "C" NOT NULL,
    kind              text COLLATE "C" NOT NULL,
    object            text COLLATE "C" NOT NULL,
    operation         text COLLATE "C" NOT NULL,
    external_id_field text COLLATE "C",
    column_delimiter  text COLLATE "C" NOT NULL,
    line_ending       text COLLATE "C" NOT NULL,
    query             text,
    state             text COLLATE "C" NOT NULL,
    error_message     text,
    actor_id          text COLLATE "C" NOT NULL,
    actor_name        text,
    key_id            text COLLATE "C",
    scopes            bigint NOT NULL,
    api_version       text COLLATE "C" NOT NULL,
    headers           text,
    upload_bytes      bigint NOT NULL DEFAULT 0,
    chunks            bigint NOT NULL DEFAULT 0,
    rows_total        bigint NOT NULL DEFAULT 0,
    chunks_done       bigint NOT NULL DEFAULT 0,
    processed         bigint NOT NULL DEFAULT 0,
    failed            bigint NOT NULL DEFAULT 0,
    retries           bigint NOT NULL DEFAULT 0,
    lease_until       timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_bulk_jobs_runnable ON bulk_jobs (state, lease_until);
ALTER TABLE bulk_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON bulk_jobs USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_jobs TO revops_tenant;

CREATE TABLE bulk_job_parts (
    tenant_id uuid NOT NULL,
    job_id    text COLLATE "C" NOT NULL,
    part      text COLLATE "C" NOT NULL,
    seq       bigint NOT NULL,
    rows      bigint NOT NULL,
    body      text NOT NULL,
    PRIMARY KEY (tenant_id, job_id, part, seq)
);
ALTER TABLE bulk_job_parts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON bulk_job_parts USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON bulk_job_parts TO revops_tenant;
