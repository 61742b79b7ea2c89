namespace RevOps.Storage.Sqlite;

/// <summary>
/// Settings for a process that loads many records in large transactions (revops demo-data): a page
/// cache big enough for the indexes being filled, so a transaction of thousands of rows does not
/// spill dirty pages to the WAL and read them back. The server never calls this.
/// </summary>
public static class SqliteBulkLoad
{
    public static Task PrepareAsync(SqliteDatabase db, int cacheMiB, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            // Negative cache_size is in KiB; it applies to this process's writer connection only. The
            // value is an int formatted here, not a caller's string.
            session.Execute($"PRAGMA cache_size = {-(long)cacheMiB * 1024}");
            return true;
        }, ct);
}
