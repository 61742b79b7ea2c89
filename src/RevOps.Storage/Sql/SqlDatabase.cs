using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Sql;

/// <summary>
/// The one way the storage algorithms reach a database: work runs in a session inside a
/// transaction, scoped to one tenant or, for the few cross-tenant scans (the webhook dispatcher's),
/// across tenants. SQLite runs writes on its single writer (group commit) and reads on a pool of
/// read-only connections; PostgreSQL runs each in a pooled connection whose transaction row-level
/// security admits one tenant's rows only. Callers never ask which engine runs.
/// </summary>
public abstract class SqlDatabase : IAsyncDisposable
{
    private protected SqlDatabase() { }

    internal abstract SqlDialect Dialect { get; }

    /// <summary>"SQLite" or "PostgreSQL".</summary>
    public abstract string Kind { get; }

    /// <summary>The file, or host/port/database of the server (never a password), for messages.</summary>
    public abstract string Location { get; }

    /// <summary>Migration versions this open applied (empty when the schema was current).</summary>
    public abstract IReadOnlyList<int> AppliedMigrations { get; }

    /// <summary>The highest applied migration; reading it also proves the database answers.</summary>
    public abstract int SchemaVersion { get; }

    /// <summary>Pulsed after every commit in this process that appended to the change log.</summary>
    public abstract ChangeSignal Changes { get; }

    /// <summary>The engine's own channel to the other processes on the same database, or null when it has none (SQLite: one server per file).</summary>
    public virtual INodeNoticeLink? NoticeLink => null;

    /// <summary>Raised per tenant after such commits, for live change feeds.</summary>
    internal ChangeLog.TenantChangeSignal TenantChanges { get; } = new();

    /// <summary>
    /// Reads in one transaction of the tenant; <paramref name="snapshot"/> gives every statement of the
    /// read one snapshot (a count and the page it belongs to).
    /// </summary>
    internal abstract Task<T> ReadAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> read, CancellationToken ct, bool snapshot = false);

    /// <summary>Writes in one transaction of the tenant, committed (and durable) when the task completes; an exception rolls the work back.</summary>
    internal abstract Task<T> WriteAsync<T>(TenantId tenant, Func<SqlSession, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// A write whose statements are all known before it runs, as <see cref="WriteAsync"/>: exactly one of them returns a row
    /// set, whose first value <paramref name="result"/> turns into the answer. Knowing them up front lets PostgreSQL's group
    /// commit send several such writes of a tenant in one round trip (<see cref="Postgres.PostgresGroupCommit"/>); SQLite runs
    /// it as any write.
    /// </summary>
    internal virtual Task<T> WriteStatementsAsync<T>(TenantId tenant, Func<SqlSession, SqlStatements> statements, Func<SqlSession, object?, T> result,
        CancellationToken ct) =>
        WriteAsync(tenant, async session => result(session, await session.ExecuteEachAsync(statements(session), ct)), ct);

    /// <summary>
    /// One write transaction that visits several tenants in turn (the usage flush): before each tenant's
    /// work the session moves to that tenant, so each step sees only its own tenant's rows.
    /// </summary>
    internal abstract Task WriteInEachTenantAsync(IEnumerable<TenantId> tenants, Func<SqlSession, TenantId, Task> work, CancellationToken ct);

    /// <summary>
    /// A write across tenants, for the few statements that must see every tenant and say so where they are
    /// written: the webhook dispatcher's claims, the batched last-use times of API keys of any tenant.
    /// </summary>
    internal abstract Task<T> WriteAcrossTenantsAsync<T>(Func<SqlSession, Task<T>> work, CancellationToken ct);

    /// <summary>A read across tenants: finding an API key by its hash (authentication, before there is a tenant) or by its id (the CLI's revoke), listing tenants.</summary>
    internal abstract Task<T> ReadAcrossTenantsAsync<T>(Func<SqlSession, Task<T>> read, CancellationToken ct);

    /// <summary>A read across tenants, synchronous for callers that cannot wait (metrics gauges, the dispatcher's checks).</summary>
    internal abstract T ReadAcrossTenants<T>(Func<SqlSession, T> read);

    public abstract ValueTask DisposeAsync();

    /// <summary>The result of work that completed without waiting: SQLite's driver never waits, so its single writer can run async algorithms on its own thread.</summary>
    private protected static T Completed<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>
    /// Builds, unless it exists, the index over a custom field's expression (tenant_id first) that serves
    /// filters on it, shared by every tenant that defines a field of that name (and, on PostgreSQL, kind).
    /// The engines differ here: SQLite builds it in a turn of its one writer; PostgreSQL builds it
    /// CONCURRENTLY outside any transaction, one build at a time across nodes, so no tenant's writes wait.
    /// Called after the definition commits. <paramref name="field"/> has a validated custom field name.
    /// </summary>
    internal abstract Task CreateCustomFieldIndexAsync(Domain.Metadata.ObjectMetadata obj, Domain.Metadata.FieldMetadata field, CancellationToken ct);
}
