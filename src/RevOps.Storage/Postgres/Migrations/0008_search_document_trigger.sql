-- search_doc.document becomes a plain column filled by a BEFORE trigger instead of a generated column.
-- Same tokens and weights as 0007's. Why: a stored generated column's expression is planned again by
-- every single-row INSERT (its nine inlined revops_words calls), which cost ~600 µs per record written,
-- about a third of a create's PostgreSQL time; a PL/pgSQL trigger plans its expression once per
-- connection (measured: 650 -> 110 µs per single-row insert into search_doc).
-- (SQLite's 0008 is its planner statistics; the numbers stay aligned across dialects.)
ALTER TABLE search_doc DROP COLUMN document;
ALTER TABLE search_doc ADD COLUMN document tsvector;

CREATE FUNCTION revops_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.document :=
        setweight(revops_words(NEW.name), 'A') ||
        setweight(revops_words(NEW.email) || revops_words(NEW.phone) || revops_words(NEW.mobile_phone) || revops_words(NEW.company), 'B') ||
        setweight(revops_words(NEW.title) || revops_words(NEW.website) || revops_words(NEW.city), 'C') ||
        setweight(to_tsvector('simple', 't' || replace(NEW.tenant_id::text, '-', '') || ' ' || revops_phone_tokens(NEW.phone) || ' ' || revops_phone_tokens(NEW.mobile_phone)), 'D');
    RETURN NEW;
END $$;

-- The documents already there, in one statement (row-level security does not apply to the table's owner).
UPDATE search_doc SET document =
    setweight(revops_words(name), 'A') ||
    setweight(revops_words(email) || revops_words(phone) || revops_words(mobile_phone) || revops_words(company), 'B') ||
    setweight(revops_words(title) || revops_words(website) || revops_words(city), 'C') ||
    setweight(to_tsvector('simple', 't' || replace(tenant_id::text, '-', '') || ' ' || revops_phone_tokens(phone) || ' ' || revops_phone_tokens(mobile_phone)), 'D');

CREATE TRIGGER search_document BEFORE INSERT OR UPDATE ON search_doc FOR EACH ROW EXECUTE FUNCTION revops_search_document();
CREATE INDEX ix_search_doc_document ON search_doc USING gin (document);
