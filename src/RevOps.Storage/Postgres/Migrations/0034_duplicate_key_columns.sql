-- The duplicate keys of search_doc become plain columns filled by its BEFORE trigger, indexed as they are.
-- Why: under row-level security PostgreSQL may not evaluate a caller's condition before the policy's unless
-- every function in it is LEAKPROOF, and lower(), revops_phone_national() and revops_web_host() are not (only a
-- superuser may mark one). So 0017's expression indexes were never used by the tenant role: each create ran
-- its duplicate look-up as a scan of the tenant's search_doc rows (measured with pg_stat_statements and
-- EXPLAIN as revops_tenant: 510 buffers, ~23 ms at 7,000 rows, most of a create's PostgreSQL CPU). A plain
-- column compared with = (texteq, leakproof) is an index condition again: 2 buffers.
-- The keys are the same expressions as 0017's; the trigger computes each once per write, where 0017's five
-- expression indexes computed them per index. (SQLite has no row-level security and keeps its 0017 indexes.)
ALTER TABLE search_doc
    ADD COLUMN email_key text COLLATE "C",
    ADD COLUMN name_key text COLLATE "C",
    ADD COLUMN phone_key text COLLATE "C",
    ADD COLUMN mobile_key text COLLATE "C",
    ADD COLUMN web_key text COLLATE "C";

CREATE OR REPLACE FUNCTION revops_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.document :=
        setweight(revops_words(NEW.name), 'A') ||
        setweight(revops_words(NEW.email) || revops_words(NEW.phone) || revops_words(NEW.mobile_phone) || revops_words(NEW.company), 'B') ||
        setweight(revops_words(NEW.title) || revops_words(NEW.website) || revops_words(NEW.city), 'C') ||
        setweight(to_tsvector('simple', 't' || replace(NEW.tenant_id::text, '-', '') || ' ' || revops_phone_tokens(NEW.phone) || ' ' || revops_phone_tokens(NEW.mobile_phone)), 'D');
    NEW.email_key := lower(NEW.email);
    NEW.name_key := lower(NEW.name);
    NEW.phone_key := revops_phone_national(NEW.phone);
    NEW.mobile_key := revops_phone_national(NEW.mobile_phone);
    NEW.web_key := revops_web_host(NEW.website);
    RETURN NEW;
END $$;

-- The rows already there (the table's owner is not held by the policies).
UPDATE search_doc SET email_key = lower(email), name_key = lower(name), phone_key = revops_phone_national(phone),
    mobile_key = revops_phone_national(mobile_phone), web_key = revops_web_host(website);

DROP INDEX ix_search_doc_email_key;
DROP INDEX ix_search_doc_name_key;
DROP INDEX ix_search_doc_phone_key;
DROP INDEX ix_search_doc_mobile_key;
DROP INDEX ix_search_doc_web_key;
CREATE INDEX ix_search_doc_email_key ON search_doc (tenant_id, email_key);
CREATE INDEX ix_search_doc_name_key ON search_doc (tenant_id, name_key);
CREATE INDEX ix_search_doc_phone_key ON search_doc (tenant_id, phone_key);
CREATE INDEX ix_search_doc_mobile_key ON search_doc (tenant_id, mobile_key);
CREATE INDEX ix_search_doc_web_key ON search_doc (tenant_id, web_key);

-- Entering a tenant as a statement that answers no rows, so it can lead the transaction's first statement in one
-- round trip (PostgresSession) without a result set of its own. The connections that run tenant transactions are
-- revops_tenant from their start, so a statement that ran before it would see no tenant's rows at all.
CREATE PROCEDURE revops_enter_tenant(tenant uuid) LANGUAGE sql AS $$ SELECT set_config('revops.tenant', tenant::text, true) $$;
