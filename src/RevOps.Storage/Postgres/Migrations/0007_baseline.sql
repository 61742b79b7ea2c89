-- The PostgreSQL schema, as SQLite's migrations 0001-0007 leave it: the same tables, columns
-- (named after the metadata fields; PostgreSQL folds them to lower case) and tenant-first keys
-- and indexes. PostgreSQL starts at version 7, so from 0008 on both dialects get a migration of
-- the same number, and `revops migrate` reports the same schema version on either.
--
-- Types: tenant ids are uuid, times timestamptz (written truncated to milliseconds, as SQLite's
-- text keeps them), checkboxes boolean, custom fields jsonb. Text that SQLite compares with
-- COLLATE NOCASE uses revops_nocase (case-insensitive, ICU); other text is "C" (bytewise, as
-- SQLite's BINARY). The change log keeps its JSON as text, byte for byte as it was written.
--
-- Row-level security: see the end of this file.

CREATE COLLATION revops_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE tenants (
    id                uuid NOT NULL PRIMARY KEY,
    name              text COLLATE "C" NOT NULL,
    domain            text COLLATE "C",
    subscription_tier text COLLATE "C" NOT NULL,
    created_at        timestamptz NOT NULL,
    change_seq        bigint NOT NULL DEFAULT 0
);

CREATE TABLE api_keys (
    tenant_id    uuid NOT NULL REFERENCES tenants(id),
    id           text COLLATE "C" NOT NULL,
    key_hash     text COLLATE "C" NOT NULL,
    prefix       text COLLATE "C" NOT NULL,
    scopes       bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
-- Authentication finds a key by its hash before it knows the tenant: the one lookup that is not
-- tenant-first (it runs as the operator, see the end of this file).
CREATE UNIQUE INDEX ux_api_keys_hash ON api_keys (key_hash);
CREATE UNIQUE INDEX ux_api_keys_id ON api_keys (id);

CREATE TABLE account (
    tenant_id          uuid NOT NULL,
    Id                 text COLLATE "C" NOT NULL,
    row_version        bigint NOT NULL,
    custom_fields      jsonb,
    deleted_at         timestamptz,
    deleted_with       text COLLATE "C",
    IsDeleted          boolean NOT NULL DEFAULT false,
    CreatedDate        timestamptz NOT NULL,
    CreatedById        text COLLATE "C",
    LastModifiedDate   timestamptz NOT NULL,
    LastModifiedById   text COLLATE "C",
    SystemModstamp     timestamptz NOT NULL,
    Name               text COLLATE revops_nocase NOT NULL,
    AccountNumber      text COLLATE "C",
    Type               text COLLATE "C",
    Industry           text COLLATE "C",
    Rating             text COLLATE "C",
    AnnualRevenue      double precision,
    NumberOfEmployees  bigint,
    ParentId           text COLLATE "C",
    Website            text COLLATE "C",
    Phone              text COLLATE "C",
    Fax                text COLLATE "C",
    BillingStreet      text COLLATE "C",
    BillingCity        text COLLATE "C",
    BillingState       text COLLATE "C",
    BillingPostalCode  text COLLATE "C",
    BillingCountry     text COLLATE "C",
    ShippingStreet     text COLLATE "C",
    ShippingCity       text COLLATE "C",
    ShippingState      text COLLATE "C",
    ShippingPostalCode text COLLATE "C",
    ShippingCountry    text COLLATE "C",
    Description        text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_account_name ON account (tenant_id, Name);
CREATE INDEX ix_account_industry ON account (tenant_id, Industry, Name);
CREATE INDEX ix_account_parent ON account (tenant_id, ParentId);
CREATE INDEX ix_account_deleted ON account (tenant_id, deleted_at) WHERE IsDeleted;

CREATE TABLE contact (
    tenant_id          uuid NOT NULL,
    Id                 text COLLATE "C" NOT NULL,
    row_version        bigint NOT NULL,
    custom_fields      jsonb,
    deleted_at         timestamptz,
    deleted_with       text COLLATE "C",
    IsDeleted          boolean NOT NULL DEFAULT false,
    CreatedDate        timestamptz NOT NULL,
    CreatedById        text COLLATE "C",
    LastModifiedDate   timestamptz NOT NULL,
    LastModifiedById   text COLLATE "C",
    SystemModstamp     timestamptz NOT NULL,
    Salutation         text COLLATE "C",
    FirstName          text COLLATE revops_nocase,
    LastName           text COLLATE revops_nocase NOT NULL,
    Name               text COLLATE revops_nocase,
    Email              text COLLATE revops_nocase,
    Phone              text COLLATE "C",
    MobilePhone        text COLLATE "C",
    HomePhone          text COLLATE "C",
    Fax                text COLLATE "C",
    AccountId          text COLLATE "C",
    ReportsToId        text COLLATE "C",
    Title              text COLLATE "C",
    Department         text COLLATE "C",
    Birthdate          date,
    LeadSource         text COLLATE "C",
    HasOptedOutOfEmail boolean NOT NULL DEFAULT false,
    DoNotCall          boolean NOT NULL DEFAULT false,
    MailingStreet      text COLLATE "C",
    MailingCity        text COLLATE "C",
    MailingState       text COLLATE "C",
    MailingPostalCode  text COLLATE "C",
    MailingCountry     text COLLATE "C",
    Description        text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_contact_email ON contact (tenant_id, Email);
CREATE INDEX ix_contact_phone ON contact (tenant_id, Phone);
CREATE INDEX ix_contact_mobile ON contact (tenant_id, MobilePhone);
CREATE INDEX ix_contact_last_name ON contact (tenant_id, LastName);
CREATE INDEX ix_contact_first_name ON contact (tenant_id, FirstName);
CREATE INDEX ix_contact_name ON contact (tenant_id, Name);
CREATE INDEX ix_contact_account ON contact (tenant_id, AccountId);
CREATE INDEX ix_contact_deleted ON contact (tenant_id, deleted_at) WHERE IsDeleted;

CREATE TABLE lead (
    tenant_id              uuid NOT NULL,
    Id                     text COLLATE "C" NOT NULL,
    row_version            bigint NOT NULL,
    custom_fields          jsonb,
    deleted_at             timestamptz,
    deleted_with           text COLLATE "C",
    IsDeleted              boolean NOT NULL DEFAULT false,
    CreatedDate            timestamptz NOT NULL,
    CreatedById            text COLLATE "C",
    LastModifiedDate       timestamptz NOT NULL,
    LastModifiedById       text COLLATE "C",
    SystemModstamp         timestamptz NOT NULL,
    Salutation             text COLLATE "C",
    FirstName              text COLLATE revops_nocase,
    LastName               text COLLATE revops_nocase NOT NULL,
    Name                   text COLLATE revops_nocase,
    Company                text COLLATE revops_nocase NOT NULL,
    Title                  text COLLATE "C",
    Email                  text COLLATE revops_nocase,
    Phone                  text COLLATE "C",
    MobilePhone            text COLLATE "C",
    Website                text COLLATE "C",
    Status                 text COLLATE "C" NOT NULL,
    Rating                 text COLLATE "C",
    LeadSource             text COLLATE "C",
    Industry               text COLLATE "C",
    AnnualRevenue          double precision,
    NumberOfEmployees      bigint,
    Street                 text COLLATE "C",
    City                   text COLLATE "C",
    State                  text COLLATE "C",
    PostalCode             text COLLATE "C",
    Country                text COLLATE "C",
    HasOptedOutOfEmail     boolean NOT NULL DEFAULT false,
    DoNotCall              boolean NOT NULL DEFAULT false,
    Description            text COLLATE "C",
    IsConverted            boolean NOT NULL DEFAULT false,
    ConvertedDate          date,
    ConvertedAccountId     text COLLATE "C",
    ConvertedContactId     text COLLATE "C",
    ConvertedOpportunityId text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_lead_email ON lead (tenant_id, Email);
CREATE INDEX ix_lead_name ON lead (tenant_id, Name);
CREATE INDEX ix_lead_last_name ON lead (tenant_id, LastName);
CREATE INDEX ix_lead_company ON lead (tenant_id, Company);
CREATE INDEX ix_lead_status ON lead (tenant_id, Status, IsConverted);
CREATE INDEX ix_lead_deleted ON lead (tenant_id, deleted_at) WHERE IsDeleted;

CREATE TABLE opportunity (
    tenant_id            uuid NOT NULL,
    Id                   text COLLATE "C" NOT NULL,
    row_version          bigint NOT NULL,
    custom_fields        jsonb,
    deleted_at           timestamptz,
    deleted_with         text COLLATE "C",
    IsDeleted            boolean NOT NULL DEFAULT false,
    CreatedDate          timestamptz NOT NULL,
    CreatedById          text COLLATE "C",
    LastModifiedDate     timestamptz NOT NULL,
    LastModifiedById     text COLLATE "C",
    SystemModstamp       timestamptz NOT NULL,
    Name                 text COLLATE revops_nocase NOT NULL,
    StageName            text COLLATE "C" NOT NULL,
    CloseDate            date NOT NULL,
    Amount               double precision,
    Probability          double precision,
    ExpectedRevenue      double precision,
    AccountId            text COLLATE "C",
    Type                 text COLLATE "C",
    LeadSource           text COLLATE "C",
    NextStep             text COLLATE "C",
    IsClosed             boolean NOT NULL DEFAULT false,
    IsWon                boolean NOT NULL DEFAULT false,
    ForecastCategory     text COLLATE "C",
    ForecastCategoryName text COLLATE "C",
    Description          text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_opportunity_account ON opportunity (tenant_id, AccountId);
CREATE INDEX ix_opportunity_stage ON opportunity (tenant_id, StageName, Amount);
CREATE INDEX ix_opportunity_amount ON opportunity (tenant_id, Amount);
CREATE INDEX ix_opportunity_close_date ON opportunity (tenant_id, CloseDate);
CREATE INDEX ix_opportunity_name ON opportunity (tenant_id, Name);
CREATE INDEX ix_opportunity_deleted ON opportunity (tenant_id, deleted_at) WHERE IsDeleted;

CREATE TABLE task (
    tenant_id         uuid NOT NULL,
    Id                text COLLATE "C" NOT NULL,
    row_version       bigint NOT NULL,
    custom_fields     jsonb,
    deleted_at        timestamptz,
    deleted_with      text COLLATE "C",
    IsDeleted         boolean NOT NULL DEFAULT false,
    CreatedDate       timestamptz NOT NULL,
    CreatedById       text COLLATE "C",
    LastModifiedDate  timestamptz NOT NULL,
    LastModifiedById  text COLLATE "C",
    SystemModstamp    timestamptz NOT NULL,
    Subject           text COLLATE revops_nocase NOT NULL,
    WhoId             text COLLATE "C",
    WhatId            text COLLATE "C",
    Status            text COLLATE "C" NOT NULL,
    Priority          text COLLATE "C" NOT NULL,
    Type              text COLLATE "C",
    ActivityDate      date,
    IsClosed          boolean NOT NULL DEFAULT false,
    Description       text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_task_status ON task (tenant_id, Status, ActivityDate);
CREATE INDEX ix_task_activity_date ON task (tenant_id, ActivityDate);
CREATE INDEX ix_task_who ON task (tenant_id, WhoId);
CREATE INDEX ix_task_what ON task (tenant_id, WhatId);
CREATE INDEX ix_task_deleted ON task (tenant_id, deleted_at) WHERE IsDeleted;

CREATE TABLE event (
    tenant_id         uuid NOT NULL,
    Id                text COLLATE "C" NOT NULL,
    row_version       bigint NOT NULL,
    custom_fields     jsonb,
    deleted_at        timestamptz,
    deleted_with      text COLLATE "C",
    IsDeleted         boolean NOT NULL DEFAULT false,
    CreatedDate       timestamptz NOT NULL,
    CreatedById       text COLLATE "C",
    LastModifiedDate  timestamptz NOT NULL,
    LastModifiedById  text COLLATE "C",
    SystemModstamp    timestamptz NOT NULL,
    Subject           text COLLATE revops_nocase NOT NULL,
    StartDateTime     timestamptz NOT NULL,
    EndDateTime       timestamptz NOT NULL,
    DurationInMinutes bigint,
    ActivityDate      date,
    WhoId             text COLLATE "C",
    WhatId            text COLLATE "C",
    Type              text COLLATE "C",
    Location          text COLLATE "C",
    IsAllDayEvent     boolean NOT NULL DEFAULT false,
    Description       text COLLATE "C",
    PRIMARY KEY (tenant_id, Id)
);
CREATE INDEX ix_event_start ON event (tenant_id, StartDateTime);
CREATE INDEX ix_event_who ON event (tenant_id, WhoId);
CREATE INDEX ix_event_what ON event (tenant_id, WhatId);
CREATE INDEX ix_event_deleted ON event (tenant_id, deleted_at) WHERE IsDeleted;

CREATE TABLE custom_field_definitions (
    tenant_id       uuid NOT NULL,
    object_name     text COLLATE "C" NOT NULL,
    api_name        text COLLATE revops_nocase NOT NULL,
    field_type      text COLLATE "C" NOT NULL,
    label           text COLLATE "C" NOT NULL,
    length          integer,
    precision       integer,
    scale           integer,
    required        boolean NOT NULL DEFAULT false,
    default_value   text COLLATE "C",
    picklist_values text COLLATE "C",
    description     text COLLATE "C",
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz,
    external_id     boolean NOT NULL DEFAULT false,
    is_unique       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, object_name, api_name)
);

-- Typed reads of a custom field's JSON value, safe on any value: another tenant may hold text in
-- a field of the same name, and an expression index over every tenant's rows must never fail.
CREATE FUNCTION revops_json_float(value jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN jsonb_typeof(value) = 'number' THEN value::double precision END;
CREATE FUNCTION revops_json_bool(value jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN jsonb_typeof(value) = 'boolean' THEN value::boolean END;

CREATE TABLE change_log (
    tenant_id  uuid NOT NULL,
    seq        bigint NOT NULL,
    object     text COLLATE "C" NOT NULL,
    record_id  text COLLATE "C" NOT NULL,
    operation  text COLLATE "C" NOT NULL,
    changes    text COLLATE "C" NOT NULL,
    actor_id   text COLLATE "C" NOT NULL,
    channel    text COLLATE "C" NOT NULL,
    request_id text COLLATE "C",
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX ix_change_log_record ON change_log (tenant_id, record_id, seq);
CREATE INDEX ix_change_log_time ON change_log (tenant_id, created_at);
CREATE INDEX ix_change_log_object ON change_log (tenant_id, object, seq);

CREATE TABLE idempotency_keys (
    tenant_id    uuid NOT NULL,
    key          text COLLATE "C" NOT NULL,
    request_hash text COLLATE "C" NOT NULL,
    object       text COLLATE "C" NOT NULL,
    record_id    text COLLATE "C" NOT NULL,
    operation    text COLLATE "C" NOT NULL,
    seq          bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX ix_idempotency_created ON idempotency_keys (tenant_id, created_at);

CREATE TABLE usage_daily (
    tenant_id uuid NOT NULL,
    day       date NOT NULL,
    tool      text COLLATE "C" NOT NULL,
    success   boolean NOT NULL,
    calls     bigint NOT NULL,
    total_ms  double precision NOT NULL,
    PRIMARY KEY (tenant_id, day, tool, success)
);

CREATE TABLE usage_latency (
    tenant_id uuid NOT NULL,
    day       date NOT NULL,
    tool      text COLLATE "C" NOT NULL,
    bucket    integer NOT NULL,
    calls     bigint NOT NULL,
    PRIMARY KEY (tenant_id, day, tool, bucket)
);

CREATE TABLE webhooks (
    tenant_id   uuid NOT NULL,
    id          text COLLATE "C" NOT NULL,
    url         text COLLATE "C" NOT NULL,
    secret      text COLLATE "C" NOT NULL,
    objects     text COLLATE "C",   -- JSON array of object names; NULL = every object
    operations  text COLLATE "C",   -- JSON array of operations; NULL = every operation
    fields      text COLLATE "C",   -- JSON array: send only changes touching one of these fields; NULL = any
    active      boolean NOT NULL DEFAULT true,
    cursor_seq  bigint NOT NULL,    -- the last change_log seq of this tenant already turned into deliveries
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ux_webhooks_id ON webhooks (id);

CREATE TABLE webhook_deliveries (
    tenant_id        uuid NOT NULL,
    id               text COLLATE "C" NOT NULL,
    webhook_id       text COLLATE "C" NOT NULL,
    seq              bigint,
    object           text COLLATE "C",
    record_id        text COLLATE "C",
    operation        text COLLATE "C" NOT NULL,
    payload          text COLLATE "C" NOT NULL,
    status           text COLLATE "C" NOT NULL,   -- pending | delivered | dead
    attempts         integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    window_start     timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    lease_until      timestamptz,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_latency_ms  double precision,
    last_error       text COLLATE "C",
    delivered_at     timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX ux_webhook_deliveries_change ON webhook_deliveries (tenant_id, webhook_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_webhook_deliveries_record ON webhook_deliveries (tenant_id, webhook_id, record_id, status, seq);
CREATE INDEX ix_webhook_deliveries_log ON webhook_deliveries (tenant_id, webhook_id, created_at);
-- The dispatcher's one cross-tenant query: what is due now, over every tenant.
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE audit_log (
    tenant_id  uuid NOT NULL,
    seq        bigint NOT NULL,
    created_at timestamptz NOT NULL,
    actor_id   text COLLATE "C" NOT NULL,
    channel    text COLLATE "C" NOT NULL,
    action     text COLLATE "C" NOT NULL,
    target     text COLLATE "C" NOT NULL,
    details    text COLLATE "C" NOT NULL,
    request_id text COLLATE "C",
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX ix_audit_log_time ON audit_log (tenant_id, created_at);

-- Full-text search over Accounts, Contacts, Leads and Opportunities (SQLite's 0003, in PostgreSQL's
-- terms). search_doc holds one row per live record, written by triggers on the record tables so
-- every write finds its way in, whichever channel made it. Its document is a tsvector of the same
-- tokens SQLite's unicode61 makes (runs of letters and digits, lower case), weighted by column:
-- A name; B email, phones, company; C title, website, city; D the phone numbers as digits (whole,
-- last 10, last 7) and the tenant as one token, 't' + its hex. A search ANDs the tenant token with
-- the words, so the GIN index intersects this tenant's posting list with the words' and never
-- ranks another tenant's rows; tenant_id = @tenant and the row-level policy hold on top of that.
-- Differences from SQLite: accents are not folded (no unaccent), and ranking is ts_rank's, not
-- bm25's; the tiers (whole-word name match, name prefix match, the rest) order results the same.

-- Lower case and letter classes by ICU's root locale, whatever the database's locale ("C" would
-- fold and keep ASCII letters only).
CREATE FUNCTION revops_words(value text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsvector('simple', regexp_replace(lower(coalesce(value, '') COLLATE "und-x-icu"), '[^[:alnum:]]+', ' ', 'g'));

-- The digits of a phone number, its extension (from x, e or #) cut off, then its last 10 and last 7 digits.
CREATE FUNCTION revops_phone_tokens(phone text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT CASE WHEN d IS NULL THEN '' ELSE d || ' ' || right(d, 10) || ' ' || right(d, 7) END
            FROM (SELECT regexp_replace(split_part(split_part(split_part(lower(phone), 'x', 1), 'e', 1), '#', 1), '[ +().\-/]', '', 'g') AS d) p);

CREATE TABLE search_doc (
    tenant_id    uuid NOT NULL,
    object       text COLLATE "C" NOT NULL,
    record_id    text COLLATE "C" NOT NULL,
    account_id   text COLLATE "C",
    name         text COLLATE "C",
    email        text COLLATE "C",
    phone        text COLLATE "C",
    mobile_phone text COLLATE "C",
    company      text COLLATE "C",
    title        text COLLATE "C",
    website      text COLLATE "C",
    city         text COLLATE "C",
    document     tsvector GENERATED ALWAYS AS (
        setweight(revops_words(name), 'A') ||
        setweight(revops_words(email) || revops_words(phone) || revops_words(mobile_phone) || revops_words(company), 'B') ||
        setweight(revops_words(title) || revops_words(website) || revops_words(city), 'C') ||
        setweight(to_tsvector('simple', 't' || replace(tenant_id::text, '-', '') || ' ' || revops_phone_tokens(phone) || ' ' || revops_phone_tokens(mobile_phone)), 'D')
    ) STORED,
    PRIMARY KEY (tenant_id, record_id)
);
CREATE INDEX ix_search_doc_account ON search_doc (tenant_id, account_id) WHERE account_id IS NOT NULL;
CREATE INDEX ix_search_doc_document ON search_doc USING gin (document);

-- What each object contributes, from its row: company is the Lead's Company, or for Contacts and
-- Opportunities the name of their Account (kept current when the Account is renamed). An update
-- rewrites the document only when what it holds changed (compared as stored, so a change of case
-- counts); a soft delete removes it and a restore puts it back.
CREATE FUNCTION revops_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    doc search_doc%ROWTYPE;
    indexed boolean;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
        RETURN NULL;
    END IF;
    doc.tenant_id := NEW.tenant_id;
    doc.record_id := NEW.Id;
    indexed := NOT NEW.IsDeleted;
    IF TG_TABLE_NAME = 'account' THEN
        doc.object := 'Account'; doc.name := NEW.Name; doc.phone := NEW.Phone; doc.website := NEW.Website; doc.city := NEW.BillingCity;
    ELSIF TG_TABLE_NAME = 'contact' THEN
        doc.object := 'Contact'; doc.account_id := NEW.AccountId;
        doc.name := coalesce(NEW.Name, trim(coalesce(NEW.FirstName, '') || ' ' || NEW.LastName));
        doc.email := NEW.Email; doc.phone := NEW.Phone; doc.mobile_phone := NEW.MobilePhone; doc.title := NEW.Title; doc.city := NEW.MailingCity;
        doc.company := (SELECT a.Name FROM account a WHERE a.tenant_id = NEW.tenant_id AND a.Id = NEW.AccountId);
    ELSIF TG_TABLE_NAME = 'lead' THEN
        doc.object := 'Lead';
        doc.name := coalesce(NEW.Name, trim(coalesce(NEW.FirstName, '') || ' ' || NEW.LastName));
        doc.email := NEW.Email; doc.phone := NEW.Phone; doc.mobile_phone := NEW.MobilePhone; doc.company := NEW.Company;
        doc.title := NEW.Title; doc.website := NEW.Website; doc.city := NEW.City;
        -- A converted lead lives on as its Contact and Account; like Salesforce, search stops showing it.
        indexed := indexed AND NOT NEW.IsConverted;
    ELSE
        doc.object := 'Opportunity'; doc.account_id := NEW.AccountId; doc.name := NEW.Name;
        doc.company := (SELECT a.Name FROM account a WHERE a.tenant_id = NEW.tenant_id AND a.Id = NEW.AccountId);
    END IF;

    IF TG_OP = 'UPDATE' THEN
        IF TG_TABLE_NAME = 'account' AND NEW.Name COLLATE "C" IS DISTINCT FROM OLD.Name COLLATE "C" THEN
            UPDATE search_doc SET company = NEW.Name WHERE tenant_id = NEW.tenant_id AND account_id = NEW.Id;
        END IF;
        IF indexed AND EXISTS (
            SELECT 1 FROM search_doc s WHERE s.tenant_id = NEW.tenant_id AND s.record_id = NEW.Id
              AND (s.object, s.account_id, s.name, s.email, s.phone, s.mobile_phone, s.company, s.title, s.website, s.city)
                  IS NOT DISTINCT FROM (doc.object, doc.account_id, doc.name, doc.email, doc.phone, doc.mobile_phone, doc.company, doc.title, doc.website, doc.city)) THEN
            RETURN NULL;
        END IF;
        DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    END IF;
    IF indexed THEN
        INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
        VALUES (doc.tenant_id, doc.object, doc.record_id, doc.account_id, doc.name, doc.email, doc.phone, doc.mobile_phone, doc.company, doc.title, doc.website, doc.city);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_refresh AFTER INSERT OR UPDATE OR DELETE ON account FOR EACH ROW EXECUTE FUNCTION revops_search_refresh();
CREATE TRIGGER search_refresh AFTER INSERT OR UPDATE OR DELETE ON contact FOR EACH ROW EXECUTE FUNCTION revops_search_refresh();
CREATE TRIGGER search_refresh AFTER INSERT OR UPDATE OR DELETE ON lead FOR EACH ROW EXECUTE FUNCTION revops_search_refresh();
CREATE TRIGGER search_refresh AFTER INSERT OR UPDATE OR DELETE ON opportunity FOR EACH ROW EXECUTE FUNCTION revops_search_refresh();

-- Row-level security, the second wall behind the tenant-scoped API (PostgresDatabase). Every
-- tenant transaction runs as revops_tenant with revops.tenant set for that transaction only
-- (set_config(..., true)); the policies let it see and write only that tenant's rows. Without the
-- setting (or after the transaction) revops.tenant is NULL or '' and no row matches. The role is
-- made once per cluster (tests/postgres/cluster.sh, or here when the migrating user may create
-- roles) and the migrating user must be a member to switch to it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'revops_tenant') THEN
        CREATE ROLE revops_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
    IF NOT pg_has_role(current_user, 'revops_tenant', 'MEMBER') THEN
        EXECUTE format('GRANT revops_tenant TO %I', current_user);
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- another database of this cluster made it at the same moment
END
$$;

CREATE FUNCTION revops_current_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NULLIF(current_setting('revops.tenant', true), '')::uuid;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON tenants USING (id = revops_current_tenant());
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['api_keys', 'account', 'contact', 'lead', 'opportunity', 'task', 'event', 'custom_field_definitions',
                             'change_log', 'idempotency_keys', 'usage_daily', 'usage_latency', 'webhooks', 'webhook_deliveries', 'audit_log',
                             'search_doc']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_wall ON %I USING (tenant_id = revops_current_tenant())', t);
    END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO revops_tenant;
REVOKE ALL ON schema_migrations FROM revops_tenant;
