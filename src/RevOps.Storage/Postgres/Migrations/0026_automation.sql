-- Automation rules (issue 23; SQLite's 0026 in PostgreSQL's terms, with row-level security).
CREATE TABLE automation_rules (
    tenant_id      uuid NOT NULL,
    id             text COLLATE "C" NOT NULL,
    name           text COLLATE "C" NOT NULL,
    object         text COLLATE "C" NOT NULL,
    trigger_on     text COLLATE "C" NOT NULL,
    trigger_fields text COLLATE "C",
    definition     text COLLATE "C" NOT NULL,
    enabled        boolean NOT NULL,
    from_seq       bigint NOT NULL,
    created_by     text COLLATE "C" NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE automation_cursors (
    tenant_id  uuid NOT NULL PRIMARY KEY,
    cursor_seq bigint NOT NULL
);

CREATE TABLE automation_runs (
    tenant_id       uuid NOT NULL,
    id              text COLLATE "C" NOT NULL,
    rule_id         text COLLATE "C" NOT NULL,
    rule_name       text COLLATE "C" NOT NULL,
    seq             bigint NOT NULL,
    object          text COLLATE "C" NOT NULL,
    record_id       text COLLATE "C" NOT NULL,
    operation       text COLLATE "C" NOT NULL,
    depth           integer NOT NULL,
    changes         text COLLATE "C" NOT NULL,
    status          text COLLATE "C" NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    error           text COLLATE "C",
    result          text COLLATE "C",
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, rule_id, seq)
);
CREATE INDEX ix_automation_runs_due ON automation_runs (status, next_attempt_at);
-- The log newest first; a record's earlier pending runs (order per record); runs done in the last minute (the limit).
CREATE INDEX ix_automation_runs_log ON automation_runs (tenant_id, seq);
CREATE INDEX ix_automation_runs_record ON automation_runs (tenant_id, record_id, seq);
CREATE INDEX ix_automation_runs_finished ON automation_runs (tenant_id, finished_at);

ALTER TABLE automation_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON automation_rules USING (tenant_id = revops_current_tenant());
ALTER TABLE automation_cursors ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON automation_cursors USING (tenant_id = revops_current_tenant());
ALTER TABLE automation_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON automation_runs USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON automation_rules, automation_cursors, automation_runs TO revops_tenant;
