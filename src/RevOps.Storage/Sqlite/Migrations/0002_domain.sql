-- The whole CRM domain: Leads, the standard fields users expect, the recycle bin and
-- idempotent writes. Columns are added, never rewritten, so existing files upgrade in place.

CREATE TABLE lead (
    tenant_id              TEXT NOT NULL,
    Id                     TEXT NOT NULL,
    row_version            INTEGER NOT NULL,
    custom_fields          TEXT,
    IsDeleted              INTEGER NOT NULL DEFAULT 0,
    CreatedDate            TEXT NOT NULL,
    CreatedById            TEXT,
    LastModifiedDate       TEXT NOT NULL,
    LastModifiedById       TEXT,
    SystemModstamp         TEXT NOT NULL,
    Salutation             TEXT,
    FirstName              TEXT COLLATE NOCASE,
    LastName               TEXT COLLATE NOCASE NOT NULL,
    Name                   TEXT COLLATE NOCASE,
    Company                TEXT COLLATE NOCASE NOT NULL,
    Title                  TEXT,
    Email                  TEXT COLLATE NOCASE,
    Phone                  TEXT,
    MobilePhone            TEXT,
    Website                TEXT,
    Status                 TEXT NOT NULL,
    Rating                 TEXT,
    LeadSource             TEXT,
    Industry               TEXT,
    AnnualRevenue          REAL,
    NumberOfEmployees      INTEGER,
    Street                 TEXT,
    City                   TEXT,
    State                  TEXT,
    PostalCode             TEXT,
    Country                TEXT,
    HasOptedOutOfEmail     INTEGER NOT NULL DEFAULT 0,
    DoNotCall              INTEGER NOT NULL DEFAULT 0,
    Description            TEXT,
    IsConverted            INTEGER NOT NULL DEFAULT 0,
    ConvertedDate          TEXT,
    ConvertedAccountId     TEXT,
    ConvertedContactId     TEXT,
    ConvertedOpportunityId TEXT,
    deleted_at             TEXT,
    deleted_with           TEXT,
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_lead_email ON lead (tenant_id, Email);
CREATE INDEX ix_lead_name ON lead (tenant_id, Name);
CREATE INDEX ix_lead_last_name ON lead (tenant_id, LastName);
CREATE INDEX ix_lead_company ON lead (tenant_id, Company);
CREATE INDEX ix_lead_status ON lead (tenant_id, Status, IsConverted);

ALTER TABLE account ADD COLUMN AccountNumber TEXT;
ALTER TABLE account ADD COLUMN Rating TEXT;
ALTER TABLE account ADD COLUMN ParentId TEXT;
ALTER TABLE account ADD COLUMN Fax TEXT;
ALTER TABLE account ADD COLUMN BillingStreet TEXT;
ALTER TABLE account ADD COLUMN BillingPostalCode TEXT;
ALTER TABLE account ADD COLUMN ShippingStreet TEXT;
ALTER TABLE account ADD COLUMN ShippingCity TEXT;
ALTER TABLE account ADD COLUMN ShippingState TEXT;
ALTER TABLE account ADD COLUMN ShippingPostalCode TEXT;
ALTER TABLE account ADD COLUMN ShippingCountry TEXT;
ALTER TABLE account ADD COLUMN deleted_at TEXT;
ALTER TABLE account ADD COLUMN deleted_with TEXT;
CREATE INDEX ix_account_parent ON account (tenant_id, ParentId);

ALTER TABLE contact ADD COLUMN Salutation TEXT;
ALTER TABLE contact ADD COLUMN HomePhone TEXT;
ALTER TABLE contact ADD COLUMN Fax TEXT;
ALTER TABLE contact ADD COLUMN ReportsToId TEXT;
ALTER TABLE contact ADD COLUMN Birthdate TEXT;
ALTER TABLE contact ADD COLUMN HasOptedOutOfEmail INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact ADD COLUMN DoNotCall INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact ADD COLUMN MailingStreet TEXT;
ALTER TABLE contact ADD COLUMN MailingState TEXT;
ALTER TABLE contact ADD COLUMN MailingPostalCode TEXT;
ALTER TABLE contact ADD COLUMN deleted_at TEXT;
ALTER TABLE contact ADD COLUMN deleted_with TEXT;

ALTER TABLE opportunity ADD COLUMN ExpectedRevenue REAL;
ALTER TABLE opportunity ADD COLUMN ForecastCategory TEXT;
ALTER TABLE opportunity ADD COLUMN deleted_at TEXT;
ALTER TABLE opportunity ADD COLUMN deleted_with TEXT;
UPDATE opportunity SET
    ExpectedRevenue = CASE WHEN Amount IS NULL OR Probability IS NULL THEN NULL ELSE round(Amount * Probability / 100.0, 2) END,
    ForecastCategory = CASE ForecastCategoryName WHEN 'Best Case' THEN 'BestCase' WHEN 'Commit' THEN 'Forecast' ELSE ForecastCategoryName END;

ALTER TABLE task ADD COLUMN Type TEXT;
ALTER TABLE task ADD COLUMN deleted_at TEXT;
ALTER TABLE task ADD COLUMN deleted_with TEXT;

ALTER TABLE event ADD COLUMN Type TEXT;
ALTER TABLE event ADD COLUMN DurationInMinutes INTEGER;
ALTER TABLE event ADD COLUMN ActivityDate TEXT;
ALTER TABLE event ADD COLUMN deleted_at TEXT;
ALTER TABLE event ADD COLUMN deleted_with TEXT;
UPDATE event SET
    DurationInMinutes = CAST(round((julianday(EndDateTime) - julianday(StartDateTime)) * 1440) AS INTEGER),
    ActivityDate = substr(StartDateTime, 1, 10);

-- The recycle bin: deleted rows by deletion time, for listing and for the purge.
CREATE INDEX ix_account_deleted ON account (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE INDEX ix_contact_deleted ON contact (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE INDEX ix_lead_deleted ON lead (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE INDEX ix_opportunity_deleted ON opportunity (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE INDEX ix_task_deleted ON task (tenant_id, deleted_at) WHERE IsDeleted = 1;
CREATE INDEX ix_event_deleted ON event (tenant_id, deleted_at) WHERE IsDeleted = 1;

ALTER TABLE custom_field_definitions ADD COLUMN description TEXT;
ALTER TABLE custom_field_definitions ADD COLUMN updated_at TEXT;

-- A write sent with an idempotency key records its outcome here in the same transaction,
-- so a retry with the same key finds it instead of writing again.
CREATE TABLE idempotency_keys (
    tenant_id    TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    object       TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    operation    TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (tenant_id, created_at);
