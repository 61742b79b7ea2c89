using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Audit;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using RevOps.Domain.Webhooks;
using RevOps.Server.Hosting;
using RevOps.Storage;

namespace RevOps.Cli.Commands;

/// <summary>
/// The local database (SQLite file or PostgreSQL) and the domain services over it, for commands that run without a
/// server: registered by the server's own <see cref="CoreServices.AddRevOpsServices"/>, so both build them one way.
/// </summary>
internal sealed class LocalStore : IAsyncDisposable
{
    readonly ServiceProvider _services;

    LocalStore(ServiceProvider services, RevOpsOptions options)
    {
        _services = services;
        Options = options;
        Storage = services.GetRequiredService<StorageBackend>();
    }

    public StorageBackend Storage { get; }
    /// <summary>Every domain service, for commands that need one not named here (import: BulkWrite, SoqlService).</summary>
    public IServiceProvider Services => _services;
    public RevOpsOptions Options { get; }
    public TenantService Tenants => _services.GetRequiredService<TenantService>();
    public Domain.Users.UserService Users => _services.GetRequiredService<Domain.Users.UserService>();
    public Domain.Duplicates.DuplicateService Duplicates => _services.GetRequiredService<Domain.Duplicates.DuplicateService>();
    public ITenantStore TenantStore => _services.GetRequiredService<ITenantStore>();
    public IAuditStore Audit => _services.GetRequiredService<IAuditStore>();
    public SchemaService Schemas => _services.GetRequiredService<SchemaService>();
    public CustomFieldRemoval FieldRemoval => _services.GetRequiredService<CustomFieldRemoval>();
    /// <summary>Usage statements priced with <see cref="RevOpsOptions.PriceBook"/>.</summary>
    public UsageService Usage => _services.GetRequiredService<UsageService>();
    /// <summary>Webhook management, with target checks per <see cref="RevOpsOptions.Webhooks"/>.</summary>
    public WebhookService Webhooks => _services.GetRequiredService<WebhookService>();

    /// <summary>Opens (and migrates) the database now, so a command fails at once when it cannot.</summary>
    public static LocalStore Open(RevOpsOptions options)
    {
        var services = new ServiceCollection().AddRevOpsServices(options).BuildServiceProvider();
        try
        {
            return new LocalStore(services, options);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
