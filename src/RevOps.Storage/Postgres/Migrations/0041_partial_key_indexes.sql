-- Indexes that skip the rows whose key is NULL (issue 25; SQLite's 0041 in PostgreSQL's terms). No look-up asks for a
-- NULL key: the duplicate look-ups compare 0034's key columns with = ANY(...) and the record filters compare Phone,
-- MobilePhone and AccountId with =, ranges or LIKE, all strict, so the planner proves "IS NOT NULL" from them and keeps
-- using these indexes (checked with EXPLAIN as the tenant role, DuplicateLookupContractTests). Yet every row wrote an
-- entry into each of them, and most rows have NULL there: a Contact has no website, an Account no e-mail, most records
-- no mobile, many no phone or Account. What no longer uses them: a filter "= null" (IS NULL) or an ORDER BY on one of
-- these columns without a filter on it.
DROP INDEX ix_search_doc_email_key;
DROP INDEX ix_search_doc_phone_key;
DROP INDEX ix_search_doc_mobile_key;
DROP INDEX ix_search_doc_web_key;
CREATE INDEX ix_search_doc_email_key ON search_doc (tenant_id, email_key) WHERE email_key IS NOT NULL;
CREATE INDEX ix_search_doc_phone_key ON search_doc (tenant_id, phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX ix_search_doc_mobile_key ON search_doc (tenant_id, mobile_key) WHERE mobile_key IS NOT NULL;
CREATE INDEX ix_search_doc_web_key ON search_doc (tenant_id, web_key) WHERE web_key IS NOT NULL;

DROP INDEX ix_contact_phone;
DROP INDEX ix_contact_mobile;
DROP INDEX ix_contact_account;
CREATE INDEX ix_contact_phone ON contact (tenant_id, Phone) WHERE Phone IS NOT NULL;
CREATE INDEX ix_contact_mobile ON contact (tenant_id, MobilePhone) WHERE MobilePhone IS NOT NULL;
CREATE INDEX ix_contact_account ON contact (tenant_id, AccountId) WHERE AccountId IS NOT NULL;
