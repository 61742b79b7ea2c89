-- Recordings to fetch from Twilio (issue 24; SQLite's 0038 in PostgreSQL's terms, see there): one row per RecordingSid,
-- written with the recording callback's merge, claimed under a renewed lease, finished as stored, skipped or failed.
CREATE TABLE voice_recording_fetches (
    tenant_id       uuid NOT NULL,
    recording_sid   text COLLATE "C" NOT NULL,
    call_sid        text COLLATE "C" NOT NULL,
    recording_url   text COLLATE "C" NOT NULL,
    status          text COLLATE "C" NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text COLLATE "C",
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, recording_sid)
);
CREATE INDEX ix_voice_recording_fetches_due ON voice_recording_fetches (status, next_attempt_at);
CREATE INDEX ix_voice_recording_fetches_call ON voice_recording_fetches (tenant_id, call_sid);
ALTER TABLE voice_recording_fetches ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON voice_recording_fetches USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON voice_recording_fetches TO revops_tenant;
