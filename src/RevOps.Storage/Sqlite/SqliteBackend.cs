using RevOps.Domain.Pipeline;
using RevOps.Domain.Search;
using RevOps.Domain.Stores;
using RevOps.Domain.Webhooks;
using RevOps.Storage.ChangeLog;
using RevOps.Storage.Outbox;
using RevOps.Storage.Pipeline;
using RevOps.Storage.Schema;
using RevOps.Storage.Search;
using RevOps.Storage.Soql;
using RevOps.Storage.Webhooks;

namespace RevOps.Storage.Sqlite;

/// <summary>The embedded SQLite file (the default) and its stores.</summary>
public sealed class SqliteBackend : StorageBackend
{
    SqliteBackend(SqliteDatabase db)
    {
        Database = db;
        Records = new SqliteRecordStore(db);
        Tenants = new SqliteTenantStore(db);
        Audit = new SqliteAuditStore(db);
        Usage = new SqliteUsageStore(db);
        CustomFields = new SqliteCustomFieldStore(db);
        ChangeLog = new SqliteChangeStore(db);
        Search = new SqliteSearchStore(db);
        Pipeline = new SqlitePipelineStore(db);
        Soql = new SqliteSoqlStore(db);
        Webhooks = new SqliteWebhookStore(db);
        Outbox = new SqliteWebhookOutbox(db);
        TenantRows = new SqliteTenantRows(db);
    }

    public static SqliteBackend Open(string path) => new(SqliteDatabase.Open(path));

    public SqliteDatabase Database { get; }

    public override string Kind => "SQLite";
    public override string Location => Database.FilePath;
    public override IReadOnlyList<int> AppliedMigrations => Database.AppliedMigrations;
    public override int SchemaVersion => Database.SchemaVersion;
    public override ChangeSignal Changes => Database.Changes;
    private protected override ChangeLog.TenantChangeSignal TenantChanges => Database.TenantChanges;

    public override IRecordStore Records { get; }
    public override ITenantStore Tenants { get; }
    public override IAuditStore Audit { get; }
    public override IUsageStore Usage { get; }
    public override ICustomFieldStore CustomFields { get; }
    public override IChangeStore ChangeLog { get; }
    public override ISearchStore Search { get; }
    public override IPipelineStore Pipeline { get; }
    public override ISoqlStore Soql { get; }
    public override IWebhookStore Webhooks { get; }
    public override IWebhookOutbox Outbox { get; }
    public override TenantCopy.ITenantRows TenantRows { get; }
    /// <summary>Moves go from SQLite to PostgreSQL (issue 9's scale-out); the way back is not built.</summary>
    public override TenantCopy.ITenantImport? TenantImport => null;

    public override ValueTask DisposeAsync() => Database.DisposeAsync();
}
