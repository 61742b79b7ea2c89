using RevOps.Domain.Pipeline;
using RevOps.Domain.Search;
using RevOps.Domain.Stores;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Outbox;

namespace RevOps.Storage.Postgres;

/// <summary>A PostgreSQL database (revops serve --db …) and its stores, all reaching tenant data through <see cref="PostgresDatabase"/>.</summary>
public sealed class PostgresBackend : StorageBackend
{
    readonly PostgresDatabase _db;

    PostgresBackend(PostgresDatabase db)
    {
        _db = db;
        Records = new PostgresRecordStore(db);
        Tenants = new PostgresTenantStore(db);
        Audit = new PostgresAuditStore(db);
        Usage = new PostgresUsageStore(db);
        CustomFields = new PostgresCustomFieldStore(db);
        ChangeLog = new PostgresChangeStore(db);
        Search = new PostgresSearchStore(db);
        Pipeline = new PostgresPipelineStore(db);
        Soql = new PostgresSoqlStore(db);
        Webhooks = new PostgresWebhookStore(db);
        Outbox = new PostgresWebhookOutbox(db);
        var tenantRows = new PostgresTenantRows(db);
        TenantRows = tenantRows;
        TenantImport = tenantRows;
    }

    public static PostgresBackend Open(string connectionString) => new(PostgresDatabase.Open(connectionString));

    public override string Kind => "PostgreSQL";
    public override string Location => _db.Location;
    public override IReadOnlyList<int> AppliedMigrations => _db.AppliedMigrations;
    public override int SchemaVersion => _db.SchemaVersion;
    public override ChangeSignal Changes => _db.Changes;
    private protected override ChangeLog.TenantChangeSignal TenantChanges => _db.TenantChanges;

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
    public override TenantCopy.ITenantImport? TenantImport { get; }

    public override ValueTask DisposeAsync() => _db.DisposeAsync();
}
