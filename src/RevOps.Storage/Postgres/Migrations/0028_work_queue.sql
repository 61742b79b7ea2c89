-- The agents' work queue (issue 23; SQLite's 0028 in PostgreSQL's terms, with row-level security).
CREATE TABLE work_items (
    tenant_id       uuid NOT NULL,
    id              text COLLATE "C" NOT NULL,
    queue           text COLLATE "C" NOT NULL,
    type            text COLLATE "C" NOT NULL,
    record_object   text COLLATE "C",
    record_id       text COLLATE "C",
    prompt          text COLLATE "C" NOT NULL,
    priority        integer NOT NULL,
    due             timestamptz,
    state           text COLLATE "C" NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    lease_owner     text COLLATE "C",
    lease_until     timestamptz,
    claimed_by      text COLLATE "C",
    claimed_key     text COLLATE "C",
    note            text COLLATE "C",
    source          text COLLATE "C",
    idempotency_key text COLLATE "C",
    created_by      text COLLATE "C" NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX ix_work_items_claim ON work_items (tenant_id, queue, state, priority, due, created_at);
CREATE INDEX ix_work_items_record ON work_items (tenant_id, record_id);

ALTER TABLE work_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON work_items USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON work_items TO revops_tenant;
