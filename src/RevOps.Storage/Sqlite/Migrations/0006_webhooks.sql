-- Webhook subscriptions and their deliveries. change_log is the outbox: it is written in every
-- record's own transaction; the dispatcher copies the rows after a subscription's cursor into
-- webhook_deliveries and advances the cursor in one transaction, so a committed change is either
-- still after the cursor or already a delivery row, never neither.

CREATE TABLE webhooks (
    tenant_id   TEXT NOT NULL,
    id          TEXT NOT NULL,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    objects     TEXT,              -- JSON array of object names; NULL = every object
    operations  TEXT,              -- JSON array of operations; NULL = every operation
    fields      TEXT,              -- JSON array: send only changes touching one of these fields; NULL = any
    active      INTEGER NOT NULL DEFAULT 1,
    cursor_seq  INTEGER NOT NULL,  -- the last change_log seq of this tenant already turned into deliveries
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ux_webhooks_id ON webhooks (id);

CREATE TABLE webhook_deliveries (
    tenant_id        TEXT NOT NULL,
    id               TEXT NOT NULL,     -- the event id the receiver sees; stable across retries
    webhook_id       TEXT NOT NULL,
    seq              INTEGER,           -- change_log seq; NULL for test pings
    object           TEXT,              -- NULL for test pings
    record_id        TEXT,              -- order is kept per (webhook, record); NULL for test pings
    operation        TEXT NOT NULL,
    payload          TEXT NOT NULL,     -- the exact body sent on every attempt
    status           TEXT NOT NULL,     -- pending | delivered | dead
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    window_start     TEXT NOT NULL,     -- retries stop max-age after this (reset by redeliver)
    next_attempt_at  TEXT NOT NULL,
    lease_until      TEXT,              -- a sender holds it until then; expired leases are taken again
    last_attempt_at  TEXT,
    last_status_code INTEGER,
    last_latency_ms  REAL,
    last_error       TEXT,
    delivered_at     TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ux_webhook_deliveries_change ON webhook_deliveries (tenant_id, webhook_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_webhook_deliveries_record ON webhook_deliveries (tenant_id, webhook_id, record_id, status, seq);
CREATE INDEX ix_webhook_deliveries_log ON webhook_deliveries (tenant_id, webhook_id, created_at);
-- The dispatcher's one cross-tenant query: what is due now, over every tenant.
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
