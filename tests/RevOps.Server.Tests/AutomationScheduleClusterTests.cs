using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Rules on two real `revops serve` processes sharing one PostgreSQL database. A scheduled rule: both look for due
/// fires every second, one of them makes the run, and the fire's actions happen once. A change rule: both follow
/// the change log, and each won deal gets one task whichever node it was won on. Run in test.sh's PostgreSQL pass
/// (the name keeps it out of the SQLite pass).
/// </summary>
public sealed class AutomationScheduleClusterTests : IAsyncLifetime
{
    readonly TestCluster _cluster = new(withRedis: false);

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ScheduledRule_OnTwoNodes_FiresOncePerMinute()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Schedule Across", tier: "professional");
        var deals = new List<string>();
        for (int i = 0; i < 3; i++)
            deals.Add((await b.SendAsync(HttpMethod.Post, "services/data/v60.0/sobjects/Opportunity", key,
                new { Name = $"Open {i}", StageName = "Prospecting", CloseDate = "2031-01-15" })).Body.Str("id"));

        var created = await a.SendAsync(HttpMethod.Post, "api/automation", key, AutomationTests.NudgeOpenDealsEveryMinute);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.Status);
        string ruleId = created.Body.Str("id");

        // Wait for the first fire to finish, then for the next minute's fire to be made too (both nodes looked each second).
        var runs = await FinishedRunsAsync(b, key, ruleId, 2, TimeSpan.FromSeconds(150));
        Assert.All(runs, r => Assert.Equal("done", r.Str("status")));
        var seqs = runs.Select(r => r.GetProperty("seq").GetInt64()).Order().ToArray();
        Assert.Equal(60, seqs[1] - seqs[0]);
        Assert.Equal(2, seqs.Distinct().Count());

        // Two fires over three open deals: six tasks, never more.
        var tasks = await a.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT WhatId FROM Task"), key);
        var whats = tasks.Body.GetProperty("records").EnumerateArray().Select(r => r.Str("WhatId")).ToArray();
        Assert.Equal(6, whats.Length);
        Assert.All(deals, d => Assert.Equal(2, whats.Count(w => w == d)));
    }

    [Fact]
    public async Task WonDeals_OnEitherNode_EachGetOneTask_Within2Seconds()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Won Across", tier: "professional");
        var created = await a.SendAsync(HttpMethod.Post, "api/automation", key, AutomationTests.WonDealRule);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.Status);
        string ruleId = created.Body.Str("id");

        var deals = new List<string>();
        for (int i = 0; i < 10; i++)
            deals.Add((await (i % 2 == 0 ? a : b).SendAsync(HttpMethod.Post, "services/data/v60.0/sobjects/Opportunity", key,
                new { Name = $"Deal {i}", StageName = "Negotiation/Review", CloseDate = "2031-01-15", Amount = 1000 + i })).Body.Str("id"));
        for (int i = 0; i < deals.Count; i++)
        {
            var won = await (i % 2 == 0 ? b : a).SendAsync(HttpMethod.Patch, $"services/data/v60.0/sobjects/Opportunity/{deals[i]}", key, new { StageName = "Closed Won" });
            Assert.Equal(System.Net.HttpStatusCode.NoContent, won.Status);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew(); // from the last win: every deal was won at least this long ago

        string[] whats;
        while (true)
        {
            var tasks = await (clock.ElapsedMilliseconds % 2 == 0 ? a : b).SendAsync(HttpMethod.Get,
                "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT WhatId FROM Task"), key);
            whats = tasks.Body.GetProperty("records").EnumerateArray().Select(r => r.Str("WhatId")).ToArray();
            if (whats.Length >= deals.Count) break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{whats.Length} of {deals.Count} tasks after {clock.ElapsedMilliseconds} ms");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        // One run per change of StageName: the create (its condition false) and the win, each made once.
        var runs = await FinishedRunsAsync(a, key, ruleId, 2 * deals.Count, TimeSpan.FromSeconds(10));
        Assert.Equal(2 * deals.Count, runs.Length);
        Assert.Equal(deals.Count, runs.Count(r => r.Str("status") == "done"));
        Assert.Equal(deals.Count, runs.Count(r => r.Str("status") == "skipped"));
        Assert.Equal(runs.Length, runs.Select(r => r.GetProperty("seq").GetInt64()).Distinct().Count());

        // Both nodes kept following the log for a while after: still one task per deal, never two.
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        var again = await b.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT WhatId FROM Task"), key);
        whats = again.Body.GetProperty("records").EnumerateArray().Select(r => r.Str("WhatId")).ToArray();
        Assert.Equal(deals.Order(), whats.Order());
    }

    static async Task<JsonElement[]> FinishedRunsAsync(ServeProcess node, string key, string ruleId, int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var reply = await node.SendAsync(HttpMethod.Get, $"api/automation/runs?rule_id={ruleId}", key);
            var runs = reply.Body.GetProperty("runs").EnumerateArray().ToArray();
            if (runs.Length >= count && runs.All(r => r.Str("status") != "pending")) return runs;
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} finished runs within {within}: {reply.Body}");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
