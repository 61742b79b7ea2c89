-- The agents' work queue (issue 23). An item is queued, then claimed under a lease (lease_owner is the token
-- the claimer gets back, lease_until when it lapses), then done or failed with a note. A claimed item whose
-- lease lapsed counts as queued again (or failed once attempts reached the maximum) until the next write
-- says so. idempotency_key makes an automation run that is replayed enqueue once. PostgreSQL's 0028 is the
-- same with row-level security.
CREATE TABLE work_items (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    queue           TEXT NOT NULL,
    type            TEXT NOT NULL,
    record_object   TEXT,
    record_id       TEXT,
    prompt          TEXT NOT NULL,
    priority        INTEGER NOT NULL,
    due             TEXT,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     TEXT,
    claimed_by      TEXT,
    claimed_key     TEXT,
    note            TEXT,
    source          TEXT,
    idempotency_key TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    finished_at     TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);
-- The claim's order within a queue: highest priority, then earliest due, then oldest.
CREATE INDEX ix_work_items_claim ON work_items (tenant_id, queue, state, priority, due, created_at);
CREATE INDEX ix_work_items_record ON work_items (tenant_id, record_id);
