using Microsoft.Data.Sqlite;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// The SQLite file: one writer (group commit) and a pool of read-only connections. Opening it
/// applies pending migrations and checks that every metadata field has its column.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    readonly SqliteReaderPool _readers;
    readonly SqliteWalCheckpointer _checkpointer;

    SqliteDatabase(string path, SqliteWriter writer, SqliteReaderPool readers, SqliteWalCheckpointer checkpointer, IReadOnlyList<int> applied)
    {
        _checkpointer = checkpointer;
        FilePath = path;
        Writer = writer;
        _readers = readers;
        AppliedMigrations = applied;
    }

    public string FilePath { get; }

    /// <summary>Migration versions this open applied (empty when the file was current).</summary>
    public override IReadOnlyList<int> AppliedMigrations { get; }

    public override string Kind => "SQLite";

    public override string Location => FilePath;

    internal SqliteWriter Writer { get; }

    internal override SqlDialect Dialect => SqliteDialect.Instance;

    /// <summary>Pulsed after every commit that appended to the change log (in this process).</summary>
    public override ChangeSignal Changes => Writer.Changes;

    public static SqliteDatabase Open(string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var baseline = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false };
        var writer = new SqliteWriter(new SqliteConnectionStringBuilder(baseline.ConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate }.ConnectionString);
        IReadOnlyList<int> applied;
        try
        {
            applied = SqliteMigrator.Apply(writer.Connection);
            SqliteSchemaCheck.Verify(writer.Connection);
        }
        catch
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        var readers = new SqliteReaderPool(new SqliteConnectionStringBuilder(baseline.ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ConnectionString,
            maxOpen: Math.Max(4, Environment.ProcessorCount * 2));
        var checkpointer = new SqliteWalCheckpointer(new SqliteConnectionStringBuilder(baseline.ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ConnectionString, writer.RequestWalRestart);
        return new SqliteDatabase(path, writer, readers, checkpointer, applied);
    }

    public override int SchemaVersion
    {
        get
        {
            using var lease = _readers.Rent();
            return SqliteMigrator.CurrentVersion(lease.Session.Connection);
        }
    }

    internal T Read<T>(Func<SqliteSession, T> read)
    {
        using var lease = _readers.Rent();
        return read(lease.Session);
    }

    internal Task<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken ct) => Writer.WriteAsync(work, ct);

    // No tenant setting to enter: SQLite has no row-level security, every statement filters on tenant_id itself.
    internal override Task<T> ReadAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> read, CancellationToken ct, bool snapshot = false)
    {
        using var lease = _readers.Rent();
        if (!snapshot) return Task.FromResult(Completed(read(lease.Session)));
        lease.Session.Execute("BEGIN");
        try
        {
            return Task.FromResult(Completed(read(lease.Session)));
        }
        finally
        {
            lease.Session.Execute("COMMIT");
        }
    }

    internal override Task<T> WriteAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> work, CancellationToken ct) =>
        Writer.WriteAsync(session => Completed(work(session)), ct);

    internal override Task WriteInEachTenantAsync(IEnumerable<TenantId> tenants, Func<SqlSession, TenantId, Task> work, CancellationToken ct) =>
        Writer.WriteAsync(session =>
        {
            foreach (var tenant in tenants) work(session, tenant).GetAwaiter().GetResult();
            return true;
        }, ct);

    internal override Task<T> ReadAcrossTenantsAsync<T>(Func<SqlSession, Task<T>> read, CancellationToken ct)
    {
        using var lease = _readers.Rent();
        return Task.FromResult(Completed(read(lease.Session)));
    }

    internal override Task<T> WriteAcrossTenantsAsync<T>(Func<SqlSession, Task<T>> work, CancellationToken ct) =>
        Writer.WriteAsync(session => Completed(work(session)), ct);

    internal override T ReadAcrossTenants<T>(Func<SqlSession, T> read)
    {
        using var lease = _readers.Rent();
        return read(lease.Session);
    }

    public override async ValueTask DisposeAsync()
    {
        _checkpointer.Dispose();
        await Writer.DisposeAsync();
        _readers.Dispose();
    }

    internal override Task CreateCustomFieldIndexAsync(Domain.Metadata.ObjectMetadata obj, Domain.Metadata.FieldMetadata field, CancellationToken ct) =>
        Writer.WriteAsync(session =>
        {
            session.Execute($"CREATE INDEX IF NOT EXISTS ix_{obj.Table}_cf_{field.Name.ToLowerInvariant()} ON {obj.Table} (tenant_id, {Dialect.Column(field)})");
            return 0;
        }, ct);
}
