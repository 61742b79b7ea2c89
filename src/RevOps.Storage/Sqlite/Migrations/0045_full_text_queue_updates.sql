-- Changed and deleted search documents leave the two full-text indexes once per transaction too, as new ones reach them
-- since 0039. Why: 0039's update and delete triggers still removed the old terms (and indexed the new ones) in each
-- statement, and FTS5 flushes its pending terms at every statement's savepoint, so an import that updates records
-- spent about a quarter of the writer's time in FTS5's flush and merges (fts5HashEntrySort, sqlite3Fts5HashClear, …;
-- bench/results/2026-12-08-round-10.md).
--
-- fts_unindex holds, per document id, the values the indexes hold for it: the first change of an indexed document in a
-- transaction copies its old values there (later changes find it queued: nothing more is indexed for it until the
-- flush). The writer's flush (SqliteFullTextQueue) first removes those terms, then indexes the queued documents'
-- current values, just before COMMIT in the same transaction, so what commits is searchable as written and nothing
-- else. A document deleted while queued leaves the queue; its old terms, if it had any, are still in fts_unindex.
-- The trigram index is rewritten for every changed document, where 0039 skipped it when name, e-mail and company
-- stayed: at the flush a whole transaction's rows share one statement, which costs less than the skipped ones did.

CREATE TABLE fts_unindex (
    id INTEGER PRIMARY KEY,
    tenant_token TEXT, name TEXT, email TEXT, phone TEXT, mobile_phone TEXT, company TEXT, title TEXT, website TEXT, city TEXT, digits TEXT
);

DROP TRIGGER search_doc_ad;
DROP TRIGGER search_doc_au;

CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
    INSERT OR IGNORE INTO fts_unindex (id, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    SELECT OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id);
    DELETE FROM fts_queue WHERE id = OLD.id;
END;

CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
    INSERT OR IGNORE INTO fts_unindex (id, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    SELECT OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id);
    DELETE FROM fts_queue WHERE id = OLD.id AND OLD.id IS NOT NEW.id;
    INSERT OR IGNORE INTO fts_queue (id) VALUES (NEW.id);
END;
