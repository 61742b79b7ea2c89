using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// A scheduled rule on two real `revops serve` processes sharing one PostgreSQL database: both look for due fires
/// every second, one of them makes the run, and the fire's actions happen once. Run in test.sh's PostgreSQL pass
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
