-- Trigrams for the forgiving search (typos, and words that match nothing): a pg_trgm GIN index over
-- search_doc's name, email and company, so "Gibons" finds the documents holding a word spelt like
-- it and the domain checks each candidate's edit distance. An index on search_doc is in step with
-- it by construction: every write, soft delete, restore, merge, lead conversion or Account rename
-- reaches search_doc through its triggers (0007, 0008), and PostgreSQL maintains the index.
--
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, so a database owner may create
-- it. Where it cannot be created (not installed, no privilege, or it lives in a schema this one does
-- not see), the migration still succeeds, says so in a warning, and leaves the index out: search then
-- forgives words that match nothing but not typos (PostgresSearchSql checks for the index).

-- Lower case by ICU's root locale, as revops_words: the columns are COLLATE "C", whose lower() would fold ASCII only.
CREATE FUNCTION revops_trigram_text(name text, email text, company text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower((coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, '')) COLLATE "und-x-icu");

DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX ix_search_doc_trigram ON search_doc USING gin (revops_trigram_text(name, email, company) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'pg_trgm is not available (%): search_crm will forgive missing words but not typos. Install PostgreSQL''s contrib modules and run CREATE EXTENSION pg_trgm; CREATE INDEX ix_search_doc_trigram ON search_doc USING gin (revops_trigram_text(name, email, company) gin_trgm_ops) to turn it on.', SQLERRM;
END
$$;
