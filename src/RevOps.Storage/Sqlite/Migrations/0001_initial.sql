-- Tenants, keys, the five standard objects, custom field definitions, change log, usage.
-- Every tenant table is keyed (tenant_id, ...) and every index starts with tenant_id.

CREATE TABLE tenants (
    id                TEXT NOT NULL PRIMARY KEY,
    name              TEXT NOT NULL,
    domain            TEXT,
    subscription_tier TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    change_seq        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE api_keys (
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    id           TEXT NOT NULL,
    key_hash     TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    scopes       INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (key_hash);
CREATE UNIQUE INDEX ux_api_keys_id ON api_keys (id);

CREATE TABLE account (
    tenant_id         TEXT NOT NULL,
    Id                TEXT NOT NULL,
    row_version       INTEGER NOT NULL,
    custom_fields     TEXT,
    IsDeleted         INTEGER NOT NULL DEFAULT 0,
    CreatedDate       TEXT NOT NULL,
    CreatedById       TEXT,
    LastModifiedDate  TEXT NOT NULL,
    LastModifiedById  TEXT,
    SystemModstamp    TEXT NOT NULL,
    Name              TEXT COLLATE NOCASE NOT NULL,
    Type              TEXT,
    Industry          TEXT,
    AnnualRevenue     REAL,
    NumberOfEmployees INTEGER,
    Website           TEXT,
    Phone             TEXT,
    BillingCity       TEXT,
    BillingState      TEXT,
    BillingCountry    TEXT,
    Description       TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_account_name ON account (tenant_id, Name);
CREATE INDEX ix_account_industry ON account (tenant_id, Industry, Name);

CREATE TABLE contact (
    tenant_id         TEXT NOT NULL,
    Id                TEXT NOT NULL,
    row_version       INTEGER NOT NULL,
    custom_fields     TEXT,
    IsDeleted         INTEGER NOT NULL DEFAULT 0,
    CreatedDate       TEXT NOT NULL,
    CreatedById       TEXT,
    LastModifiedDate  TEXT NOT NULL,
    LastModifiedById  TEXT,
    SystemModstamp    TEXT NOT NULL,
    FirstName         TEXT COLLATE NOCASE,
    LastName          TEXT COLLATE NOCASE NOT NULL,
    Name              TEXT COLLATE NOCASE,
    Email             TEXT COLLATE NOCASE,
    Phone             TEXT,
    MobilePhone       TEXT,
    AccountId         TEXT,
    Title             TEXT,
    Department        TEXT,
    LeadSource        TEXT,
    MailingCity       TEXT,
    MailingCountry    TEXT,
    Description       TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_contact_email ON contact (tenant_id, Email);
CREATE INDEX ix_contact_phone ON contact (tenant_id, Phone);
CREATE INDEX ix_contact_mobile ON contact (tenant_id, MobilePhone);
CREATE INDEX ix_contact_last_name ON contact (tenant_id, LastName);
CREATE INDEX ix_contact_first_name ON contact (tenant_id, FirstName);
CREATE INDEX ix_contact_name ON contact (tenant_id, Name);
CREATE INDEX ix_contact_account ON contact (tenant_id, AccountId);

CREATE TABLE opportunity (
    tenant_id            TEXT NOT NULL,
    Id                   TEXT NOT NULL,
    row_version          INTEGER NOT NULL,
    custom_fields        TEXT,
    IsDeleted            INTEGER NOT NULL DEFAULT 0,
    CreatedDate          TEXT NOT NULL,
    CreatedById          TEXT,
    LastModifiedDate     TEXT NOT NULL,
    LastModifiedById     TEXT,
    SystemModstamp       TEXT NOT NULL,
    Name                 TEXT COLLATE NOCASE NOT NULL,
    StageName            TEXT NOT NULL,
    CloseDate            TEXT NOT NULL,
    Amount               REAL,
    Probability          REAL,
    AccountId            TEXT,
    Type                 TEXT,
    LeadSource           TEXT,
    NextStep             TEXT,
    IsClosed             INTEGER NOT NULL DEFAULT 0,
    IsWon                INTEGER NOT NULL DEFAULT 0,
    ForecastCategoryName TEXT,
    Description          TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_opportunity_account ON opportunity (tenant_id, AccountId);
CREATE INDEX ix_opportunity_stage ON opportunity (tenant_id, StageName, Amount);
CREATE INDEX ix_opportunity_amount ON opportunity (tenant_id, Amount);
CREATE INDEX ix_opportunity_close_date ON opportunity (tenant_id, CloseDate);
CREATE INDEX ix_opportunity_name ON opportunity (tenant_id, Name);

CREATE TABLE task (
    tenant_id         TEXT NOT NULL,
    Id                TEXT NOT NULL,
    row_version       INTEGER NOT NULL,
    custom_fields     TEXT,
    IsDeleted         INTEGER NOT NULL DEFAULT 0,
    CreatedDate       TEXT NOT NULL,
    CreatedById       TEXT,
    LastModifiedDate  TEXT NOT NULL,
    LastModifiedById  TEXT,
    SystemModstamp    TEXT NOT NULL,
    Subject           TEXT COLLATE NOCASE NOT NULL,
    WhoId             TEXT,
    WhatId            TEXT,
    Status            TEXT NOT NULL,
    Priority          TEXT NOT NULL,
    ActivityDate      TEXT,
    IsClosed          INTEGER NOT NULL DEFAULT 0,
    Description       TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_task_status ON task (tenant_id, Status, ActivityDate);
CREATE INDEX ix_task_activity_date ON task (tenant_id, ActivityDate);
CREATE INDEX ix_task_who ON task (tenant_id, WhoId);
CREATE INDEX ix_task_what ON task (tenant_id, WhatId);

CREATE TABLE event (
    tenant_id         TEXT NOT NULL,
    Id                TEXT NOT NULL,
    row_version       INTEGER NOT NULL,
    custom_fields     TEXT,
    IsDeleted         INTEGER NOT NULL DEFAULT 0,
    CreatedDate       TEXT NOT NULL,
    CreatedById       TEXT,
    LastModifiedDate  TEXT NOT NULL,
    LastModifiedById  TEXT,
    SystemModstamp    TEXT NOT NULL,
    Subject           TEXT COLLATE NOCASE NOT NULL,
    StartDateTime     TEXT NOT NULL,
    EndDateTime       TEXT NOT NULL,
    WhoId             TEXT,
    WhatId            TEXT,
    Location          TEXT,
    IsAllDayEvent     INTEGER NOT NULL DEFAULT 0,
    Description       TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_event_start ON event (tenant_id, StartDateTime);
CREATE INDEX ix_event_who ON event (tenant_id, WhoId);
CREATE INDEX ix_event_what ON event (tenant_id, WhatId);

CREATE TABLE custom_field_definitions (
    tenant_id       TEXT NOT NULL,
    object_name     TEXT NOT NULL,
    api_name        TEXT NOT NULL COLLATE NOCASE,
    field_type      TEXT NOT NULL,
    label           TEXT NOT NULL,
    length          INTEGER,
    precision       INTEGER,
    scale           INTEGER,
    required        INTEGER NOT NULL DEFAULT 0,
    default_value   TEXT,
    picklist_values TEXT,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, object_name, api_name)
);

CREATE TABLE change_log (
    tenant_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    object     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    operation  TEXT NOT NULL,
    changes    TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    channel    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX ix_change_log_record ON change_log (tenant_id, record_id, seq);
CREATE INDEX ix_change_log_time ON change_log (tenant_id, created_at);

CREATE TABLE usage_daily (
    tenant_id   TEXT NOT NULL,
    day         TEXT NOT NULL,
    tool        TEXT NOT NULL,
    success     INTEGER NOT NULL,
    calls       INTEGER NOT NULL,
    total_ms    REAL NOT NULL,
    PRIMARY KEY (tenant_id, day, tool, success)
);

CREATE TABLE usage_latency (
    tenant_id TEXT NOT NULL,
    day       TEXT NOT NULL,
    tool      TEXT NOT NULL,
    bucket    INTEGER NOT NULL,
    calls     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, day, tool, bucket)
);
