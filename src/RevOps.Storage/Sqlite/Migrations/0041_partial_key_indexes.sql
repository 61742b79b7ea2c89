-- Indexes that skip the rows whose key is NULL (issue 25). A NULL key is never looked up: the duplicate look-ups
-- (DuplicateStore, VoiceStore) and the record filters on these columns compare with = / IN / ranges, which no NULL
-- satisfies. Yet every row wrote an entry into each of these B-trees inside the single writer's transaction, and most
-- rows have NULL here: a Contact has no website, an Account no e-mail, most records no mobile, many no phone or
-- Account. Measured with the writer's statements of a create (bench/results/2026-12-07-sqlite-create-btrees.md):
-- fewer WAL bytes and less writer CPU per created record.
--
-- SQLite uses a partial index only when the query's WHERE implies the index's condition; "x = ?", "x IN (...)" and
-- "x > ? AND x < ?" imply "x IS NOT NULL" for the same expression, so each condition below repeats the indexed
-- expression exactly. What no longer uses these indexes: a filter "Phone = null" (IS NULL) and an ORDER BY on one of
-- these columns without a filter on it; both now scan the tenant's rows (neither is a query any tool makes).
DROP INDEX ix_search_doc_email_key;
DROP INDEX ix_search_doc_phone_key;
DROP INDEX ix_search_doc_mobile_key;
DROP INDEX ix_search_doc_web_key;
CREATE INDEX ix_search_doc_email_key ON search_doc (tenant_id, lower(email)) WHERE lower(email) IS NOT NULL;
CREATE INDEX ix_search_doc_phone_key ON search_doc (tenant_id, substr(phone_digits, -10)) WHERE substr(phone_digits, -10) IS NOT NULL;
CREATE INDEX ix_search_doc_mobile_key ON search_doc (tenant_id, substr(mobile_digits, -10)) WHERE substr(mobile_digits, -10) IS NOT NULL;
CREATE INDEX ix_search_doc_web_key ON search_doc (tenant_id, web_host) WHERE web_host IS NOT NULL;

DROP INDEX ix_contact_phone;
DROP INDEX ix_contact_mobile;
DROP INDEX ix_contact_account;
CREATE INDEX ix_contact_phone ON contact (tenant_id, Phone) WHERE Phone IS NOT NULL;
CREATE INDEX ix_contact_mobile ON contact (tenant_id, MobilePhone) WHERE MobilePhone IS NOT NULL;
CREATE INDEX ix_contact_account ON contact (tenant_id, AccountId) WHERE AccountId IS NOT NULL;

-- DROP INDEX removed these indexes' rows of 0008's fixed statistics; the same shapes again (rows of the index, per
-- tenant, per tenant and key).
INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('contact', 'ix_contact_phone', '1000000 10000 2'),
    ('contact', 'ix_contact_mobile', '1000000 10000 2'),
    ('contact', 'ix_contact_account', '1000000 10000 10');
ANALYZE sqlite_schema;
