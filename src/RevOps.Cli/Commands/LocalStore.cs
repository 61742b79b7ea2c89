using RevOps.Domain.Ids;
using RevOps.Domain.Schema;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Server.Hosting;
using RevOps.Storage;

namespace RevOps.Cli.Commands;

/// <summary>The local database (SQLite file or PostgreSQL) and the domain services over it, for commands that run without a server.</summary>
internal sealed class LocalStore : IAsyncDisposable
{
    LocalStore(StorageBackend storage, RevOpsOptions options)
    {
        Storage = storage;
        Options = options;
        Tenants = new TenantService(storage.Tenants, IdGenerator.WithRandomNode(), TimeProvider.System);
        Schemas = new SchemaService(storage.CustomFields, TimeProvider.System);
    }

    public StorageBackend Storage { get; }
    public RevOpsOptions Options { get; }
    public TenantService Tenants { get; }
    public ITenantStore TenantStore => Storage.Tenants;
    public IUsageStore Usage => Storage.Usage;
    public IAuditStore Audit => Storage.Audit;
    public SchemaService Schemas { get; }

    public static LocalStore Open(RevOpsOptions options) => new(StorageBackend.Open(options.Storage), options);

    public ValueTask DisposeAsync() => Storage.DisposeAsync();
}
