-- The web console (SQLite's 0021 in PostgreSQL's terms; see there). console_keys belongs to no tenant: only the
-- server's own role reads and writes it (across tenants), never revops_tenant.
CREATE TABLE user_sign_in (
    tenant_id     uuid NOT NULL,
    user_id       text COLLATE "C" NOT NULL,
    failed_count  integer NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    PRIMARY KEY (tenant_id, user_id)
);
ALTER TABLE user_sign_in ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON user_sign_in USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON user_sign_in TO revops_tenant;

CREATE TABLE console_keys (
    name        text COLLATE "C" NOT NULL PRIMARY KEY,
    xml         text COLLATE "C" NOT NULL,
    created_at  timestamptz NOT NULL
);
