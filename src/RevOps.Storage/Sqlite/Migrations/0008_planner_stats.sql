-- What the query planner should assume about tenant data, written once instead of measured.
--
-- Without statistics SQLite guesses that an equality on an index's first column selects ~10 rows.
-- Every index here starts with tenant_id, so it took "tenant_id = ?" for a selective filter and, to
-- avoid a sort, walked a whole tenant in ORDER BY order: search_contacts by email (ORDER BY Name)
-- scanned all of a 1M-contact tenant through ix_contact_name instead of one ix_contact_email seek.
-- These rows say what is true of multi-tenant CRM data: a tenant holds many rows, an email or a
-- name picks out few. The numbers are shapes, not counts: "N rows, rows per tenant, rows per
-- tenant and next column, ...", see https://sqlite.org/fileformat2.html#stat1tab. They are not
-- re-measured (nothing runs ANALYZE), so plans do not change as data grows or when a small tenant
-- is queried; writing them scans nothing.

ANALYZE schema_migrations; -- creates sqlite_stat1 (analyzing this tiny table only)

INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('account', 'sqlite_autoindex_account_1', '1000000 10000 1'),
    ('account', 'ix_account_name', '1000000 10000 2'),
    ('account', 'ix_account_industry', '1000000 10000 300 2'),
    ('account', 'ix_account_parent', '1000000 10000 10'),
    ('account', 'ix_account_deleted', '10000 100 1'),
    ('contact', 'sqlite_autoindex_contact_1', '1000000 10000 1'),
    ('contact', 'ix_contact_email', '1000000 10000 1'),
    ('contact', 'ix_contact_phone', '1000000 10000 2'),
    ('contact', 'ix_contact_mobile', '1000000 10000 2'),
    ('contact', 'ix_contact_last_name', '1000000 10000 20'),
    ('contact', 'ix_contact_first_name', '1000000 10000 50'),
    ('contact', 'ix_contact_name', '1000000 10000 2'),
    ('contact', 'ix_contact_account', '1000000 10000 10'),
    ('contact', 'ix_contact_deleted', '10000 100 1'),
    ('lead', 'sqlite_autoindex_lead_1', '1000000 10000 1'),
    ('lead', 'ix_lead_email', '1000000 10000 1'),
    ('lead', 'ix_lead_name', '1000000 10000 2'),
    ('lead', 'ix_lead_last_name', '1000000 10000 20'),
    ('lead', 'ix_lead_company', '1000000 10000 5'),
    ('lead', 'ix_lead_status', '1000000 10000 2500 2000'),
    ('lead', 'ix_lead_deleted', '10000 100 1'),
    ('opportunity', 'sqlite_autoindex_opportunity_1', '1000000 10000 1'),
    ('opportunity', 'ix_opportunity_account', '1000000 10000 5'),
    ('opportunity', 'ix_opportunity_stage', '1000000 10000 1000 2'),
    ('opportunity', 'ix_opportunity_amount', '1000000 10000 5'),
    ('opportunity', 'ix_opportunity_close_date', '1000000 10000 20'),
    ('opportunity', 'ix_opportunity_name', '1000000 10000 2'),
    ('opportunity', 'ix_opportunity_deleted', '10000 100 1'),
    ('task', 'sqlite_autoindex_task_1', '1000000 10000 1'),
    ('task', 'ix_task_status', '1000000 10000 2000 10'),
    ('task', 'ix_task_activity_date', '1000000 10000 30'),
    ('task', 'ix_task_who', '1000000 10000 5'),
    ('task', 'ix_task_what', '1000000 10000 5'),
    ('task', 'ix_task_deleted', '10000 100 1'),
    ('event', 'sqlite_autoindex_event_1', '1000000 10000 1'),
    ('event', 'ix_event_start', '1000000 10000 2'),
    ('event', 'ix_event_who', '1000000 10000 5'),
    ('event', 'ix_event_what', '1000000 10000 5'),
    ('event', 'ix_event_deleted', '10000 100 1'),
    ('change_log', 'sqlite_autoindex_change_log_1', '1000000 10000 1'),
    ('change_log', 'ix_change_log_record', '1000000 10000 3 1'),
    ('change_log', 'ix_change_log_time', '1000000 10000 2'),
    ('change_log', 'ix_change_log_object', '1000000 10000 2000 1'),
    ('search_doc', 'ux_search_doc_record', '1000000 10000 1'),
    ('search_doc', 'ix_search_doc_account', '1000000 10000 5');

ANALYZE sqlite_schema; -- loads the rows above into this connection's planner (others read them when they open)
