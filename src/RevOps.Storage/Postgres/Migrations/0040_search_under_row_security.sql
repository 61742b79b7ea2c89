-- Search that uses its GIN indexes under row-level security. For the revops_tenant role PostgreSQL applies the
-- tenant_wall policy first and uses a query's own conditions as index conditions only if their functions are LEAKPROOF;
-- @@ (ts_match_vq) and pg_trgm's <% are not, so every search read the tenant's whole search_doc through the tenant_id
-- index and tested each document: 219 ms for a 20,000-contact tenant against 0.8 ms with the GIN index (EXPLAIN ANALYZE,
-- same query, revops_tenant against the owner), growing with the tenant.
--
-- These functions run as their owner, which the policies do not hold (RLS is enabled, not forced), and filter on the
-- transaction's tenant themselves, with the very expression the policy uses: a caller sees exactly the rows the policy
-- would show it, found through the index. Without a tenant entered they return nothing. search_path is fixed at
-- creation, so a caller's own objects cannot stand in for ours.
-- Each statement is planned for the call's own values (EXECUTE … USING): planned once for any query, as a SQL
-- function's body is, PostgreSQL prices a GIN scan for an unknown tsquery as a scan of the whole index and reads the
-- tenant's documents instead.
CREATE FUNCTION revops_search_doc_match(query tsquery) RETURNS SETOF search_doc
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$
    BEGIN
        RETURN QUERY EXECUTE 'SELECT * FROM search_doc d WHERE d.tenant_id = $2 AND d.document @@ $1'
            USING query, revops_current_tenant();
    END
    $$;
REVOKE ALL ON FUNCTION revops_search_doc_match(tsquery) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION revops_search_doc_match(tsquery) TO revops_tenant;

-- The forgiving search's candidates: documents whose name, email or company holds a word spelt like one of the probes
-- with a word similarity of at least 0.3 (loose: the domain checks the real edit distance), through 0016's trigram
-- index, one index scan per probe; a document like two probes comes twice. Only where pg_trgm is installed, as 0016's
-- index; an index made by hand later, as 0016's warning says, needs this statement run too, or search forgives missing
-- words but not typos.
DO $do$
BEGIN
    IF to_regclass('ix_search_doc_trigram') IS NOT NULL THEN
        CREATE FUNCTION revops_search_doc_similar(probes text[]) RETURNS SETOF search_doc
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
            AS $$
            DECLARE
                probe text;
            BEGIN
                -- For the rest of the transaction; <% is used nowhere else.
                PERFORM set_config('pg_trgm.word_similarity_threshold', '0.3', true);
                FOREACH probe IN ARRAY probes LOOP
                    RETURN QUERY EXECUTE
                        'SELECT * FROM search_doc d WHERE d.tenant_id = $2 AND $1 <% revops_trigram_text(d.name, d.email, d.company)'
                        USING probe, revops_current_tenant();
                END LOOP;
            END
            $$;
        REVOKE ALL ON FUNCTION revops_search_doc_similar(text[]) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION revops_search_doc_similar(text[]) TO revops_tenant;
    END IF;
END
$do$;
