using RevOps.Domain.Ids;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Server.Hosting;
using RevOps.Storage.Schema;
using RevOps.Storage.Sqlite;

namespace RevOps.Cli.Commands;

/// <summary>The local database and the domain services over it, for commands that run without a server.</summary>
internal sealed class LocalStore : IAsyncDisposable
{
    LocalStore(SqliteDatabase db, RevOpsOptions options)
    {
        Database = db;
        Options = options;
        Tenants = new TenantService(new SqliteTenantStore(db), IdGenerator.WithRandomNode(), TimeProvider.System);
        TenantStore = new SqliteTenantStore(db);
        Usage = new SqliteUsageStore(db);
        Audit = new SqliteAuditStore(db);
        Schemas = new SchemaService(new SqliteCustomFieldStore(db), TimeProvider.System);
    }

    public SqliteDatabase Database { get; }
    public RevOpsOptions Options { get; }
    public TenantService Tenants { get; }
    public SqliteTenantStore TenantStore { get; }
    public SqliteUsageStore Usage { get; }
    public SqliteAuditStore Audit { get; }
    public SchemaService Schemas { get; }

    public static LocalStore Open(RevOpsOptions options) => new(SqliteDatabase.Open(options.DatabasePath), options);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
