using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// The SQLite file: one writer (group commit) and a pool of read-only connections. Opening it
/// applies pending migrations and checks that every metadata field has its column.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    readonly ReaderPool _readers;
    readonly WalCheckpointer _checkpointer;

    SqliteDatabase(string path, SqliteWriter writer, ReaderPool readers, WalCheckpointer checkpointer, IReadOnlyList<int> applied)
    {
        _checkpointer = checkpointer;
        FilePath = path;
        Writer = writer;
        _readers = readers;
        AppliedMigrations = applied;
    }

    public string FilePath { get; }

    /// <summary>Migration versions this open applied (empty when the file was current).</summary>
    public IReadOnlyList<int> AppliedMigrations { get; }

    internal SqliteWriter Writer { get; }

    /// <summary>Pulsed after every commit that appended to the change log (in this process).</summary>
    public ChangeSignal Changes => Writer.Changes;
    /// <summary>Raised per tenant after commits that wrote change-log rows, for live change feeds.</summary>
    internal ChangeLog.TenantChangeSignal TenantChanges { get; } = new();

    public static SqliteDatabase Open(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var baseline = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        var writer = new SqliteWriter(new SqliteConnectionStringBuilder(baseline.ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate }.ConnectionString);
        IReadOnlyList<int> applied;
        try
        {
            applied = Migrator.Apply(writer.Connection);
            SchemaCheck.Verify(writer.Connection);
        }
        catch
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        var readers = new ReaderPool(new SqliteConnectionStringBuilder(baseline.ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ConnectionString,
            maxOpen: Math.Max(4, Environment.ProcessorCount * 2));
        var checkpointer = new WalCheckpointer(new SqliteConnectionStringBuilder(baseline.ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ConnectionString);
        return new SqliteDatabase(path, writer, readers, checkpointer, applied);
    }

    public int SchemaVersion
    {
        get
        {
            using var lease = _readers.Rent();
            return Migrator.CurrentVersion(lease.Session.Connection);
        }
    }

    internal T Read<T>(Func<SqliteSession, T> read)
    {
        using var lease = _readers.Rent();
        return read(lease.Session);
    }

    /// <summary>A reader connection held by the caller, for reads that span awaits (a tenant copy's one snapshot); dispose to hand it back.</summary>
    internal ReaderPool.Lease RentReader() => _readers.Rent();

    internal Task<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken ct) => Writer.WriteAsync(work, ct);

    public async ValueTask DisposeAsync()
    {
        _checkpointer.Dispose();
        await Writer.DisposeAsync();
        _readers.Dispose();
    }
}
