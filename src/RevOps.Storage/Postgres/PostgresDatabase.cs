using System.Data;
using Npgsql;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// A PostgreSQL database and the one way in to its tenant data: <see cref="InTenantAsync"/> runs
/// work in a transaction that has switched to the revops_tenant role and set revops.tenant for
/// that transaction only, so row-level security (0007_baseline.sql) admits that tenant's rows and
/// no others, even to a statement that forgot its tenant_id filter. Every statement still filters
/// on tenant_id itself, which is what the tenant-first indexes serve.
///
/// <see cref="AsOperatorAsync"/> runs as the connecting user, which owns the tables and is not
/// held by the policies. It is for the few statements that must see every tenant and say so where
/// they are written: finding an API key by its hash (authentication, before there is a tenant) or
/// by its id (the CLI's revoke), listing tenants, batched last-use times of keys, and the webhook
/// dispatcher's scans of what is due across tenants; and DDL, the custom-field index builds.
/// </summary>
internal sealed class PostgresDatabase : SqlDatabase
{
    /// <summary>The role tenant transactions run as: no superuser, no BYPASSRLS, so the policies hold.</summary>
    public const string TenantRole = "revops_tenant";

    const string EnterTenant = "SELECT set_config('role', '" + TenantRole + "', true), set_config('revops.tenant', @tenant, true)";

    readonly NpgsqlDataSource _source;
    readonly NpgsqlDataSource _tenantSource;
    readonly NpgsqlDataSource _tenantReads;
    readonly Lazy<PostgresNoticeLink> _noticeLink;
    readonly PostgresGroupCommit _writes;

    PostgresDatabase(NpgsqlDataSource source, NpgsqlDataSource tenantSource, NpgsqlDataSource tenantReads, string connectionString, string location, IReadOnlyList<int> applied)
    {
        _source = source;
        _tenantSource = tenantSource;
        _tenantReads = tenantReads;
        _writes = new PostgresGroupCommit(tenantSource, Changes, DropIdleConnections);
        _noticeLink = new(() => new PostgresNoticeLink(source, connectionString));
        Location = location;
        AppliedMigrations = applied;
    }

    public override string Kind => "PostgreSQL";

    public override string Location { get; }

    public override IReadOnlyList<int> AppliedMigrations { get; }

    internal override SqlDialect Dialect => PostgresDialect.Instance;

    /// <summary>Pulsed after every commit in this process that appended to the change log.</summary>
    public override ChangeSignal Changes { get; } = new();

    /// <summary>LISTEN/NOTIFY, made on first use.</summary>
    public override INodeNoticeLink NoticeLink => _noticeLink.Value;

