namespace RevOps.Storage;

/// <summary>
/// Where the data lives: the SQLite file, unless a PostgreSQL connection string is given
/// (<c>revops serve --db "Host=…;Database=…"</c> or REVOPS_DB).
/// </summary>
public sealed record StorageLocation(string SqlitePath, string? PostgresConnectionString = null)
{
    public bool IsPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);
}
