using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Automation;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Tests;

/// <summary>
/// work_queue and /api/work on the real server: claims in priority order with the record, only the lease holder
/// finishes, lapsed leases return items (and fail them after the last attempt), concurrent claims get distinct items,
/// and an automation rule's enqueue_work makes one item per triggering change, also when its run is replayed.
/// </summary>
public sealed class WorkQueueTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Task<JsonElement> WorkAsync(TestTenant tenant, object arguments) => tenant.CallOkAsync("work_queue", arguments);

    static async Task<string> WorkErrorAsync(TestTenant tenant, object arguments) => Mcp.ErrorText(await tenant.CallAsync("work_queue", arguments));

    static async Task<string> EnqueueAsync(TestTenant tenant, string queue, string prompt, string? priority = null, string? due = null, string? recordId = null, string? type = null) =>
        (await WorkAsync(tenant, new { action = "enqueue", queue, prompt, priority, due, record_id = recordId, type })).Str("id");

    static async Task<JsonElement> CountsAsync(TestTenant tenant, string queue) =>
        (await WorkAsync(tenant, new { action = "list", queue })).GetProperty("counts");

    static (long Queued, long Claimed, long Done, long Failed) Counts(JsonElement counts) =>
        (counts.GetProperty("queued").GetInt64(), counts.GetProperty("claimed").GetInt64(), counts.GetProperty("done").GetInt64(), counts.GetProperty("failed").GetInt64());

    [Fact]
    public async Task Claim_HandsOutTheHighestPriorityItem_WithItsRecord_AndCompleteKeepsTheNote()
    {
        var tenant = await server.CreateTenantAsync("Work claim");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Initech", Industry = "Technology", Website = "initech.example" })).Str("Id");
        string low = await EnqueueAsync(tenant, "research", "Later", priority: "low");
        var queued = await WorkAsync(tenant, new { action = "enqueue", queue = "research", prompt = "Research Initech: size and funding", priority = "high", due = "2031-03-01", record_id = account });
        Assert.Equal(("queued", "high", "2031-03-01T00:00:00.000+0000", "Account", account, "task", 0), (queued.Str("state"), queued.Str("priority"), queued.Str("due"), queued.Str("object"),
            queued.Str("recordId"), queued.Str("type"), queued.GetProperty("attempts").GetInt32()));

        var claim = await WorkAsync(tenant, new { action = "claim", queue = "research" });
        var item = claim.GetProperty("item");
        Assert.Equal((queued.Str("id"), "claimed", 1, tenant.UserId), (item.Str("id"), item.Str("state"), item.GetProperty("attempts").GetInt32(), item.Str("claimedById")));
        Assert.Equal(("Initech", "Technology", account), (claim.GetProperty("record").Str("Name"), claim.GetProperty("record").Str("Industry"), claim.GetProperty("record").Str("Id")));
        string lease = claim.Str("lease");
        Assert.StartsWith("lease_", lease);
        var until = DateTime.Parse(item.Str("leaseUntil"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange((until - DateTime.UtcNow).TotalSeconds, 280, 301);
        Assert.Equal((1L, 1L, 0L, 0L), Counts(await CountsAsync(tenant, "research")));

        var done = await WorkAsync(tenant, new { action = "complete", id = item.Str("id"), lease, note = "50 people, Series B in 2030." });
        Assert.Equal(("done", "50 people, Series B in 2030."), (done.Str("state"), done.Str("note")));
        Assert.False(done.TryGetProperty("leaseUntil", out _));
        Assert.True(done.TryGetProperty("finishedAt", out _));
        var got = await WorkAsync(tenant, new { action = "get", id = item.Str("id") });
        Assert.Equal(("done", "50 people, Series B in 2030."), (got.Str("state"), got.Str("note")));
        var listed = await WorkAsync(tenant, new { action = "list", queue = "research", state = "queued" });
        Assert.Equal([low], listed.GetProperty("items").EnumerateArray().Select(i => i.Str("id")));
        Assert.Equal((1L, 0L, 1L, 0L), Counts(listed.GetProperty("counts")));
    }

    [Fact]
    public async Task Claim_OrdersByPriority_ThenDue_ThenAge_AndFiltersByQueueAndType()
    {
        var tenant = await server.CreateTenantAsync("Work order");
        string low = await EnqueueAsync(tenant, "calls", "low", priority: "low");
        string noDue = await EnqueueAsync(tenant, "calls", "normal, no due");
        string later = await EnqueueAsync(tenant, "calls", "normal, due later", due: "2031-05-02");
        string sooner = await EnqueueAsync(tenant, "calls", "normal, due sooner", due: "2031-05-01T09:00:00Z");
        string high = await EnqueueAsync(tenant, "calls", "high", priority: "HIGH");
        string other = await EnqueueAsync(tenant, "emails", "another queue", priority: "high");
        string typed = await EnqueueAsync(tenant, "calls", "a follow-up", priority: "low", type: "follow_up");

        Assert.Equal(typed, (await WorkAsync(tenant, new { action = "claim", queue = "calls", type = "follow_up" })).GetProperty("item").Str("id"));
        var order = new List<string>();
        for (int i = 0; i < 5; i++) order.Add((await WorkAsync(tenant, new { action = "claim", queue = "calls" })).GetProperty("item").Str("id"));
        Assert.Equal([high, sooner, later, noDue, low], order);
        var empty = await WorkAsync(tenant, new { action = "claim", queue = "calls" });
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("item").ValueKind);
        Assert.Contains("No item is waiting", empty.Str("message"));
        Assert.Equal(other, (await WorkAsync(tenant, new { action = "claim" })).GetProperty("item").Str("id"));
    }

    [Fact]
    public async Task FinishCalls_NeedTheLiveLease_FailNeedsANote_AndReleaseRequeuesWithoutUsingAnAttempt()
    {
        var tenant = await server.CreateTenantAsync("Work holder");
        string id = await EnqueueAsync(tenant, "research", "Check the website");
        var claim = await WorkAsync(tenant, new { action = "claim", queue = "research" });
        string lease = claim.Str("lease");

        Assert.Contains("leased to another claim", await WorkErrorAsync(tenant, new { action = "complete", id, lease = "lease_not-mine", note = "x" }));
        Assert.Contains("needs lease", await WorkErrorAsync(tenant, new { action = "complete", id }));
        Assert.Contains("fail needs a note", await WorkErrorAsync(tenant, new { action = "fail", id, lease }));
        Assert.Equal((0L, 1L, 0L, 0L), Counts(await CountsAsync(tenant, "research")));

        var released = await WorkAsync(tenant, new { action = "release", id, lease, note = "Not my area." });
        Assert.Equal(("queued", 0, "Not my area."), (released.Str("state"), released.GetProperty("attempts").GetInt32(), released.Str("note")));
        Assert.Contains("went back to the queue", await WorkErrorAsync(tenant, new { action = "complete", id, lease }));

        string lease2 = (await WorkAsync(tenant, new { action = "claim", queue = "research" })).Str("lease");
        var failed = await WorkAsync(tenant, new { action = "fail", id, lease = lease2, note = "The site is down." });
        Assert.Equal(("failed", 1, "The site is down."), (failed.Str("state"), failed.GetProperty("attempts").GetInt32(), failed.Str("note")));
        Assert.Contains("already failed", await WorkErrorAsync(tenant, new { action = "complete", id, lease = lease2 }));
        Assert.Equal((0L, 0L, 0L, 1L), Counts(await CountsAsync(tenant, "research")));
    }

    [Fact]
    public async Task LapsedLease_ReturnsTheItemToTheQueue_TheStaleHolderIsRefused_AndTheLastAttemptFailsIt()
    {
        var tenant = await server.CreateTenantAsync("Work lease");
        string id = await EnqueueAsync(tenant, "research", "Slow work");
        string stale = (await WorkAsync(tenant, new { action = "claim", queue = "research", lease_seconds = 2 })).Str("lease");
        Assert.Equal(JsonValueKind.Null, (await WorkAsync(tenant, new { action = "claim", queue = "research" })).GetProperty("item").ValueKind);
        await Task.Delay(2300, Ct);
        Assert.Equal((1L, 0L, 0L, 0L), Counts(await CountsAsync(tenant, "research")));
        Assert.Equal("queued", (await WorkAsync(tenant, new { action = "get", id })).Str("state"));

        var second = await WorkAsync(tenant, new { action = "claim", queue = "research", lease_seconds = 2 });
        Assert.Equal((id, 2), (second.GetProperty("item").Str("id"), second.GetProperty("item").GetProperty("attempts").GetInt32()));
        Assert.Contains("leased to another claim", await WorkErrorAsync(tenant, new { action = "complete", id, lease = stale, note = "late" }));
        await Task.Delay(2300, Ct);
        var third = await WorkAsync(tenant, new { action = "claim", queue = "research", lease_seconds = 2 });
        Assert.Equal(3, third.GetProperty("item").GetProperty("attempts").GetInt32());
        await Task.Delay(2300, Ct);

        var failed = await WorkAsync(tenant, new { action = "get", id });
        Assert.Equal(("failed", 3), (failed.Str("state"), failed.GetProperty("attempts").GetInt32()));
        Assert.Contains("lease lapsed on each of 3 attempts", failed.Str("note"));
        Assert.Equal(JsonValueKind.Null, (await WorkAsync(tenant, new { action = "claim", queue = "research" })).GetProperty("item").ValueKind);
        Assert.Equal((0L, 0L, 0L, 1L), Counts(await CountsAsync(tenant, "research")));
        Assert.Contains("lease_seconds must be 2 to 3600", await WorkErrorAsync(tenant, new { action = "claim", lease_seconds = 1 }));
    }

    [Fact]
    public async Task TwentyConcurrentClaims_OverMcp_GetDistinctItems()
    {
        var tenant = await server.CreateTenantAsync("Work concurrent");
        var ids = new List<string>();
        for (int i = 0; i < 15; i++) ids.Add(await EnqueueAsync(tenant, "burst", $"Item {i}"));
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => WorkAsync(tenant, new { action = "claim", queue = "burst" })));
        var claimed = claims.Select(c => c.GetProperty("item")).Where(i => i.ValueKind == JsonValueKind.Object).Select(i => i.Str("id")).ToList();
        Assert.Equal(15, claimed.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), claimed.Order(StringComparer.Ordinal));
        Assert.Equal(15, claims.Where(c => c.TryGetProperty("lease", out _)).Select(c => c.Str("lease")).Distinct().Count());
        Assert.Equal((0L, 15L, 0L, 0L), Counts(await CountsAsync(tenant, "burst")));
    }

    [Fact]
    public async Task RestApi_EnqueueClaimCompleteAndList()
    {
        var tenant = await server.CreateTenantAsync("Work REST");
        var created = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work", tenant.ApiKey, """{"queue": "research", "prompt": "Research Globex", "priority": "high"}""");
        Assert.True(created.Status == HttpStatusCode.Created, created.Text);
        string id = created.Body.Str("id");
        var claim = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work/claim", tenant.ApiKey, """{"queue": "research"}""");
        Assert.True(claim.Status == HttpStatusCode.OK, claim.Text);
        Assert.Equal(id, claim.Body.GetProperty("item").Str("id"));
        var stale = await ApiClient.SendAsync(server, HttpMethod.Post, $"/api/work/{id}/complete", tenant.ApiKey, """{"lease": "lease_other"}""");
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        var done = await ApiClient.SendAsync(server, HttpMethod.Post, $"/api/work/{id}/complete", tenant.ApiKey, JsonSerializer.Serialize(new { lease = claim.Body.Str("lease"), note = "Done." }));
        Assert.True(done.Status == HttpStatusCode.OK, done.Text);
        Assert.Equal(("done", "Done."), (done.Body.Str("state"), done.Body.Str("note")));
        var list = await ApiClient.GetAsync(server, "/api/work?queue=research", tenant.ApiKey);
        Assert.Equal((0L, 0L, 1L, 0L), Counts(list.Body.GetProperty("counts")));
        Assert.Equal(HttpStatusCode.NotFound, (await ApiClient.GetAsync(server, "/api/work/wi_nothing", tenant.ApiKey)).Status);
        var bad = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/work", tenant.ApiKey, """{"queue": "research"}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("prompt is required", bad.Text);
    }

    [Fact]
    public async Task Rule_AssignsWebLeadsRoundRobin_AndEnqueuesOneResearchItemEach_EvenWhenItsRunIsReplayed()
    {
        var tenant = await server.CreateTenantAsync("Work rule");
        var second = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey, JsonSerializer.Serialize(new { email = "rep2@work.example", name = "Rep Two" }));
        Assert.True(second.Status == HttpStatusCode.Created, second.Text);
        string[] reps = [tenant.UserId, second.Body.Str("Id")];
        var rule = new
        {
            name = "Research web leads",
            @object = "Lead",
            trigger = new { on = "created" },
            condition = "LeadSource = 'Web'",
            actions = new object[]
            {
                new { type = "assign_owner", users = reps },
                new { type = "enqueue_work", queue = "research", prompt = "Research {!Company} for {!LastName}", priority = "high", due = "{!TODAY+2}" },
            },
        };
        string ruleId = (await tenant.CallOkAsync("manage_automation", new { action = "create", rule })).Str("id");
        string hooli = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Bighead", Company = "Hooli", LeadSource = "Web" } })).Str("Id");
        string pied = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Hendricks", Company = "Pied Piper", LeadSource = "Web" } })).Str("Id");
        await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Gavin", Company = "Phone Co", LeadSource = "Phone Inquiry" } });

        var runs = await FinishedRunsAsync(tenant, ruleId, 3);
        Assert.Equal(["done", "done", "skipped"], runs.Select(r => r.Str("status")));
        var items = (await WorkAsync(tenant, new { action = "list", queue = "research" })).GetProperty("items").EnumerateArray().Reverse().ToArray();
        string due = DateTime.UtcNow.Date.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00.000+0000";
        Assert.Equal([(hooli, "Research Hooli for Bighead"), (pied, "Research Pied Piper for Hendricks")], items.Select(i => (i.Str("recordId"), i.Str("prompt"))));
        Assert.All(items, i => Assert.Equal(("high", "Lead", "rule:" + ruleId, "queued"), (i.Str("priority"), i.Str("object"), i.Str("source"), i.Str("state"))));
        Assert.All(items, i => Assert.StartsWith(due[..10], i.Str("due")));
        var owners = await Task.WhenAll(new[] { hooli, pied }.Select(async id => (await tenant.CallOkAsync("get_record", new { Id = id })).Str("OwnerId")));
        Assert.Equal(reps.Order(StringComparer.Ordinal), owners.Order(StringComparer.Ordinal));

        // The run of Hooli's lead again, as the runner would after a crash between its actions and its outcome.
        var services = server.Services;
        Assert.True(TenantId.TryParse(tenant.TenantId, out var tenantId));
        var stored = (await services.GetRequiredService<IAutomationStore>().GetAsync(tenantId, ruleId, Ct))!;
        var definition = (await services.GetRequiredService<AutomationService>().DefinitionAsync(stored, Ct)).Value;
        var run = runs[0];
        var replay = await services.GetRequiredService<AutomationExecutor>().RunAsync(stored, definition,
            new DueRun(tenantId, run.Str("id"), ruleId, run.GetProperty("seq").GetInt64(), "Lead", run.Str("recordId"), "created", 1, "{}", 2, "replay"), 0, dryRun: false, Ct);
        Assert.Equal(AutomationRun.Statuses.Done, replay.Status);
        Assert.Contains("\"type\":\"enqueue_work\",\"object\":\"WorkItem\",\"id\":\"" + items.Single(i => i.Str("recordId") == run.Str("recordId")).Str("id") + "\",\"outcome\":\"already done\"", replay.Result);
        Assert.Equal((2L, 0L, 0L, 0L), Counts(await CountsAsync(tenant, "research")));

        // The agent side: the item comes with the lead.
        var claim = await WorkAsync(tenant, new { action = "claim", queue = "research" });
        Assert.Equal(claim.GetProperty("item").Str("recordId"), claim.GetProperty("record").Str("Id"));
        Assert.Contains(claim.GetProperty("record").Str("Company"), new[] { "Hooli", "Pied Piper" });
    }

    [Theory]
    [InlineData("""{"type": "enqueue_work", "queue": "research", "prompt": "x", "colour": "red"}""", "actions[0]: unknown key 'colour'")]
    [InlineData("""{"type": "enqueue_work", "prompt": "Research {!Company}"}""", "actions[0].queue is required")]
    [InlineData("""{"type": "enqueue_work", "queue": "re search; DROP", "prompt": "x"}""", "actions[0].queue 're search; DROP' is not a queue name")]
    [InlineData("""{"type": "enqueue_work", "queue": "research", "prompt": "x", "priority": "urgent"}""", "actions[0].priority must be one of low, normal, high")]
    [InlineData("""{"type": "enqueue_work", "queue": "research", "prompt": "x", "due": "next week"}""", "actions[0].due: due must be an ISO 8601 date")]
    [InlineData("""{"type": "enqueue_work", "queue": "research", "prompt": "Research {!Compny}"}""", "merge field does not name a field of Lead")]
    public async Task Rule_WithABadEnqueueWorkAction_IsRefusedWithThePlace(string action, string expected)
    {
        var tenant = await server.CreateTenantAsync("Work rule refused");
        var rule = JsonDocument.Parse($$"""{"name": "Bad", "object": "Lead", "trigger": {"on": "created"}, "actions": [{{action}}]}""").RootElement;
        string error = Mcp.ErrorText(await tenant.CallAsync("manage_automation", new { action = "create", rule }));
        Assert.Contains(expected, error);
        Assert.Equal(0, (await tenant.CallOkAsync("manage_automation", new { action = "list" })).GetProperty("count").GetInt32());
    }

    static async Task<JsonElement[]> FinishedRunsAsync(TestTenant tenant, string ruleId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var runs = (await tenant.CallOkAsync("manage_automation", new { action = "runs", rule_id = ruleId })).GetProperty("runs").EnumerateArray().ToArray();
            if (runs.Length >= count && runs.All(r => r.Str("status") != "pending")) return runs.Reverse().ToArray();
            if (DateTime.UtcNow > deadline) Assert.Fail($"expected {count} finished runs, have: {string.Join(", ", runs.Select(r => r.Str("status")))}");
            await Task.Delay(25, Ct);
        }
    }
}
