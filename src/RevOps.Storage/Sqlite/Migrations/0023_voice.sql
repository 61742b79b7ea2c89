-- Voice call logging (issue 24). Task.CallObject holds the telephony system's id of the call (Twilio's CallSid),
-- indexed so a callback finds its call's Task in one seek. voice_settings holds each tenant's integration:
-- Twilio's auth token (the key of X-Twilio-Signature's HMAC, so it is kept as sent, like webhook secrets), the
-- SHA-256 of the Deepgram callback secret, and how calls are logged. voice_calls holds one row per call: its
-- Task (the primary key makes one Task per CallSid), the recording's URL and the whole transcript, with a
-- revision that grows on every merge. PostgreSQL's 0023 is the same.
ALTER TABLE task ADD COLUMN CallObject TEXT;
CREATE INDEX ix_task_call_object ON task (tenant_id, CallObject) WHERE CallObject IS NOT NULL;

CREATE TABLE voice_settings (
    tenant_id            TEXT NOT NULL PRIMARY KEY,
    twilio_auth_token    TEXT,
    deepgram_secret_hash TEXT,
    default_region       TEXT NOT NULL,
    unmatched            TEXT NOT NULL,
    default_owner_id     TEXT,
    updated_at           TEXT NOT NULL
);

CREATE TABLE voice_calls (
    tenant_id         TEXT NOT NULL,
    call_sid          TEXT NOT NULL,
    task_id           TEXT NOT NULL,
    recording_url     TEXT,
    transcript        TEXT,
    transcript_source TEXT,
    revision          INTEGER NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, call_sid)
);
