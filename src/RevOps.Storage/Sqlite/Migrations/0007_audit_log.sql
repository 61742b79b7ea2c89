-- Administrative changes (tenant, key and schema changes), one row per change, written in the
-- change's own transaction. seq numbers each tenant's entries 1, 2, 3, … (one writer: no races).

CREATE TABLE audit_log (
    tenant_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    channel    TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    details    TEXT NOT NULL,
    request_id TEXT,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX ix_audit_log_time ON audit_log (tenant_id, created_at);
