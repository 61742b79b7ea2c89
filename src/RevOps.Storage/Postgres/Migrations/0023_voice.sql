-- Voice call logging (issue 24; SQLite's 0023 in PostgreSQL's terms, see there): Task.CallObject with its index,
-- each tenant's voice integration, and one row per call.
ALTER TABLE task ADD COLUMN CallObject text COLLATE "C";
CREATE INDEX ix_task_call_object ON task (tenant_id, CallObject) WHERE CallObject IS NOT NULL;

CREATE TABLE voice_settings (
    tenant_id            uuid NOT NULL PRIMARY KEY,
    twilio_auth_token    text COLLATE "C",
    deepgram_secret_hash text COLLATE "C",
    default_region       text COLLATE "C" NOT NULL,
    unmatched            text COLLATE "C" NOT NULL,
    default_owner_id     text COLLATE "C",
    updated_at           timestamptz NOT NULL
);
ALTER TABLE voice_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON voice_settings USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON voice_settings TO revops_tenant;

CREATE TABLE voice_calls (
    tenant_id         uuid NOT NULL,
    call_sid          text COLLATE "C" NOT NULL,
    task_id           text COLLATE "C" NOT NULL,
    recording_url     text COLLATE "C",
    transcript        text COLLATE "C",
    transcript_source text COLLATE "C",
    revision          bigint NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, call_sid)
);
ALTER TABLE voice_calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON voice_calls USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON voice_calls TO revops_tenant;
