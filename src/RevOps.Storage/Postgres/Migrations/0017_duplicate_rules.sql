-- Duplicate rules (issue 19; SQLite's 0017 in PostgreSQL's terms). duplicate_rules holds what each tenant
-- set (a rule it never set reports); the expression indexes on search_doc (one row per live Account, Contact
-- and unconverted Lead) let new records find the ones they may duplicate by one indexed query per kind of key.
-- The keys are DuplicateKeys': lower case (ASCII, as lower() is for "C" text), a phone's last 10 digits
-- (extension cut off as revops_phone_tokens does), a website's host (no scheme, no "www.", no path).
CREATE TABLE duplicate_rules (
    tenant_id  uuid NOT NULL,
    rule       text COLLATE "C" NOT NULL,
    action     text COLLATE "C" NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, rule)
);
ALTER TABLE duplicate_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON duplicate_rules USING (tenant_id = revops_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON duplicate_rules TO revops_tenant;

CREATE FUNCTION revops_phone_national(phone text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN nullif(right(regexp_replace(split_part(split_part(split_part(lower(phone), 'x', 1), 'e', 1), '#', 1), '[ +().\-/]', '', 'g'), 10), '');

CREATE FUNCTION revops_web_host(website text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN nullif(split_part(regexp_replace(regexp_replace(lower(btrim(website)), '^.*?://', ''), '^www\.', ''), '/', 1), '');

CREATE INDEX ix_search_doc_email_key ON search_doc (tenant_id, lower(email));
CREATE INDEX ix_search_doc_name_key ON search_doc (tenant_id, lower(name));
CREATE INDEX ix_search_doc_phone_key ON search_doc (tenant_id, revops_phone_national(phone));
CREATE INDEX ix_search_doc_mobile_key ON search_doc (tenant_id, revops_phone_national(mobile_phone));
CREATE INDEX ix_search_doc_web_key ON search_doc (tenant_id, revops_web_host(website));