    public static PostgresDatabase Open(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Statements run often enough are prepared on each pooled connection and reused.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 256;
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "revops";
        // Nothing we do outlives its transaction (the tenant role and setting are set_config(…, true), advisory
        // locks are xact locks, no LISTEN or temp tables), so a pooled connection needs no DISCARD-style reset
        // when it goes back: that reset was six statements on every use, ~10% of PostgreSQL's time per write.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        string location = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            using var connection = source.OpenConnection();
            var applied = PostgresMigrator.Apply(connection);
            PostgresSchemaCheck.Verify(connection);
            return new PostgresDatabase(source, TenantSource(builder), TenantSource(builder, multiplexed: true), builder.ConnectionString, location, applied);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The pool of tenant transactions: each connection is revops_tenant from its start, so row-level security holds
    /// every statement it runs, and one that ran before the tenant was entered would see no rows at all. Its own
    /// application name tells its sessions apart in pg_stat_activity.
    /// </summary>
    static NpgsqlDataSource TenantSource(NpgsqlConnectionStringBuilder operatorSettings, bool multiplexed = false)
    {
        var builder = new NpgsqlConnectionStringBuilder(operatorSettings.ConnectionString);
        builder.Options = $"{builder.Options} -c role={TenantRole}".Trim();
        builder.ApplicationName = builder.ApplicationName + (multiplexed ? "-tenant-reads" : "-tenant");
        builder.Multiplexing = multiplexed;
        // A group commit sending several writes in one batch learns which of them failed from the failed statement.
        builder.IncludeFailedBatchedCommand = !multiplexed;
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override int SchemaVersion
    {
        get
        {
            try
            {
                using var connection = _source.OpenConnection();
                return PostgresMigrator.CurrentVersion(connection);
            }
            catch (Exception e) when (IsBrokenConnection(e))
            {
                DropIdleConnections();
                throw;
            }
        }
    }

    /// <summary>PostgreSQL went away under a connection: a connection or operator-intervention error, or the socket failed.</summary>
    internal static bool IsBrokenConnection(Exception e) =>
        e is PostgresException { SqlState: ['0', '8', ..] or ['5', '7', ..] }
        || (e is NpgsqlException and not PostgresException) || e is IOException or System.Net.Sockets.SocketException;

    /// <summary>
    /// After a broken connection (PostgreSQL restarted, failed over or went away) the idle ones in both pools are dead
    /// too. Npgsql hands them out until each fails once, so without this every request after a restart could fail once
    /// per pooled connection, and the tenant pool, which /ready's probe never touches, would keep them longest.
    /// </summary>
    void DropIdleConnections()
    {
        _source.Clear();
        _tenantSource.Clear();
        _tenantReads.Clear();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction scoped to <paramref name="tenant"/> and commits
    /// it; an exception rolls everything back. <paramref name="isolation"/> RepeatableRead gives every
    /// statement of the work one snapshot (a count and the page it belongs to). The tenant pool's connections are
    /// revops_tenant from their start and the session's first statement enters the tenant (PostgresSession), so BEGIN,
    /// the tenant and the first statement make one round trip.
    /// </summary>
    Task<T> InTenantAsync<T>(TenantId tenant, Func<NpgsqlConnection, Task<T>> work, CancellationToken ct,
        IsolationLevel isolation = IsolationLevel.ReadCommitted) =>
        InTransactionAsync(_tenantSource, isolation, work, ct);

    /// <summary>
    /// Opens a connection from <paramref name="source"/>, runs <paramref name="work"/> in one transaction and commits it;
    /// an exception rolls everything back, and a broken connection empties both pools (see <see cref="DropIdleConnections"/>).
    /// </summary>
    async Task<T> InTransactionAsync<T>(NpgsqlDataSource source, IsolationLevel isolation, Func<NpgsqlConnection, Task<T>> work,
        CancellationToken ct)
    {
        try
        {
            await using var connection = await source.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(isolation, ct);
            var result = await work(connection);
            await transaction.CommitAsync(ct);
            return result;
        }
        catch (Exception e) when (IsBrokenConnection(e))
        {
            DropIdleConnections();
            throw;
        }
    }

    internal override Task<T> ReadAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> read, CancellationToken ct, bool snapshot = false) =>
        snapshot
            ? InTenantAsync(tenant, async connection =>
            {
                await using var session = new PostgresSession(connection, tenant);
                return await read(session);
            }, ct, IsolationLevel.RepeatableRead)
            : ReadStatementByStatementAsync(tenant, read, ct);

    /// <summary>
    /// A read at READ COMMITTED takes a new snapshot per statement anyway, so it needs no transaction of its own: each
    /// statement runs in the implicit transaction PostgreSQL gives the messages before a Sync, led by the tenant's entry
    /// (<see cref="PostgresSession"/>). A one-statement read is then one round trip, with no BEGIN and no COMMIT.
    /// </summary>
    async Task<T> ReadStatementByStatementAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> read, CancellationToken ct)
    {
        try
        {
            await using var connection = await _tenantReads.OpenConnectionAsync(ct);
            await using var session = new PostgresSession(connection, tenant, enterEveryStatement: true);
            return await read(session);
        }
        catch (Exception e) when (IsBrokenConnection(e))
        {
            DropIdleConnections();
            throw;
        }
    }

    /// <summary>Concurrent writes of one tenant share transactions (<see cref="PostgresGroupCommit"/>).</summary>
    internal override Task<T> WriteAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> work, CancellationToken ct) =>
        _writes.WriteAsync(tenant, work, ct);

    /// <summary>Such writes queued together go to PostgreSQL in one round trip (<see cref="PostgresGroupCommit"/>).</summary>
    internal override Task<T> WriteStatementsAsync<T>(TenantId tenant, Func<SqlSession, SqlStatements> statements, Func<SqlSession, object?, T> result,
        CancellationToken ct) =>
        _writes.WriteStatementsAsync(tenant, statements, result, ct);

