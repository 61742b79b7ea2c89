-- Recordings to fetch from Twilio (issue 24), one row per RecordingSid, written in the same transaction as the
-- recording callback's merge into voice_calls, so a callback that was answered has its fetch recorded even if the
-- process dies before the fetch runs. A fetch is claimed under a lease (next_attempt_at moves to the lease's end,
-- renewed while the download runs), so a node killed mid-fetch leaves a row that falls due again by itself.
-- status: pending, then stored, skipped (nothing to do: already on the Task, no Account Sid, a refused URL) or
-- failed (attempts ran out, or Twilio answered an error that does not change); last_error says why.
-- PostgreSQL's 0038 is the same with row-level security.
CREATE TABLE voice_recording_fetches (
    tenant_id       TEXT NOT NULL,
    recording_sid   TEXT NOT NULL,
    call_sid        TEXT NOT NULL,
    recording_url   TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT,
    PRIMARY KEY (tenant_id, recording_sid)
);
CREATE INDEX ix_voice_recording_fetches_due ON voice_recording_fetches (status, next_attempt_at);
CREATE INDEX ix_voice_recording_fetches_call ON voice_recording_fetches (tenant_id, call_sid);
