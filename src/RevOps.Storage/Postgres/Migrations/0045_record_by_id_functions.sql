-- A record by its Id through a PL/pgSQL function per record table, so PostgreSQL keeps the look-up's plan (issue 25), as
-- 0044 did for the duplicate look-up. Reads go through Npgsql's multiplexed pool, which prepares nothing, so every get
-- by Id was parsed and planned again: with a contact's 39 columns, its row-level security policy and the table's
-- indexes, planning was 97 µs against 14 µs of running it (pg_stat_statements with track_planning, 20,000-contact
-- tenant, one client). A function's statement is planned once per connection; the caller's statement, a scan of the
-- function, plans in about 14 µs and runs in about 34 (the look-up inside it 8): 111 → 48 µs per get.
-- Each function answers the table's whole row (SETOF the table, so a column a later migration adds comes with it) and the
-- caller picks its columns and, for custom objects, the object_name. It runs as its caller (not SECURITY DEFINER): row-level
-- security holds every row it reads, and the tenant is a plain filter besides. The plan is generic by force, as in 0044:
-- the look-up has one sensible plan whatever the values, a seek of the primary key. (SQLite has no 0045.)
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['account', 'contact', 'lead', 'opportunity', 'task', 'event', 'users', 'content_version',
        'content_document', 'content_document_link', 'custom_object_records']
    LOOP
        EXECUTE format($f$
            CREATE FUNCTION %1$I(tenant uuid, record_id text) RETURNS SETOF %2$I
                LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET plan_cache_mode = force_generic_plan
                AS $body$
                BEGIN
                    RETURN QUERY SELECT * FROM %2$I r WHERE r.tenant_id = tenant AND r.id = record_id;
                END
                $body$;
            REVOKE ALL ON FUNCTION %1$I(uuid, text) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION %1$I(uuid, text) TO revops_tenant;
            $f$, 'revops_' || t || '_by_id', t);
    END LOOP;
END
$$;
