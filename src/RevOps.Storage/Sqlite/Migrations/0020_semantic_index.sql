-- Semantic search (issue 20). semantic_index is each tenant's index state: the change-log sequence its
-- vectors follow (seq), a version raised by every save (record_vectors rows carry the version that wrote
-- them, so a cache reads only newer rows), a generation raised by a rebuild, the model that made the
-- vectors, and the lease of the node that moves it. record_vectors holds one row per Account, Contact,
-- Lead, Opportunity, Task and Event: its vector (384 little-endian float32, a BLOB; NULL for a deleted
-- record, a tombstone until the next rebuild) and the fields structured filters test. PostgreSQL's 0020
-- is the same with real[].
CREATE TABLE semantic_index (
    tenant_id   TEXT NOT NULL PRIMARY KEY,
    seq         INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 0,
    generation  INTEGER NOT NULL DEFAULT 0,
    built       INTEGER NOT NULL DEFAULT 0,
    model       TEXT,
    lease_owner TEXT,
    lease_until TEXT
);

CREATE TABLE record_vectors (
    tenant_id    TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    object       TEXT NOT NULL,
    name         TEXT,
    owner_id     TEXT,
    industry     TEXT,
    stage_name   TEXT,
    created_date TEXT,
    vector       BLOB,
    version      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, record_id)
);
CREATE INDEX ix_record_vectors_version ON record_vectors (tenant_id, version);
