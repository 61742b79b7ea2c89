using RevOps.Domain.Pipeline;
using RevOps.Domain.Search;
using RevOps.Domain.Webhooks;
using RevOps.Storage;

namespace RevOps.Server.Hosting;

/// <summary>
/// Registers the backend (SQLite or PostgreSQL, from <see cref="StorageLocation"/>) and each of its
/// stores under the Domain's interface. The backend opens, and migrates, on first use.
/// </summary>
public static class StorageServices
{
    public static IServiceCollection AddRevOpsStorage(this IServiceCollection services, StorageLocation location)
    {
        services.AddSingleton(_ => StorageBackend.Open(location));
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Records);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Tenants);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Users);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().SignIns);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().KeyRing);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Audit);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Usage);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().CustomFields);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().CustomObjects);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().ChangeLog);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Search);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Duplicates);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().ImportJobs);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().BulkJobs);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Pipeline);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Forecasts);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Soql);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Webhooks);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Outbox);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Automation);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().WorkQueue);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().Voice);
        services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().RecordingFetches);
        return services;
    }
}
