namespace RevOps.Server.Cluster;

/// <summary>What --redis adds: shared rate buckets and the notices that keep the nodes' caches and change wake-ups in step.</summary>
public static class ClusterServices
{
    public static IServiceCollection AddRevOpsCluster(this IServiceCollection services, string redisConfiguration)
    {
        services.AddSingleton(sp => new RedisLink(redisConfiguration, sp.GetRequiredService<ILogger<RedisLink>>()));
        services.AddSingleton<SharedRateBuckets>();
        services.AddHostedService<ClusterNotices>();
        return services;
    }
}
