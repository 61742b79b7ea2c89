-- Full-text search over Accounts, Contacts, Leads and Opportunities, kept in step by triggers so
-- every write finds its way into the index, whichever channel made it (MCP, REST, CLI, plain SQL).
--
-- search_doc holds one row per live (IsDeleted = 0) record: the text that is searched, keyed
-- (tenant_id, record_id). search_fts is an external-content FTS5 index over it. Base-table
-- triggers write search_doc; search_doc's own triggers keep search_fts in step, so each object
-- states its text once (in its search_*_source view) and the FTS bookkeeping is written once.
--
-- Tenancy. One shared index serves every tenant. Each row carries its tenant twice:
--   * tenant_id (UNINDEXED in the FTS sense: a plain search_doc column) - every query filters
--     d.tenant_id = $tenant, the structural wall that does not depend on the MATCH text;
--   * tenant_token, the UUID without dashes as one FTS token - queries start with
--     `tenant_token : "<hex>" AND (...)`, so FTS5 intersects posting lists inside the index
--     and never reads or ranks another tenant's matches. Filtering only on an UNINDEXED
--     column would be correct too, but a common word ("john", "inc") would then walk the
--     matches of every tenant before discarding them.
-- Trade-off: bm25's document frequencies are counted over the whole table, so other tenants'
-- data nudges the order (never the membership) of a tenant's results. A table per tenant would
-- avoid that at the cost of schema per tenant; not worth it here.
--
-- Phones: unicode61 splits "+1 (415) 555-0100" into 1 / 415 / 555 / 0100, which matches the
-- same grouping in any punctuation. For other groupings, the digits column holds the number as
-- digits only (extension cut off at x / ext / #) plus its last 10 and last 7 digits, so
-- "4155550100", "+14155550100" and "555-0100" all find it.

CREATE TABLE search_doc (
    id            INTEGER PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    object        TEXT NOT NULL,
    record_id     TEXT NOT NULL,
    account_id    TEXT,
    name          TEXT,
    email         TEXT,
    phone         TEXT,
    mobile_phone  TEXT,
    company       TEXT,
    title         TEXT,
    website       TEXT,
    city          TEXT,
    tenant_token  TEXT GENERATED ALWAYS AS (replace(tenant_id, '-', '')) VIRTUAL,
    phone_digits  TEXT GENERATED ALWAYS AS (
        replace(replace(replace(replace(replace(replace(replace(
            substr(lower(phone), 1, min(coalesce(nullif(instr(lower(phone), 'x'), 0), 1000),
                                        coalesce(nullif(instr(lower(phone), 'e'), 0), 1000),
                                        coalesce(nullif(instr(lower(phone), '#'), 0), 1000)) - 1),
            ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '')) VIRTUAL,
    mobile_digits TEXT GENERATED ALWAYS AS (
        replace(replace(replace(replace(replace(replace(replace(
            substr(lower(mobile_phone), 1, min(coalesce(nullif(instr(lower(mobile_phone), 'x'), 0), 1000),
                                               coalesce(nullif(instr(lower(mobile_phone), 'e'), 0), 1000),
                                               coalesce(nullif(instr(lower(mobile_phone), '#'), 0), 1000)) - 1),
            ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '')) VIRTUAL,
    digits        TEXT GENERATED ALWAYS AS (trim(
        coalesce(phone_digits || ' ' || substr(phone_digits, -10) || ' ' || substr(phone_digits, -7), '') || ' ' ||
        coalesce(mobile_digits || ' ' || substr(mobile_digits, -10) || ' ' || substr(mobile_digits, -7), ''))) VIRTUAL
);
CREATE UNIQUE INDEX ux_search_doc_record ON search_doc (tenant_id, record_id);
CREATE INDEX ix_search_doc_account ON search_doc (tenant_id, account_id) WHERE account_id IS NOT NULL;

CREATE VIRTUAL TABLE search_fts USING fts5(
    tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits,
    content = 'search_doc', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
    INSERT INTO search_fts (rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    VALUES (NEW.id, NEW.tenant_token, NEW.name, NEW.email, NEW.phone, NEW.mobile_phone, NEW.company, NEW.title, NEW.website, NEW.city, NEW.digits);
END;

CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
    INSERT INTO search_fts (search_fts, rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    VALUES ('delete', OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits);
END;

CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
    INSERT INTO search_fts (search_fts, rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    VALUES ('delete', OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits);
    INSERT INTO search_fts (rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    VALUES (NEW.id, NEW.tenant_token, NEW.name, NEW.email, NEW.phone, NEW.mobile_phone, NEW.company, NEW.title, NEW.website, NEW.city, NEW.digits);
END;

-- What each object contributes. company is the Lead's Company, or for Contacts and
-- Opportunities the name of their Account (kept current when the Account is renamed).

CREATE VIEW search_account_source AS
SELECT tenant_id, 'Account' AS object, Id AS record_id, NULL AS account_id, Name AS name, NULL AS email,
       Phone AS phone, NULL AS mobile_phone, NULL AS company, NULL AS title, Website AS website, BillingCity AS city, IsDeleted
FROM account;

CREATE VIEW search_contact_source AS
SELECT c.tenant_id, 'Contact' AS object, c.Id AS record_id, c.AccountId AS account_id,
       coalesce(c.Name, trim(coalesce(c.FirstName, '') || ' ' || c.LastName)) AS name, c.Email AS email,
       c.Phone AS phone, c.MobilePhone AS mobile_phone,
       (SELECT a.Name FROM account a WHERE a.tenant_id = c.tenant_id AND a.Id = c.AccountId) AS company,
       c.Title AS title, NULL AS website, c.MailingCity AS city, c.IsDeleted
FROM contact c;

CREATE VIEW search_lead_source AS
SELECT tenant_id, 'Lead' AS object, Id AS record_id, NULL AS account_id,
       coalesce(Name, trim(coalesce(FirstName, '') || ' ' || LastName)) AS name, Email AS email,
       Phone AS phone, MobilePhone AS mobile_phone, Company AS company, Title AS title, Website AS website, City AS city,
       -- A converted lead lives on as its Contact and Account; like Salesforce, search stops showing it.
       max(IsDeleted, IsConverted) AS IsDeleted
FROM lead;

CREATE VIEW search_opportunity_source AS
SELECT o.tenant_id, 'Opportunity' AS object, o.Id AS record_id, o.AccountId AS account_id, o.Name AS name, NULL AS email,
       NULL AS phone, NULL AS mobile_phone,
       (SELECT a.Name FROM account a WHERE a.tenant_id = o.tenant_id AND a.Id = o.AccountId) AS company,
       NULL AS title, NULL AS website, NULL AS city, o.IsDeleted
FROM opportunity o;

-- Base-table triggers. An update re-indexes only when a searched column or IsDeleted changed
-- (COLLATE BINARY so a change of case counts); a soft delete (IsDeleted 0 -> 1) removes the
-- document and a restore (1 -> 0) puts it back.

CREATE TRIGGER search_account_ai AFTER INSERT ON account WHEN NEW.IsDeleted = 0 BEGIN
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_account_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id;
END;

CREATE TRIGGER search_account_au AFTER UPDATE ON account
WHEN OLD.IsDeleted IS NOT NEW.IsDeleted OR OLD.Name IS NOT NEW.Name COLLATE BINARY OR OLD.Phone IS NOT NEW.Phone
  OR OLD.Website IS NOT NEW.Website OR OLD.BillingCity IS NOT NEW.BillingCity COLLATE BINARY
BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_account_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id AND NEW.IsDeleted = 0;
    UPDATE search_doc SET company = NEW.Name
    WHERE tenant_id = NEW.tenant_id AND account_id = NEW.Id AND company IS NOT NEW.Name COLLATE BINARY;
END;

CREATE TRIGGER search_account_ad AFTER DELETE ON account BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
END;

CREATE TRIGGER search_contact_ai AFTER INSERT ON contact WHEN NEW.IsDeleted = 0 BEGIN
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_contact_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id;
END;

CREATE TRIGGER search_contact_au AFTER UPDATE ON contact
WHEN OLD.IsDeleted IS NOT NEW.IsDeleted OR OLD.Name IS NOT NEW.Name COLLATE BINARY
  OR OLD.FirstName IS NOT NEW.FirstName COLLATE BINARY OR OLD.LastName IS NOT NEW.LastName COLLATE BINARY
  OR OLD.Email IS NOT NEW.Email COLLATE BINARY OR OLD.Phone IS NOT NEW.Phone OR OLD.MobilePhone IS NOT NEW.MobilePhone
  OR OLD.AccountId IS NOT NEW.AccountId OR OLD.Title IS NOT NEW.Title COLLATE BINARY OR OLD.MailingCity IS NOT NEW.MailingCity COLLATE BINARY
BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_contact_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id AND NEW.IsDeleted = 0;
END;

CREATE TRIGGER search_contact_ad AFTER DELETE ON contact BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
END;

CREATE TRIGGER search_lead_ai AFTER INSERT ON lead WHEN NEW.IsDeleted = 0 AND NEW.IsConverted = 0 BEGIN
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_lead_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id;
END;

CREATE TRIGGER search_lead_au AFTER UPDATE ON lead
WHEN OLD.IsDeleted IS NOT NEW.IsDeleted OR OLD.IsConverted IS NOT NEW.IsConverted OR OLD.Name IS NOT NEW.Name COLLATE BINARY
  OR OLD.FirstName IS NOT NEW.FirstName COLLATE BINARY OR OLD.LastName IS NOT NEW.LastName COLLATE BINARY
  OR OLD.Email IS NOT NEW.Email COLLATE BINARY OR OLD.Phone IS NOT NEW.Phone OR OLD.MobilePhone IS NOT NEW.MobilePhone
  OR OLD.Company IS NOT NEW.Company COLLATE BINARY OR OLD.Title IS NOT NEW.Title COLLATE BINARY
  OR OLD.Website IS NOT NEW.Website OR OLD.City IS NOT NEW.City COLLATE BINARY
BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_lead_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id AND NEW.IsDeleted = 0 AND NEW.IsConverted = 0;
END;

CREATE TRIGGER search_lead_ad AFTER DELETE ON lead BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
END;

CREATE TRIGGER search_opportunity_ai AFTER INSERT ON opportunity WHEN NEW.IsDeleted = 0 BEGIN
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_opportunity_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id;
END;

CREATE TRIGGER search_opportunity_au AFTER UPDATE ON opportunity
WHEN OLD.IsDeleted IS NOT NEW.IsDeleted OR OLD.Name IS NOT NEW.Name COLLATE BINARY OR OLD.AccountId IS NOT NEW.AccountId
BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
    SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
    FROM search_opportunity_source WHERE tenant_id = NEW.tenant_id AND record_id = NEW.Id AND NEW.IsDeleted = 0;
END;

CREATE TRIGGER search_opportunity_ad AFTER DELETE ON opportunity BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
END;

-- Backfill what is already there.
INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
FROM search_account_source WHERE IsDeleted = 0;
INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
FROM search_contact_source WHERE IsDeleted = 0;
INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
FROM search_lead_source WHERE IsDeleted = 0;
INSERT INTO search_doc (tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city)
SELECT tenant_id, object, record_id, account_id, name, email, phone, mobile_phone, company, title, website, city
FROM search_opportunity_source WHERE IsDeleted = 0;
