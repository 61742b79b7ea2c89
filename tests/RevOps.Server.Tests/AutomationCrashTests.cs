using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>A real `revops serve` killed with SIGKILL right after a change that a rule acts on, then started again on the same data.</summary>
public sealed class AutomationCrashTests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-automation-crash-" + Guid.NewGuid().ToString("N"));
    string? _database;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(_data);

    [Fact]
    public async Task Kill9_BetweenChangeAndAction_ActionRunsExactlyOnceAfterRestart()
    {
        int port = ServeProcess.FreePort();
        var env = new Dictionary<string, string>();
        string key;
        var deals = new List<string>();
        await using (var first = await ServeProcess.StartAsync(_data, port, env))
        {
            (_, key) = await first.CreateTenantAsync("Automation crash", "enterprise");
            var rule = await first.SendAsync(HttpMethod.Post, "/api/automation", key, new
            {
                name = "Onboard won deals",
                @object = "Opportunity",
                trigger = new { on = "created_or_updated" },
                condition = "IsWon = true",
                actions = new object[] { new { type = "create_record", @object = "Task", fields = new { Subject = "Onboard {!Name}", WhatId = "{!Id}", OwnerId = "{!OwnerId}" } } },
            });
            Assert.Equal(HttpStatusCode.Created, rule.Status);
            for (int i = 0; i < 5; i++)
            {
                var created = await first.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/Opportunity", key,
                    new { Name = $"Crash {i}", StageName = "Closed Won", CloseDate = "2031-01-15" });
                Assert.Equal(HttpStatusCode.Created, created.Status);
                deals.Add(created.Body.Str("id"));
            }
            first.Kill(); // the changes are committed; their runs are made, leased or done, or not yet
        }

        await using var second = await ServeProcess.StartAsync(_data, port, env);
        // A run the kill left leased (its action may have committed, its outcome not) falls due again when its 30 s
        // lease ends, runs again and finds its action done by the idempotency key: wait until no run is pending.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement runs;
        while (true)
        {
            runs = (await second.SendAsync(HttpMethod.Get, "/api/automation/runs", key)).Body;
            if (runs.GetProperty("count").GetInt32() == deals.Count && runs.GetProperty("runs").EnumerateArray().All(r => r.Str("status") != "pending")) break;
            Assert.True(DateTime.UtcNow < deadline, $"runs still pending a minute after the restart: {runs}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.All(runs.GetProperty("runs").EnumerateArray(), r => Assert.Equal("done", r.Str("status")));
        var tasks = await TasksAsync(second, key);
        Assert.Equal(deals.Order(StringComparer.Ordinal), tasks.Select(t => t.Str("WhatId")).Order(StringComparer.Ordinal));
    }

    static async Task<JsonElement[]> TasksAsync(ServeProcess server, string key)
    {
        var reply = await server.SendAsync(HttpMethod.Get, "/services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Id, WhatId FROM Task"), key);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body.GetProperty("records").EnumerateArray().ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(_database);
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
