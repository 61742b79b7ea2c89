using RevOps.Domain.Audit;
using RevOps.Domain.Changes;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Search;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Audit;
using RevOps.Storage.ChangeLog;
using RevOps.Storage.Outbox;
using RevOps.Storage.Pipeline;
using RevOps.Storage.Postgres;
using RevOps.Storage.Records;
using RevOps.Storage.Schema;
using RevOps.Storage.Search;
using RevOps.Storage.Soql;
using RevOps.Storage.Sql;
using RevOps.Storage.Sqlite;
using RevOps.Storage.Tenancy;
using RevOps.Storage.TenantCopy;
using RevOps.Storage.Usage;
using RevOps.Storage.Users;
using RevOps.Storage.Webhooks;

namespace RevOps.Storage;

/// <summary>
/// The database of one process and its implementation of every store interface. This is the one
/// place that knows which backend runs: callers register or use these properties and never ask
/// which database is behind them. Opening applies pending migrations.
/// </summary>
public sealed class StorageBackend : IAsyncDisposable
{
    StorageBackend(SqlDatabase db)
    {
        Database = db;
        _elsewhere = new Throttle(db.Changes.Pulse, ElsewhereWakeSpacing);
        // Every store is written once over the dialect, for both engines.
        Records = new RecordStore(db);
        Soql = new SoqlStore(db);
        Outbox = new WebhookOutbox(db);
        Search = new SearchStore(db);
        Vectors = new VectorStore(db);
        Duplicates = new Duplicates.DuplicateStore(db);
        ImportJobs = new Imports.ImportJobStore(db);
        BulkJobs = new BulkJobs.BulkJobStore(db);
        Usage = new UsageStore(db);
        ChangeLog = new ChangeStore(db);
        Pipeline = new PipelineStore(db);
        Forecasts = new Forecasting.ForecastStore(db);
        Webhooks = new WebhookStore(db);
        Automation = new Automation.AutomationStore(db);
        WorkQueue = new Work.WorkQueueStore(db);
        Voice = new Voice.VoiceStore(db);
        RecordingFetches = new Voice.RecordingFetchStore(db);
        Files = new Files.FileStore(db);
        Tenants = new TenantStore(db);
        Users = new UserStore(db);
        SignIns = new SignInStore(db);
        KeyRing = new KeyRingStore(db);
        Audit = new AuditStore(db);
        CustomFields = new CustomFieldStore(db);
        CustomObjects = new CustomObjectStore(db);
        TenantRows = new TenantRows(db);
        // Moves go from SQLite to PostgreSQL (issue 9's scale-out): only PostgreSQL takes tenants in; the way back is not built.
        TenantImport = db is PostgresDatabase postgres ? new PostgresTenantImport(postgres) : null;
    }

    public static StorageBackend Open(StorageLocation location) =>
        new(location.IsPostgres ? PostgresDatabase.Open(location.PostgresConnectionString!) : SqliteDatabase.Open(location.SqlitePath));

    /// <summary>The engine's database, for the few engine-specific tools (bulk loading SQLite, backups).</summary>
    public SqlDatabase Database { get; }

    /// <summary>"SQLite" or "PostgreSQL".</summary>
    public string Kind => Database.Kind;

    /// <summary>The file, or host/port/database of the server (never a password), for messages.</summary>
    public string Location => Database.Location;

    /// <summary>Migration versions this open applied (empty when the schema was current).</summary>
    public IReadOnlyList<int> AppliedMigrations => Database.AppliedMigrations;

    /// <summary>The highest applied migration; reading it also proves the database answers.</summary>
    public int SchemaVersion => Database.SchemaVersion;

    /// <summary>Pulsed after every commit in this process that appended to the change log.</summary>
    public ChangeSignal Changes => Database.Changes;

    /// <summary>
    /// Raised after each commit in this process that appended changes for a tenant, with its latest
    /// sequence, so the nodes that share the database can be told (see <see cref="WakeForCommitElsewhere"/>).
    /// </summary>
    public event Action<TenantId, long>? ChangesCommitted
    {
        add => Database.TenantChanges.Committed += value;
        remove => Database.TenantChanges.Committed -= value;
    }

    /// <summary>The engine's channel to the other processes on the same database (PostgreSQL's LISTEN/NOTIFY), or null on SQLite.</summary>
    public INodeNoticeLink? NoticeLink => Database.NoticeLink;

    /// <summary>
    /// Another node committed changes for the tenant: wakes this process's change-feed followers at once, and its
    /// background workers (webhooks, automation, semantic index) at most every <see cref="ElsewhereWakeSpacing"/>.
    /// </summary>
    public void WakeForCommitElsewhere(TenantId tenant, long latestSeq)
    {
        Database.TenantChanges.Wake(tenant, latestSeq);
        _elsewhere.Request();
    }

    /// <summary>
    /// The node that committed wakes its own workers at once, so here a wake-up only shares their work and covers a
    /// node that died before doing it. Waking them for every commit kept an idle node at 0.19-0.21 cores at about
    /// 2,000 creates/s, mostly its thread pool spinning after each wake; this spacing took it to 0.13-0.14 (issue 25,
    /// bench/results/2026-12-07-round-9.md). Well under the workers' 1 s poll.
    /// </summary>
    internal static readonly TimeSpan ElsewhereWakeSpacing = TimeSpan.FromMilliseconds(50);

    readonly Throttle _elsewhere;

    public IRecordStore Records { get; }
    public Domain.Forecasting.IForecastStore Forecasts { get; }
    public ITenantStore Tenants { get; }
    public Domain.Users.IUserStore Users { get; }
    public Domain.Users.ISignInStore SignIns { get; }
    /// <summary>The console's data-protection keys, shared by every node of the database.</summary>
    public Domain.Users.IKeyRingStore KeyRing { get; }
    public IAuditStore Audit { get; }
    public IUsageStore Usage { get; }
    public ICustomFieldStore CustomFields { get; }
    public ICustomObjectStore CustomObjects { get; }
    public IChangeStore ChangeLog { get; }
    public ISearchStore Search { get; }
    public Domain.Search.Semantic.IVectorStore Vectors { get; }
    public Domain.Duplicates.IDuplicateStore Duplicates { get; }
    public Domain.Imports.IImportJobStore ImportJobs { get; }
    public Domain.BulkJobs.IBulkJobStore BulkJobs { get; }
    public IPipelineStore Pipeline { get; }
    public ISoqlStore Soql { get; }
    public IWebhookStore Webhooks { get; }
    public IWebhookOutbox Outbox { get; }
    public Domain.Automation.IAutomationStore Automation { get; }
    public Domain.Work.IWorkQueueStore WorkQueue { get; }
    public Domain.Voice.IVoiceStore Voice { get; }
    public Domain.Voice.IRecordingFetchQueue RecordingFetches { get; }
    public Domain.Files.IFileStore Files { get; }

    /// <summary>Every row of a tenant as stored, for moving it to another database (revops migrate-data).</summary>
    public TenantCopy.ITenantRows TenantRows { get; }

    /// <summary>Takes in a tenant copied from another database; null where that is not built (SQLite, so far).</summary>
    public TenantCopy.ITenantImport? TenantImport { get; }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
