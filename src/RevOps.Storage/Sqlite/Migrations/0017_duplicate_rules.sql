-- Duplicate rules (issue 19). duplicate_rules holds what each tenant set (a rule it never set reports);
-- the indexes let new Accounts, Contacts and Leads find the records they may duplicate by one indexed
-- query per kind of key. They index search_doc, which already holds one row per live Account, Contact
-- and (unconverted) Lead with the compared columns, kept in step by 0003's triggers. The keys are the
-- ones DuplicateKeys computes: lower case (ASCII, as lower() is here), a phone's last 10 digits, and a
-- website's host (no scheme, no "www.", nothing from the first '/'). PostgreSQL's 0017 is the same.
CREATE TABLE duplicate_rules (
    tenant_id  TEXT NOT NULL,
    rule       TEXT NOT NULL,
    action     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, rule)
);

ALTER TABLE search_doc ADD COLUMN web_rest TEXT GENERATED ALWAYS AS (
    CASE WHEN instr(lower(trim(website)), '://') > 0 THEN substr(lower(trim(website)), instr(lower(trim(website)), '://') + 3)
         ELSE lower(trim(website)) END) VIRTUAL;
ALTER TABLE search_doc ADD COLUMN web_bare TEXT GENERATED ALWAYS AS (
    CASE WHEN substr(web_rest, 1, 4) = 'www.' THEN substr(web_rest, 5) ELSE web_rest END) VIRTUAL;
ALTER TABLE search_doc ADD COLUMN web_host TEXT GENERATED ALWAYS AS (
    nullif(CASE WHEN instr(web_bare, '/') > 0 THEN substr(web_bare, 1, instr(web_bare, '/') - 1) ELSE web_bare END, '')) VIRTUAL;

CREATE INDEX ix_search_doc_email_key ON search_doc (tenant_id, lower(email));
CREATE INDEX ix_search_doc_name_key ON search_doc (tenant_id, lower(name));
CREATE INDEX ix_search_doc_phone_key ON search_doc (tenant_id, substr(phone_digits, -10));
CREATE INDEX ix_search_doc_mobile_key ON search_doc (tenant_id, substr(mobile_digits, -10));
CREATE INDEX ix_search_doc_web_key ON search_doc (tenant_id, web_host);