    internal override Task<T> WriteAcrossTenantsAsync<T>(Func<SqlSession, Task<T>> work, CancellationToken ct) =>
        AsOperatorAsync(async connection =>
        {
            await using var session = new PostgresSession(connection);
            return await work(session);
        }, ct);

    internal override Task WriteInEachTenantAsync(IEnumerable<TenantId> tenants, Func<SqlSession, TenantId, Task> work, CancellationToken ct) =>
        InEachTenantAsync(tenants, async (connection, tenant) =>
        {
            await using var session = new PostgresSession(connection);
            await work(session, tenant);
        }, ct);

    internal override Task<T> ReadAcrossTenantsAsync<T>(Func<SqlSession, Task<T>> read, CancellationToken ct) =>
        AsOperatorAsync(async connection =>
        {
            await using var session = new PostgresSession(connection);
            return await read(session);
        }, ct);

    internal override T ReadAcrossTenants<T>(Func<SqlSession, T> read) =>
        AsOperator(connection =>
        {
            using var session = new PostgresSession(connection);
            return read(session);
        });

    /// <summary>
    /// One transaction that visits several tenants in turn (the usage flush): before each tenant's
    /// work the setting moves to that tenant, so each step sees only its own tenant's rows.
    /// </summary>
    async Task InEachTenantAsync(IEnumerable<TenantId> tenants, Func<NpgsqlConnection, TenantId, Task> work, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var tenant in tenants)
        {
            await using (var enter = new NpgsqlCommand(EnterTenant, connection, transaction))
            {
                enter.Parameters.AddWithValue("tenant", tenant.ToString());
                await enter.ExecuteNonQueryAsync(ct);
            }
            await work(connection, tenant);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>Runs cross-tenant work (see the class summary for the only statements that may) in one transaction.</summary>
    Task<T> AsOperatorAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct) =>
        InTransactionAsync(_source, IsolationLevel.Unspecified, work, ct);

    /// <summary>A synchronous cross-tenant read, for callers that cannot wait asynchronously (metrics gauges).</summary>
    T AsOperator<T>(Func<NpgsqlConnection, T> read)
    {
        using var connection = _source.OpenConnection();
        return read(connection);
    }

    /// <summary>Any fixed number: holders build indexes one at a time, whichever node they run on.</summary>
    const long IndexBuildLock = 0x5265764f7049; // "RevOpI"

    /// <summary>
    /// Runs <paramref name="createConcurrently"/> (CREATE INDEX CONCURRENTLY, outside any transaction, as the
    /// operator) unless a valid index <paramref name="name"/> exists; a build that failed half-way leaves an
    /// invalid index, which is dropped and built again. Builds take turns: two concurrent builds on one table
    /// wait for each other's snapshots and deadlock. The turn is taken by polling pg_try_advisory_lock, since
    /// a session blocked in pg_advisory_lock holds a snapshot that the running build would wait for.
    /// </summary>
    public async Task CreateIndexAsync(string name, string createConcurrently, CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        while (!await ScalarAsync<bool>(connection, $"SELECT pg_try_advisory_lock({IndexBuildLock})", null, ct))
            await Task.Delay(50, ct);
        try
        {
            var valid = await ScalarAsync<object>(connection,
                "SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname = @name AND c.relnamespace = current_schema()::regnamespace",
                name, ct);
            if (valid is true) return;
            // The name is built from a validated custom field name (letters, digits, underscores).
            if (valid is false) await ScalarAsync<object>(connection, $"DROP INDEX CONCURRENTLY {name}", null, ct);
            await ScalarAsync<object>(connection, createConcurrently, null, ct);
        }
        finally
        {
            await ScalarAsync<object>(connection, $"SELECT pg_advisory_unlock({IndexBuildLock})", null, CancellationToken.None);
        }
    }

    static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, string? name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null) command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(ct) is T value ? value : default;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_noticeLink.IsValueCreated) _noticeLink.Value.Stop();
        await _tenantReads.DisposeAsync();
        await _tenantSource.DisposeAsync();
        await _source.DisposeAsync();
    }

    internal override Task CreateCustomFieldIndexAsync(Domain.Metadata.ObjectMetadata obj, Domain.Metadata.FieldMetadata field, CancellationToken ct) =>
        CreateIndexAsync(PostgresCustomColumn.IndexName(obj, field), PostgresCustomColumn.IndexDdl(obj, field), ct);
}
