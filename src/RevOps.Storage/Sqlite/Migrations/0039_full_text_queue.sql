-- New search documents reach the two full-text indexes (search_fts, fuzzy_trigram) once per transaction instead of
-- once per statement. Why: every statement that fires these triggers runs under a statement savepoint, and FTS5
-- flushes its pending terms at each one; the two indexes cost about 165 µs per row written one statement at a time
-- against about 25 when many rows share a statement (bench/results/2026-12-06-import-speed-3.md).
--
-- A new search_doc row only records its id in fts_queue; the single writer indexes the whole queue with one
-- INSERT … SELECT per index just before COMMIT, in the same transaction (SqliteFullTextQueue), so a committed
-- document is always searchable and a rolled-back one never was. Deletes and updates of documents already indexed
-- still remove their old terms at once (FTS5 needs the values it indexed); a document still queued has nothing
-- indexed yet, so its update needs nothing and its delete only leaves the queue. A write that commits without the
-- writer (plain SQL in the sqlite3 shell) is indexed by the writer's next commit.

CREATE TABLE fts_queue (id INTEGER PRIMARY KEY);

DROP TRIGGER search_doc_ai;
DROP TRIGGER search_doc_ad;
DROP TRIGGER search_doc_au;
DROP TRIGGER fuzzy_trigram_ai;
DROP TRIGGER fuzzy_trigram_ad;
DROP TRIGGER fuzzy_trigram_au;

CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
    INSERT OR IGNORE INTO fts_queue (id) VALUES (NEW.id);
END;

CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
    INSERT INTO search_fts (search_fts, rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    SELECT 'delete', OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id);
    INSERT INTO fuzzy_trigram (fuzzy_trigram, rowid, name, email, company)
    SELECT 'delete', OLD.id, OLD.name, OLD.email, OLD.company
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id);
    DELETE FROM fts_queue WHERE id = OLD.id;
END;

CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
    INSERT INTO search_fts (search_fts, rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    SELECT 'delete', OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id);
    INSERT INTO search_fts (rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits)
    SELECT NEW.id, NEW.tenant_token, NEW.name, NEW.email, NEW.phone, NEW.mobile_phone, NEW.company, NEW.title, NEW.website, NEW.city, NEW.digits
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id);
    INSERT INTO fuzzy_trigram (fuzzy_trigram, rowid, name, email, company)
    SELECT 'delete', OLD.id, OLD.name, OLD.email, OLD.company
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id)
      AND (OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.company IS NOT NEW.company OR OLD.id IS NOT NEW.id);
    INSERT INTO fuzzy_trigram (rowid, name, email, company)
    SELECT NEW.id, NEW.name, NEW.email, NEW.company
    WHERE NOT EXISTS (SELECT 1 FROM fts_queue WHERE id = OLD.id)
      AND (OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.company IS NOT NEW.company OR OLD.id IS NOT NEW.id);
    UPDATE fts_queue SET id = NEW.id WHERE id = OLD.id AND OLD.id IS NOT NEW.id;
END;
