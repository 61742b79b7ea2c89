-- Custom-object records join search (search_crm, /api/search, SOSL): one search_doc row per live record, its Name as the
-- document's name and object_name as its object, written by triggers as 0003 does for the standard objects, so every
-- channel's write, soft delete, restore and cascade reaches the index. A Name-less record (none yet) is not indexed.
-- PostgreSQL's 0031 is the same change.

CREATE TRIGGER search_custom_ai AFTER INSERT ON custom_object_records WHEN NEW.IsDeleted = 0 AND NEW.Name IS NOT NULL BEGIN
    INSERT INTO search_doc (tenant_id, object, record_id, name) VALUES (NEW.tenant_id, NEW.object_name, NEW.Id, NEW.Name);
END;

CREATE TRIGGER search_custom_au AFTER UPDATE ON custom_object_records
WHEN OLD.IsDeleted IS NOT NEW.IsDeleted OR OLD.Name IS NOT NEW.Name COLLATE BINARY
BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    INSERT INTO search_doc (tenant_id, object, record_id, name)
    SELECT NEW.tenant_id, NEW.object_name, NEW.Id, NEW.Name WHERE NEW.IsDeleted = 0 AND NEW.Name IS NOT NULL;
END;

CREATE TRIGGER search_custom_ad AFTER DELETE ON custom_object_records BEGIN
    DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
END;

INSERT INTO search_doc (tenant_id, object, record_id, name)
SELECT tenant_id, object_name, Id, Name FROM custom_object_records WHERE IsDeleted = 0 AND Name IS NOT NULL;
