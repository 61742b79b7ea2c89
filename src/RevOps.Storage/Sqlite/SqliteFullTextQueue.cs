namespace RevOps.Storage.Sqlite;

/// <summary>
/// Indexes the search documents a transaction queued (migration 0039's <c>fts_queue</c>) in both full-text indexes, with
/// one statement per index, just before the writer commits. Why: FTS5 flushes its pending terms at every statement's
/// savepoint, so indexing row by row from the triggers cost about 165 µs per row against about 25 for rows that share
/// a statement (bench/results/2026-12-06-import-speed-3.md). Same transaction, so what commits is searchable at once.
/// </summary>
internal sealed class SqliteFullTextQueue
{
    const string Queued = "SELECT EXISTS (SELECT 1 FROM fts_queue)";
    const string IndexWords =
        "INSERT INTO search_fts (rowid, tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits) " +
        "SELECT d.id, d.tenant_token, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city, d.digits " +
        "FROM fts_queue q JOIN search_doc d ON d.id = q.id ORDER BY q.id";
    const string IndexTrigrams =
        "INSERT INTO fuzzy_trigram (rowid, name, email, company) " +
        "SELECT d.id, d.name, d.email, d.company FROM fts_queue q JOIN search_doc d ON d.id = q.id ORDER BY q.id";
    const string Clear = "DELETE FROM fts_queue";

    // The writer's connection also runs the migrations, and until 0039 has run there is no queue; checked again whenever
    // the schema changes (schema_version moves with every CREATE or DROP), not on every commit.
    long _checkedSchema = -1;
    bool _exists;

    public void Flush(SqliteSession session)
    {
        long schema = (long)session.Command("PRAGMA schema_version").ExecuteScalar()!;
        if (schema != _checkedSchema)
        {
            _exists = session.Command("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'fts_queue')").ExecuteScalar() is 1L;
            _checkedSchema = schema;
        }
        if (!_exists || session.Command(Queued).ExecuteScalar() is not 1L) return;
        session.Command(IndexWords).ExecuteNonQuery();
        session.Command(IndexTrigrams).ExecuteNonQuery();
        session.Command(Clear).ExecuteNonQuery();
    }
}
