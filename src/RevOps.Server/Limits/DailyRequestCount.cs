using System.Collections.Concurrent;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;

namespace RevOps.Server.Limits;

/// <summary>
/// Today's API requests of a tenant, for Salesforce's Sforce-Limit-Info header: the stored daily
/// count, re-read every few seconds, plus what this node counted since. Approximate by up to a
/// second of usage, like Salesforce's own figure, and never a database read per request.
/// </summary>
public sealed class DailyRequestCount(IUsageStore usage, TimeProvider time)
{
    static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);
    readonly ConcurrentDictionary<TenantId, Entry> _entries = new();

    sealed class Entry
    {
        public DateOnly Day;
        public long Stored;
        public long Local;
        public DateTimeOffset FetchedAt;
    }

    /// <summary>Counts one request and returns the day's total so far.</summary>
    public async ValueTask<long> CountAsync(TenantId tenant, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var entry = _entries.GetOrAdd(tenant, static _ => new Entry { FetchedAt = DateTimeOffset.MinValue });
        if (entry.Day != today || now - entry.FetchedAt > Refresh)
        {
            var report = await usage.ReportAsync(tenant.Value, today, today, ct);
            lock (entry)
            {
                entry.Day = today;
                entry.Stored = report.TotalRequests;
                entry.Local = 0;
                entry.FetchedAt = now;
            }
        }
        return entry.Stored + Interlocked.Increment(ref entry.Local);
    }
}
