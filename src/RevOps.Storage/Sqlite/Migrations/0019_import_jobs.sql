-- Resumable imports (issue 18). import_jobs holds one row per import run of a file: which file (the SHA-256 of
-- its bytes) with which options, how far its rows are committed and what became of them. Each chunk of records
-- an import writes advances committed_row and the counts in the chunk's own transaction, and its rows not
-- written land in import_job_rows in that transaction too, so a re-run after any stop (Ctrl+C, kill -9, power
-- loss) continues after committed_row and writes no row twice. PostgreSQL's 0019 is the same.
CREATE TABLE import_jobs (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    object        TEXT NOT NULL,
    source        TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    options       TEXT NOT NULL,
    state         TEXT NOT NULL,
    committed_row INTEGER NOT NULL,
    created       INTEGER NOT NULL,
    updated       INTEGER NOT NULL,
    skipped       INTEGER NOT NULL,
    failed        INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    finished_at   TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_import_jobs_file ON import_jobs (tenant_id, fingerprint, options, started_at);

CREATE TABLE import_job_rows (
    tenant_id   TEXT NOT NULL,
    job_id      TEXT NOT NULL,
    row_number  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    column_name TEXT,
    value       TEXT,
    reason      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, job_id, row_number)
);
