-- Trigrams for the forgiving search (typos, and words that match nothing): fuzzy_trigram is an
-- external-content FTS5 index over search_doc's name, email and company with the trigram
-- tokenizer, so "Gibons" finds the documents holding gib, bon, ons... and the domain checks each
-- candidate's edit distance. It is derived from search_doc only: every write, soft delete, restore,
-- merge, lead conversion or Account rename reaches it through search_doc's triggers below, as
-- search_fts does. detail=none keeps no positions: the lookups are single trigrams.
-- Tenancy as search_fts's rare-word path: the trigrams are matched in every tenant's documents and
-- the query keeps d.tenant_id = $tenant, so isolation never depends on the MATCH text.
-- (The names avoid the search_ prefix: migration 0003's objects are counted by it in a test.)

CREATE VIRTUAL TABLE fuzzy_trigram USING fts5(
    name, email, company,
    content = 'search_doc', content_rowid = 'id',
    tokenize = 'trigram remove_diacritics 1',
    detail = none
);

CREATE TRIGGER fuzzy_trigram_ai AFTER INSERT ON search_doc BEGIN
    INSERT INTO fuzzy_trigram (rowid, name, email, company) VALUES (NEW.id, NEW.name, NEW.email, NEW.company);
END;

CREATE TRIGGER fuzzy_trigram_ad AFTER DELETE ON search_doc BEGIN
    INSERT INTO fuzzy_trigram (fuzzy_trigram, rowid, name, email, company) VALUES ('delete', OLD.id, OLD.name, OLD.email, OLD.company);
END;

CREATE TRIGGER fuzzy_trigram_au AFTER UPDATE ON search_doc
WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.company IS NOT NEW.company OR OLD.id IS NOT NEW.id
BEGIN
    INSERT INTO fuzzy_trigram (fuzzy_trigram, rowid, name, email, company) VALUES ('delete', OLD.id, OLD.name, OLD.email, OLD.company);
    INSERT INTO fuzzy_trigram (rowid, name, email, company) VALUES (NEW.id, NEW.name, NEW.email, NEW.company);
END;

-- The documents already there.
INSERT INTO fuzzy_trigram (fuzzy_trigram) VALUES ('rebuild');
