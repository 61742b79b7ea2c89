-- Bulk API 2.0 jobs (issue 18). bulk_jobs holds each ingest or query job, its state and progress;
-- bulk_job_parts its data: the uploaded rows ('data', 200 rows a part, so a part is one write
-- transaction), the results of each processed part ('ok', 'fail') and a query's result rows ('result').
-- Both live in the database, not on a node's disk, so another node or a restarted one carries a job on.
-- lease_until is the claim of the node processing it; chunks_done counts the data parts whose results
-- are stored. PostgreSQL's 0018 is the same.
CREATE TABLE bulk_jobs (
    tenant_id         TEXT NOT NULL,
    id                TEXT NOT NULL,
    kind              TEXT NOT NULL,
    object            TEXT NOT NULL,
    operation         TEXT NOT NULL,
    external_id_field TEXT,
    column_delimiter  TEXT NOT NULL,
    line_ending       TEXT NOT NULL,
    query             TEXT,
    state             TEXT NOT NULL,
    error_message     TEXT,
    actor_id          TEXT NOT NULL,
    actor_name        TEXT,
    key_id            TEXT,
    scopes            INTEGER NOT NULL,
    api_version       TEXT NOT NULL,
    headers           TEXT,
    upload_bytes      INTEGER NOT NULL DEFAULT 0,
    chunks            INTEGER NOT NULL DEFAULT 0,
    rows_total        INTEGER NOT NULL DEFAULT 0,
    chunks_done       INTEGER NOT NULL DEFAULT 0,
    processed         INTEGER NOT NULL DEFAULT 0,
    failed            INTEGER NOT NULL DEFAULT 0,
    retries           INTEGER NOT NULL DEFAULT 0,
    lease_until       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_bulk_jobs_runnable ON bulk_jobs (state, lease_until);

CREATE TABLE bulk_job_parts (
    tenant_id TEXT NOT NULL,
    job_id    TEXT NOT NULL,
    part      TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    rows      INTEGER NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, job_id, part, seq)
);
