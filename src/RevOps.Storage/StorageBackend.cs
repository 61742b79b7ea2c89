using RevOps.Domain.Pipeline;
using RevOps.Domain.Search;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Outbox;

namespace RevOps.Storage;

/// <summary>
/// The database of one process and its implementation of every store interface. This is the one
/// place that knows which backend runs: callers register or use these properties and never ask
/// which database is behind them. Opening applies pending migrations.
/// </summary>
public abstract class StorageBackend : IAsyncDisposable
{
    public static StorageBackend Open(StorageLocation location) =>
        location.IsPostgres ? Postgres.PostgresBackend.Open(location.PostgresConnectionString!) : Sqlite.SqliteBackend.Open(location.SqlitePath);

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

    /// <summary>
    /// Raised after each commit in this process that appended changes for a tenant, with its latest
    /// sequence, so the nodes that share the database can be told (see <see cref="WakeForCommitElsewhere"/>).
    /// </summary>
    public event Action<TenantId, long>? ChangesCommitted
    {
        add => TenantChanges.Committed += value;
        remove => TenantChanges.Committed -= value;
    }

    /// <summary>Another node committed changes for the tenant: wakes this process's change-feed followers and webhook dispatcher as its own commits do.</summary>
    public void WakeForCommitElsewhere(TenantId tenant, long latestSeq)
    {
        TenantChanges.Wake(tenant, latestSeq);
        Changes.Pulse();
    }

    private protected abstract ChangeLog.TenantChangeSignal TenantChanges { get; }

    public abstract IRecordStore Records { get; }
    public abstract ITenantStore Tenants { get; }
    public abstract IAuditStore Audit { get; }
    public abstract IUsageStore Usage { get; }
    public abstract ICustomFieldStore CustomFields { get; }
    public abstract IChangeStore ChangeLog { get; }
    public abstract ISearchStore Search { get; }
    public abstract IPipelineStore Pipeline { get; }
    public abstract ISoqlStore Soql { get; }
    public abstract IWebhookStore Webhooks { get; }
    public abstract IWebhookOutbox Outbox { get; }

    /// <summary>Every row of a tenant as stored, for moving it to another database (revops migrate-data).</summary>
    public abstract TenantCopy.ITenantRows TenantRows { get; }

    /// <summary>Takes in a tenant copied from another database; null where that is not built (SQLite, so far).</summary>
    public abstract TenantCopy.ITenantImport? TenantImport { get; }

    public abstract ValueTask DisposeAsync();
}
