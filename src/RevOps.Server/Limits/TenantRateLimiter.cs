using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Limits;

/// <summary>
/// One token bucket per tenant, sized by its tier: a tenant that floods the server empties only
/// its own bucket. Tiers are looked up once and kept for a short while, so a tier change takes
/// effect within <see cref="TierTtl"/> without a database read per request. With --redis the
/// buckets are shared by every node (<see cref="Cluster.SharedRateBuckets"/>); while Redis cannot
/// answer, each node falls back to its own bucket, so a tenant may get up to its rate per node.
/// </summary>
public sealed class TenantRateLimiter(TierLimits limits, ITenantStore tenants, TimeProvider time, Cluster.SharedRateBuckets? shared = null) : IAsyncDisposable
{
    static readonly TimeSpan TierTtl = TimeSpan.FromSeconds(30);
    readonly ConcurrentDictionary<TenantId, (string Tier, DateTimeOffset Until)> _tiers = new();
    readonly PartitionedRateLimiter<(TenantId Tenant, string Tier)> _buckets = PartitionedRateLimiter.Create<(TenantId Tenant, string Tier), (TenantId, string)>(
        new Buckets(limits).Partition);

    /// <summary>The partitioner, with its options factory made once: a lambda there would be a new delegate on every request.</summary>
    sealed class Buckets
    {
        readonly TierLimits _limits;
        readonly Func<(TenantId, string), TokenBucketRateLimiterOptions> _options;

        public Buckets(TierLimits limits)
        {
            _limits = limits;
            _options = Options;
        }

        public RateLimitPartition<(TenantId, string)> Partition((TenantId, string) key) => RateLimitPartition.GetTokenBucketLimiter(key, _options);

        TokenBucketRateLimiterOptions Options((TenantId, string) key)
        {
            var limit = _limits.For(key.Item2);
            // Refill ten times a second so a 10 req/s tenant is not served in one-second lumps.
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = Math.Max(1, limit.PerSecond / 10),
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(limit.PerSecond >= 10 ? 100 : 1000 / limit.PerSecond),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
        }
    }

    public sealed record Decision(bool Allowed, TimeSpan RetryAfter, string Tier, TierLimit Limit);

    public async ValueTask<Decision> TryAcquireAsync(TenantId tenant, CancellationToken ct)
    {
        string tier = await TierAsync(tenant, ct);
        if (shared is not null && await shared.TryTakeAsync(tenant, limits.For(tier)) is { } outcome)
            return new Decision(outcome.Allowed, outcome.RetryAfter, tier, limits.For(tier));
        using var lease = _buckets.AttemptAcquire((tenant, tier));
        var retry = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : TimeSpan.Zero;
        return new Decision(lease.IsAcquired, retry, tier, limits.For(tier));
    }

    /// <summary>Requests the tenant could make right now without being refused.</summary>
    public async ValueTask<(long Available, TierLimit Limit)> AvailableAsync(TenantId tenant, CancellationToken ct)
    {
        string tier = await TierAsync(tenant, ct);
        if (shared is not null && await shared.PeekAsync(tenant, limits.For(tier)) is { } outcome) return (outcome.Available, limits.For(tier));
        return (_buckets.GetStatistics((tenant, tier))?.CurrentAvailablePermits ?? limits.For(tier).Burst, limits.For(tier));
    }

    async ValueTask<string> TierAsync(TenantId tenant, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_tiers.TryGetValue(tenant, out var known) && known.Until > now) return known.Tier;
        string tier = (await tenants.GetAsync(tenant, ct))?.SubscriptionTier ?? "free";
        _tiers[tenant] = (tier, now + TierTtl);
        return tier;
    }

    public ValueTask DisposeAsync() => _buckets.DisposeAsync();
}
