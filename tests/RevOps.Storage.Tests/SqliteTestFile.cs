namespace RevOps.Storage.Tests;

/// <summary>A SQLite database in a directory of its own, for tests that watch the files themselves (the WAL, integrity).</summary>
public sealed class SqliteTestFile : IDisposable
{
    readonly string _directory;

    public SqliteTestFile(string name)
    {
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"revops-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "revops.db");
    }

    /// <summary>revops.db in the directory; its WAL is <c>Path + "-wal"</c>.</summary>
    public string Path { get; }

    /// <summary>SQLite's PRAGMA integrity_check over the file, on a connection of its own: "ok" when sound.</summary>
    public Task<object?> IntegrityCheckAsync(CancellationToken ct) => PragmaAsync("integrity_check", ct);

    /// <summary>The first value a PRAGMA answers for the file, read on a connection of its own (page_size, integrity_check).</summary>
    public async Task<object?> PragmaAsync(string pragma, CancellationToken ct)
    {
        await using var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path};Pooling=False");
        await file.OpenAsync(ct);
        await using var command = file.CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return await command.ExecuteScalarAsync(ct);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
