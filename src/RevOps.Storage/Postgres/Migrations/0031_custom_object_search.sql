-- Custom-object records join search: one search_doc row per live record, its Name as the document's name and
-- object_name as its object, kept by a trigger as 0007's revops_search_refresh keeps the standard objects'. SQLite's
-- 0031 is the same change. search_doc already has row-level security (0007); the trigger runs as the writer.
CREATE FUNCTION revops_search_refresh_custom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.IsDeleted = OLD.IsDeleted AND NEW.Name COLLATE "C" IS NOT DISTINCT FROM OLD.Name COLLATE "C" THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_doc WHERE tenant_id = OLD.tenant_id AND record_id = OLD.Id;
    END IF;
    IF TG_OP <> 'DELETE' AND NOT NEW.IsDeleted AND NEW.Name IS NOT NULL THEN
        INSERT INTO search_doc (tenant_id, object, record_id, name) VALUES (NEW.tenant_id, NEW.object_name, NEW.Id, NEW.Name);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_refresh AFTER INSERT OR UPDATE OR DELETE ON custom_object_records FOR EACH ROW EXECUTE FUNCTION revops_search_refresh_custom();

INSERT INTO search_doc (tenant_id, object, record_id, name)
SELECT tenant_id, object_name, Id, Name FROM custom_object_records WHERE NOT IsDeleted AND Name IS NOT NULL;
