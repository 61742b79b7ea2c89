namespace RevOps.Storage.Sqlite;

/// <summary>
/// Takes the old terms of the search documents a transaction changed or deleted (migration 0045's <c>fts_unindex</c>) out of
/// both full-text indexes, then indexes the documents it queued (0039's <c>fts_queue</c>), one statement per index for
/// each, just before the writer commits. Why: FTS5 flushes its pending terms at every statement's savepoint, so indexing
/// row by row from the triggers cost about 165 µs per row against about 25 for rows that share a statement
/// (bench/results/2026-12-06-import-speed-3.md). Same transaction, so what commits is searchable at once.
/// </summary>
internal sealed class SqliteFullTextQueue
{
    /// <summary>1: documents to index; 2: old terms to take out; 3: both.</summary>
    const string Queued = "SELECT EXISTS (SELECT 1 FROM fts_queue) | (EXISTS (SELECT 1 FROM fts_unindex) << 1)";
    const string QueuedBefore0045 = "SELECT EXISTS (SELECT 1 FROM fts_queue)";
    const string UnindexWords =
        "INSERT INTO search_fts (search_fts, rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits) " +
        "SELECT 'delete', id, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits FROM fts_unindex ORDER BY id";
    const string UnindexTrigrams =
        "INSERT INTO fuzzy_trigram (fuzzy_trigram, rowid, name, email, company) SELECT 'delete', id, name, email, company FROM fts_unindex ORDER BY id";
    const string ClearUnindexed = "DELETE FROM fts_unindex";
    const string IndexWords =
        "INSERT INTO search_fts (rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits) " +
        "SELECT d.id, d.tenant_token, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city, d.digits " +
        "FROM fts_queue q JOIN search_doc d ON d.id = q.id ORDER BY q.id";
    const string IndexTrigrams =
        "INSERT INTO fuzzy_trigram (rowid, name, email, company) " +
        "SELECT d.id, d.name, d.email, d.company FROM fts_queue q JOIN search_doc d ON d.id = q.id ORDER BY q.id";
    const string Clear = "DELETE FROM fts_queue";

    // The writer's connection also runs the migrations, and until 0039 (0045) has run there is no queue (no fts_unindex);
    // checked again whenever the schema changes (schema_version moves with every CREATE or DROP), not on every commit.
    long _checkedSchema = -1;
    bool _exists, _unindexes;

    public void Flush(SqliteSession session)
    {
        long schema = (long)session.Command("PRAGMA schema_version").ExecuteScalar()!;
        if (schema != _checkedSchema)
        {
            _exists = session.Command("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fts_queue')").ExecuteScalar() is 1L;
            _unindexes = session.Command("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fts_unindex')").ExecuteScalar() is 1L;
            _checkedSchema = schema;
        }
        if (!_exists || session.Command(_unindexes ? Queued : QueuedBefore0045).ExecuteScalar() is not long queued || queued == 0) return;
        // Old terms first: a document changed twice, or deleted and its id used again, is taken out as it was indexed and put back as it is.
        if ((queued & 2) != 0)
        {
            session.Command(UnindexWords).ExecuteNonQuery();
            session.Command(UnindexTrigrams).ExecuteNonQuery();
            session.Command(ClearUnindexed).ExecuteNonQuery();
        }
        if ((queued & 1) == 0) return;
        session.Command(IndexWords).ExecuteNonQuery();
        session.Command(IndexTrigrams).ExecuteNonQuery();
        session.Command(Clear).ExecuteNonQuery();
    }
}
