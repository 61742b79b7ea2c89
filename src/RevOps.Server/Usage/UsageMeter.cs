using System.Collections.Concurrent;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;

namespace RevOps.Server.Usage;

/// <summary>
/// Counts calls in memory, lock-free per cell, and hands the deltas to the flusher every
/// second: a call never waits on a database write to be counted.
/// </summary>
public sealed class UsageMeter(TimeProvider time)
{
    readonly ConcurrentDictionary<UsageKey, Cell> _cells = new();
    // Ticks, not DateTime: a long is written in place, where a DateTime value would cost a new node on every call.
    readonly ConcurrentDictionary<string, long> _keysUsed = new(StringComparer.Ordinal);

    public void Record(Caller caller, string tool, bool success, TimeSpan elapsed)
    {
        Observability.RequestMetrics.Call(caller.Channel, tool, success, elapsed);
        var now = time.GetUtcNow().UtcDateTime;
        var cell = _cells.GetOrAdd(new UsageKey(caller.Tenant.Value, DateOnly.FromDateTime(now), tool, success), static _ => new Cell());
        double ms = elapsed.TotalMilliseconds;
        Interlocked.Increment(ref cell.Calls);
        Interlocked.Add(ref cell.TotalTicks, elapsed.Ticks);
        Interlocked.Increment(ref cell.Buckets[LatencyBuckets.IndexOf(ms)]);
        if (caller.KeyId is { } key) _keysUsed[key] = now.Ticks;
    }

    /// <summary>
    /// Counts a request the tenant's rate limit refused on <paramref name="channel"/>: one increment in memory, stored
    /// with the next flush as one row per tenant, day and channel however many were refused.
    /// </summary>
    public void RecordRateLimited(TenantId tenant, string channel)
    {
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var cell = _cells.GetOrAdd(new UsageKey(tenant.Value, day, RateLimitedUsage.Tool(channel), false), static _ => new Cell());
        Interlocked.Increment(ref cell.Calls);
    }

    /// <summary>Notes a key's use without counting a billable call (the /api endpoints), for last_used_at; callers without a key have nothing to note.</summary>
    public void MarkUsed(string? keyId)
    {
        if (keyId is not null) _keysUsed[keyId] = time.GetUtcNow().UtcDateTime.Ticks;
    }

    /// <summary>Takes everything counted since the last drain.</summary>
    public (Dictionary<UsageKey, UsageCounts> Usage, Dictionary<string, DateTime> KeysUsed) Drain()
    {
        var usage = new Dictionary<UsageKey, UsageCounts>();
        foreach (var (key, cell) in _cells)
        {
            long calls = Interlocked.Exchange(ref cell.Calls, 0);
            if (calls == 0)
            {
                // An idle cell of an earlier day will not be counted into again.
                if (key.Day < DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)) _cells.TryRemove(key, out _);
                continue;
            }
            long ticks = Interlocked.Exchange(ref cell.TotalTicks, 0);
            var buckets = new long[cell.Buckets.Length];
            for (int i = 0; i < buckets.Length; i++) buckets[i] = Interlocked.Exchange(ref cell.Buckets[i], 0);
            usage[key] = new UsageCounts(calls, TimeSpan.FromTicks(ticks).TotalMilliseconds, buckets);
        }
        var keys = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var id in _keysUsed.Keys)
            if (_keysUsed.TryRemove(id, out long at)) keys[id] = new DateTime(at, DateTimeKind.Utc);
        return (usage, keys);
    }

    /// <summary>Puts back deltas a failed flush could not store, so none are lost.</summary>
    public void Restore(IReadOnlyDictionary<UsageKey, UsageCounts> usage)
    {
        foreach (var (key, counts) in usage)
        {
            var cell = _cells.GetOrAdd(key, static _ => new Cell());
            Interlocked.Add(ref cell.Calls, counts.Calls);
            Interlocked.Add(ref cell.TotalTicks, TimeSpan.FromMilliseconds(counts.TotalMilliseconds).Ticks);
            for (int i = 0; i < counts.Buckets.Length; i++) Interlocked.Add(ref cell.Buckets[i], counts.Buckets[i]);
        }
    }

    sealed class Cell
    {
        public long Calls;
        public long TotalTicks;
        public readonly long[] Buckets = new long[LatencyBuckets.UpperBoundsMs.Length];
    }
}
