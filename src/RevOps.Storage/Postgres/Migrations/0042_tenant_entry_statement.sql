-- Entering the tenant as a plain INSERT … SELECT that inserts no row, instead of CALL revops_enter_tenant (0034).
-- Why: it leads every read statement and every write transaction, and the CALL was the costliest statement of a read
-- (pg_stat_statements under the cluster benchmark: 130–200 µs mean against 71 µs for the get by id it led). A CALL is a
-- utility statement: each one builds its call anew, plans its SQL body again and takes a snapshot of its own for it. An
-- INSERT … SELECT is prepared once per connection like any statement, answers no rows (so it can still lead the
-- caller's statement in one round trip without a result set of its own), and sets the tenant exactly as the procedure
-- did: set_config(…, true), gone when the transaction (or, outside BEGIN, the statement's implicit one) ends.
-- The table never holds a row: CHECK (false) rejects any, and the entry's SELECT yields none (set_config answers text,
-- never NULL). An INSERT of no rows takes no transaction id, so a read stays a read. (SQLite has no 0042.)
CREATE TABLE revops_tenant_entry (CHECK (false));
GRANT INSERT ON revops_tenant_entry TO revops_tenant;

-- search_doc's document with one revops_words call per weight instead of one per field: 9 calls became 4 (each an ICU
-- lower, a regexp_replace and a to_tsvector), the trigger's main cost on every record written. The same tsvector:
-- concat_ws skips NULLs as revops_words(NULL) is empty, the ' ' between fields is a separator like the non-alphanumerics
-- the regexp turns into one, and to_tsvector numbers the words of the joined text as || shifts the right operand's
-- positions past the left's (checked on every generated document of the benchmark's tenant: 0 of 3,832 differ;
-- PostgresSearchDocumentTests compares them on values with punctuation, NULLs, empty strings and non-Latin text).
CREATE OR REPLACE FUNCTION revops_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.document :=
        setweight(revops_words(NEW.name), 'A') ||
        setweight(revops_words(concat_ws(' ', NEW.email, NEW.phone, NEW.mobile_phone, NEW.company)), 'B') ||
        setweight(revops_words(concat_ws(' ', NEW.title, NEW.website, NEW.city)), 'C') ||
        setweight(to_tsvector('simple', 't' || replace(NEW.tenant_id::text, '-', '') || ' ' || revops_phone_tokens(NEW.phone) || ' ' || revops_phone_tokens(NEW.mobile_phone)), 'D');
    NEW.email_key := lower(NEW.email);
    NEW.name_key := lower(NEW.name);
    NEW.phone_key := revops_phone_national(NEW.phone);
    NEW.mobile_key := revops_phone_national(NEW.mobile_phone);
    NEW.web_key := revops_web_host(NEW.website);
    RETURN NEW;
END $$;
