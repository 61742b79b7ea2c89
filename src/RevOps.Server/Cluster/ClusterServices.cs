using RevOps.Storage;

namespace RevOps.Server.Cluster;

/// <summary>
/// What several nodes share. With --redis: rate buckets and notices over Redis. Without it, on a
/// PostgreSQL database: notices over PostgreSQL's LISTEN/NOTIFY (rate buckets stay per node).
/// On SQLite there is one server per file and nothing to share.
/// </summary>
public static class ClusterServices
{
    public static IServiceCollection AddRevOpsCluster(this IServiceCollection services, string? redisConfiguration, StorageLocation storage)
    {
        if (redisConfiguration is not null)
        {
            services.AddSingleton(sp => new RedisLink(redisConfiguration, sp.GetRequiredService<ILogger<RedisLink>>()));
            services.AddSingleton<SharedRateBuckets>();
            services.AddSingleton<INodeNoticeLink, RedisNoticeLink>();
        }
        else if (storage.IsPostgres)
        {
            services.AddSingleton(sp => sp.GetRequiredService<StorageBackend>().NoticeLink
                ?? throw new InvalidOperationException("A PostgreSQL database always has a notice link."));
        }
        else
        {
            return services;
        }
        services.AddSingleton<ClusterNotices>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterNotices>());
        return services;
    }
}
