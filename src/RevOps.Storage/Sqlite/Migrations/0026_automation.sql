-- Automation rules (issue 23). automation_rules holds each rule's JSON as sent, with the trigger columns the
-- runner matches changes with; from_seq is the change_log seq it was made (or enabled again) at, so it sees
-- only later changes. automation_cursors is each tenant's place in its change log; a run is made from a
-- change and the cursor moved in one transaction, so a committed change gets one run per rule it triggers.
-- automation_runs is both the queue (pending rows, leased through next_attempt_at) and the execution log.
-- PostgreSQL's 0026 is the same with row-level security.
CREATE TABLE automation_rules (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    object         TEXT NOT NULL,
    trigger_on     TEXT NOT NULL,
    trigger_fields TEXT,
    definition     TEXT NOT NULL,
    enabled        INTEGER NOT NULL,
    from_seq       INTEGER NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE automation_cursors (
    tenant_id  TEXT NOT NULL PRIMARY KEY,
    cursor_seq INTEGER NOT NULL
);

CREATE TABLE automation_runs (
    tenant_id       TEXT NOT NULL,
    id              TEXT NOT NULL,
    rule_id         TEXT NOT NULL,
    rule_name       TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    object          TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    operation       TEXT NOT NULL,
    depth           INTEGER NOT NULL,
    changes         TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    error           TEXT,
    result          TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, rule_id, seq)
);
CREATE INDEX ix_automation_runs_due ON automation_runs (status, next_attempt_at);
-- The log newest first; a record's earlier pending runs (order per record); runs done in the last minute (the limit).
CREATE INDEX ix_automation_runs_log ON automation_runs (tenant_id, seq);
CREATE INDEX ix_automation_runs_record ON automation_runs (tenant_id, record_id, seq);
CREATE INDEX ix_automation_runs_finished ON automation_runs (tenant_id, finished_at);
