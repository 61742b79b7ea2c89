using System.Globalization;
using RevOps.Domain.Tenancy;
using RevOps.Server.Limits;
using StackExchange.Redis;

namespace RevOps.Server.Cluster;

/// <summary>
/// One token bucket per tenant in Redis, so every node draws from the same bucket and a tenant gets
/// its tier's rate across the deployment, not per node. One script call per request takes a token
/// atomically; Redis's own clock refills the bucket, so the nodes' clocks never have to agree.
/// </summary>
public sealed class SharedRateBuckets(RedisLink redis)
{
    // KEYS[1] the bucket; ARGV rate per second, burst, tokens to take (0 reads the bucket only).
    // Returns {taken 0|1, milliseconds until a token is there, whole tokens left}.
    const string Script = """
        local now = redis.call('TIME')
        local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local take = tonumber(ARGV[3])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or ms
        tokens = math.min(burst, tokens + math.max(0, ms - at) * rate / 1000)
        local taken = 0
        if take > 0 and tokens >= take then
          tokens = tokens - take
          taken = 1
        end
        if take > 0 then
          redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', ms)
          redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        end
        local wait = 0
        if tokens < 1 then wait = math.ceil((1 - tokens) * 1000 / rate) end
        return {taken, wait, math.floor(tokens)}
        """;

    public readonly record struct Outcome(bool Allowed, TimeSpan RetryAfter, long Available);

    /// <summary>Takes a token from the tenant's shared bucket; null when Redis cannot answer now (the caller counts locally).</summary>
    public Task<Outcome?> TryTakeAsync(TenantId tenant, TierLimit limit) => RunAsync(tenant, limit, take: 1);

    /// <summary>The tokens in the tenant's shared bucket, without taking one; null when Redis cannot answer now.</summary>
    public Task<Outcome?> PeekAsync(TenantId tenant, TierLimit limit) => RunAsync(tenant, limit, take: 0);

    async Task<Outcome?> RunAsync(TenantId tenant, TierLimit limit, int take)
    {
        if (redis.Connection is not { } connection) return null;
        try
        {
            var result = (RedisResult[])(await connection.GetDatabase().ScriptEvaluateAsync(Script,
                [new RedisKey("revops:rate:" + tenant.ToString())],
                [limit.PerSecond.ToString(CultureInfo.InvariantCulture), limit.Burst.ToString(CultureInfo.InvariantCulture), take.ToString(CultureInfo.InvariantCulture)]))!;
            return new Outcome((long)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]), (long)result[2]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            redis.Failed(e);
            return null;
        }
    }
}
