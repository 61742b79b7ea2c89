using RevOps.Domain.Usage;

namespace RevOps.Storage.Tests;

/// <summary>IUsageStore (StorageBackend.Usage): counts added up per tenant, day, tool and outcome; latency histograms; per tenant.</summary>
public sealed class UsageContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateOnly Day1 = new(2026, 3, 14);
    static readonly DateOnly Day2 = new(2026, 3, 15);

    [Theory, Backends]
    public async Task Report_AfterAdds_TotalsToolsDaysAndPercentiles(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var tenant = acme.Id.Value;

        await store.Backend.Usage.AddAsync(new Dictionary<UsageKey, UsageCounts>
        {
            [new UsageKey(tenant, Day1, "find_records", true)] = Counts(3, 30, (10, 3)),
            [new UsageKey(tenant, Day1, "find_records", false)] = Counts(1, 50, (50, 1)),
            [new UsageKey(tenant, Day2, "get_record", true)] = Counts(2, 2, (1, 2)),
        }, Ct);
        var report = await store.Backend.Usage.ReportAsync(tenant, Day1, Day2, Ct);

        Assert.Equal(tenant, report.Tenant);
        Assert.Equal(new UsageFigures(6, 5, 1, 82d / 6, 10, 50), report.Totals);
        Assert.Equal([new ToolUsage("find_records", new UsageFigures(4, 3, 1, 20, 10, 50)), new ToolUsage("get_record", new UsageFigures(2, 2, 0, 1, 1, 1))], report.Tools);
        Assert.Equal([new DayUsage(Day1, new UsageFigures(4, 3, 1, 20, 10, 50)), new DayUsage(Day2, new UsageFigures(2, 2, 0, 1, 1, 1))], report.Days);
        Assert.Equal(2, report.Cells.Count);
    }

    [Theory, Backends]
    public async Task Add_SameKeyTwice_AddsToTheStoredTotals(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var key = new UsageKey(acme.Id.Value, Day1, "search", true);

        await store.Backend.Usage.AddAsync(new Dictionary<UsageKey, UsageCounts> { [key] = Counts(2, 4, (2.5, 2)) }, Ct);
        await store.Backend.Usage.AddAsync(new Dictionary<UsageKey, UsageCounts> { [key] = Counts(3, 600, (250, 1), (500, 2)) }, Ct);
        var report = await store.Backend.Usage.ReportAsync(acme.Id.Value, Day1, Day1, Ct);

        Assert.Equal(new UsageFigures(5, 5, 0, 604d / 5, 250, 500), report.Totals);
        Assert.Equal([new DayToolUsage(Day1, "search", new UsageFigures(5, 5, 0, 604d / 5, 250, 500))], report.Cells);
    }

    [Theory, Backends]
    public async Task Report_DaysOutsideThePeriod_LeftOut(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await store.Backend.Usage.AddAsync(new Dictionary<UsageKey, UsageCounts>
        {
            [new UsageKey(acme.Id.Value, Day1, "a", true)] = Counts(1, 1, (1, 1)),
            [new UsageKey(acme.Id.Value, Day2, "b", true)] = Counts(7, 7, (1, 7)),
        }, Ct);

        var report = await store.Backend.Usage.ReportAsync(acme.Id.Value, Day2, Day2.AddDays(10), Ct);

        Assert.Equal(7, report.TotalRequests);
        Assert.Equal(["b"], report.Tools.Select(t => t.Tool));
    }

    [Theory, Backends]
    public async Task Report_OtherTenant_SeesNoneOfTheCalls(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await store.Backend.Usage.AddAsync(new Dictionary<UsageKey, UsageCounts>
        {
            [new UsageKey(acme.Id.Value, Day1, "find_records", true)] = Counts(9, 9, (1, 9)),
            [new UsageKey(globex.Id.Value, Day1, "get_record", true)] = Counts(1, 1, (1, 1)),
        }, Ct);

        var report = await store.Backend.Usage.ReportAsync(globex.Id.Value, Day1, Day2, Ct);

        Assert.Equal(new UsageFigures(1, 1, 0, 1, 1, 1), report.Totals);
        Assert.Equal(["get_record"], report.Tools.Select(t => t.Tool));
    }

    static UsageCounts Counts(long calls, double totalMs, params (double Ms, long Count)[] latencies)
    {
        var buckets = new long[LatencyBuckets.UpperBoundsMs.Length];
        foreach (var (ms, count) in latencies) buckets[LatencyBuckets.IndexOf(ms)] += count;
        return new UsageCounts(calls, totalMs, buckets);
    }
}
