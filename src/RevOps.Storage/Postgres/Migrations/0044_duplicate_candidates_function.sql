-- The duplicate look-up as a PL/pgSQL function, so PostgreSQL keeps its plans (issue 25). Reads go through Npgsql's
-- multiplexed pool, which does not prepare statements, so the look-up every create, lead and account makes was parsed and
-- planned on every call: 73–86 µs of planning against 15–20 µs of running it (pg_stat_statements with track_planning,
-- cluster benchmark), about a seventh of PostgreSQL's CPU per create. A PL/pgSQL function's statements are planned once per
-- connection and then run from the cached plan; the caller's statement, a function call, plans in a few µs (EXPLAIN
-- ANALYZE as the tenant role: 7 µs planning + 16–21 µs running, against 58–109 + 12–31 µs). The plan is generic by
-- force: left to choose, PostgreSQL priced the generic plan of "= ANY($n) LIMIT $m" above a custom one and planned
-- every call again inside the function too (pg_stat_statements: as many plans as calls). Each statement has one
-- sensible plan whatever the values: a seek of the key's index by tenant and key.
-- Each key's statement is the one SqlDialect.DuplicateCandidates writes for SQLite: the key's columns (a phone: Phone's and
-- MobilePhone's, joined by UNION), compared with = ANY, at most max rows. The function runs as its caller (not SECURITY
-- DEFINER): row-level security holds every row it reads, and the tenant is a plain filter besides. (SQLite has no 0044.)
CREATE FUNCTION revops_duplicate_candidates(tenant uuid, key text, keys text[], max bigint)
    RETURNS TABLE (object text, record_id text, name text, email text, phone text, mobile_phone text, company text, account_id text, website text)
    LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET plan_cache_mode = force_generic_plan
    AS $$
    BEGIN
        IF key = 'email' THEN
            RETURN QUERY SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.account_id, d.website
                FROM search_doc d WHERE d.tenant_id = tenant AND d.email_key = ANY(keys) LIMIT max;
        ELSIF key = 'name' THEN
            RETURN QUERY SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.account_id, d.website
                FROM search_doc d WHERE d.tenant_id = tenant AND d.name_key = ANY(keys) LIMIT max;
        ELSIF key = 'phone' THEN
            RETURN QUERY SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.account_id, d.website
                FROM search_doc d WHERE d.tenant_id = tenant AND d.phone_key = ANY(keys)
                UNION
                SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.account_id, d.website
                FROM search_doc d WHERE d.tenant_id = tenant AND d.mobile_key = ANY(keys)
                LIMIT max;
        ELSIF key = 'website' THEN
            RETURN QUERY SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.account_id, d.website
                FROM search_doc d WHERE d.tenant_id = tenant AND d.web_key = ANY(keys) LIMIT max;
        ELSE
            RAISE EXCEPTION 'revops_duplicate_candidates: unknown key %', key;
        END IF;
    END
    $$;
REVOKE ALL ON FUNCTION revops_duplicate_candidates(uuid, text, text[], bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION revops_duplicate_candidates(uuid, text, text[], bigint) TO revops_tenant;
