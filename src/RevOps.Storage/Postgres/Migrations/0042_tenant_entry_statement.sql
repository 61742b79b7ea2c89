-- Entering the tenant as a plain INSERT … SELECT that inserts no row, instead of CALL revops_enter_tenant (0034).
-- Why: it leads every read statement and every write transaction, and the CALL was the costliest statement of a read
-- (pg_stat_statements under the cluster benchmark: 130–200 µs mean against 71 µs for the get by id it led). A CALL is a
-- utility statement: each one builds its call anew, plans its SQL body again and takes a snapshot of its own for it. An
-- INSERT … SELECT is prepared once per connection like any statement, answers no rows (so it can still lead the
-- caller's statement in one round trip without a result set of its own), and sets the tenant exactly as the procedure
-- did: set_config(…, true), gone when the transaction (or, outside BEGIN, the statement's implicit one) ends.
-- The table never holds a row: CHECK (false) rejects any, and the entry's SELECT yields none (set_config answers text,
-- never NULL). An INSERT of no rows takes no transaction id, so a read stays a read. (SQLite has no 0042.)
-- revops_enter_tenant stays: a node of the previous release, on the same database during a rolling upgrade, still calls it.
CREATE TABLE revops_tenant_entry (CHECK (false));
GRANT INSERT ON revops_tenant_entry TO revops_tenant;
