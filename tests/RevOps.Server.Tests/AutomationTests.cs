using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// manage_automation on the real server: rules run from the change log, once per change, through the
/// domain write path; conditions, merge fields, parents, round-robin, loop protection, dry runs, isolation.
/// </summary>
public sealed class AutomationTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    internal static readonly object WonDealRule = new
    {
        name = "Onboard won deals",
        @object = "Opportunity",
        trigger = new { on = "field_changed", fields = new[] { "StageName" } },
        condition = "IsWon = true",
        actions = new object[]
        {
            new { type = "create_record", @object = "Task", fields = new Dictionary<string, object> { ["Subject"] = "Onboard {!Name}", ["WhatId"] = "{!Id}", ["OwnerId"] = "{!OwnerId}", ["ActivityDate"] = "{!TODAY+3}" } },
        },
    };

    static async Task<string> CreateRuleAsync(TestTenant tenant, object rule) =>
        (await tenant.CallOkAsync("manage_automation", new { action = "create", rule })).Str("id");

    static async Task<JsonElement[]> RunsAsync(TestTenant tenant, string ruleId) =>
        (await tenant.CallOkAsync("manage_automation", new { action = "runs", rule_id = ruleId })).GetProperty("runs").EnumerateArray().ToArray();

    /// <summary>Polls until the rule has <paramref name="count"/> finished runs (none pending); returns them oldest first.</summary>
    static async Task<JsonElement[]> FinishedRunsAsync(TestTenant tenant, string ruleId, int count, int seconds = 15)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (true)
        {
            var runs = await RunsAsync(tenant, ruleId);
            if (runs.Length >= count && runs.All(r => r.Str("status") != "pending")) return runs.Reverse().ToArray();
            if (DateTime.UtcNow > deadline) Assert.Fail($"expected {count} finished runs, have: {string.Join(", ", runs.Select(r => r.Str("status")))}");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    static async Task<JsonElement[]> QueryAsync(TestTenant tenant, string soql) =>
        (await tenant.CallOkAsync("soql_query", new { query = soql })).GetProperty("records").EnumerateArray().ToArray();

    async Task<string> CreateUserAsync(TestTenant tenant, string email, string name)
    {
        var reply = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey, JsonSerializer.Serialize(new { email, name }));
        Assert.True(reply.Status == HttpStatusCode.Created, reply.Text);
        return reply.Body.Str("Id");
    }

    [Fact]
    public async Task WonDeal_CreatesTaskForItsOwner_ExactlyOnce_Within2Seconds()
    {
        var tenant = await server.CreateTenantAsync("Automation won deal");
        string ruleId = await CreateRuleAsync(tenant, WonDealRule);
        string opp = (await tenant.CallOkAsync("create_opportunity", new { Name = "Umbrella", StageName = "Prospecting", CloseDate = "2031-01-15", Amount = 50000 })).Str("Id");

        var clock = Stopwatch.StartNew();
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = opp, StageName = "Closed Won" });
        JsonElement[] tasks;
        while ((tasks = await QueryAsync(tenant, $"SELECT Id, Subject, OwnerId, ActivityDate FROM Task WHERE WhatId = '{opp}'")).Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20, TestContext.Current.CancellationToken);
        var took = clock.Elapsed;
        var task = Assert.Single(tasks);
        Assert.True(took < TimeSpan.FromSeconds(2), $"the task came after {took.TotalMilliseconds:F0} ms");
        Assert.Equal("Onboard Umbrella", task.Str("Subject"));
        Assert.Equal(tenant.UserId, task.Str("OwnerId"));
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3).ToString("yyyy-MM-dd"), task.Str("ActivityDate"));

        // The create (StageName set, not won) was a run whose condition was false; the stage change made the task.
        var runs = await FinishedRunsAsync(tenant, ruleId, 2);
        Assert.Equal(["skipped", "done"], runs.Select(r => r.Str("status")));
        Assert.Equal("created", runs[1].GetProperty("actions")[0].Str("outcome"));
        Assert.Equal(task.Str("Id"), runs[1].GetProperty("actions")[0].Str("id"));
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(await QueryAsync(tenant, $"SELECT Id FROM Task WHERE WhatId = '{opp}'"));

        // The task's change-log row names the rule as actor, on the automation channel.
        var change = Assert.Single((await tenant.CallOkAsync("list_changes", new { Id = task.Str("Id") })).GetProperty("changes").EnumerateArray());
        Assert.Equal("automation", change.Str("channel"));
        Assert.Equal("automation: Onboard won deals", change.GetProperty("actor").Str("Name"));
    }

    [Fact]
    public async Task FieldChangedWithIsChanged_RunsOnlyWhenTheConditionHolds()
    {
        var tenant = await server.CreateTenantAsync("Automation ischanged");
        string ruleId = await CreateRuleAsync(tenant, new
        {
            name = "Flag executives",
            @object = "Contact",
            trigger = new { on = "updated" },
            condition = "ISCHANGED(Title) AND Title = 'CEO' AND PRIORVALUE(Title) != 'Founder'",
            actions = new object[] { new { type = "update_fields", fields = new { Description = "Executive: {!LastName} at {!Account.Name}" } } },
        });
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Initech" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Lumbergh", AccountId = account, Title = "Founder" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = contact, Title = "CEO" });       // was Founder: PRIORVALUE false
        await tenant.CallOkAsync("update_contact", new { Id = contact, Email = "bill@initech.test" }); // Title unchanged: ISCHANGED false
        await tenant.CallOkAsync("update_contact", new { Id = contact, Title = "CTO" });       // Title not CEO
        var skipped = await FinishedRunsAsync(tenant, ruleId, 3);
        Assert.Equal(["skipped", "skipped", "skipped"], skipped.Select(r => r.Str("status")));
        Assert.False((await tenant.CallOkAsync("get_contact", new { Id = contact })).TryGetProperty("Description", out var none) && none.ValueKind == JsonValueKind.String);

        await tenant.CallOkAsync("update_contact", new { Id = contact, Title = "CEO" });       // was CTO: runs
        var runs = await FinishedRunsAsync(tenant, ruleId, 4);
        Assert.Equal("done", runs[3].Str("status"));
        Assert.Equal("Executive: Lumbergh at Initech", (await tenant.CallOkAsync("get_contact", new { Id = contact })).Str("Description"));
    }

    [Fact]
    public async Task UpdateFieldsOnParent_AndAssignOwnerRoundRobin_OverTwoUsers()
    {
        var tenant = await server.CreateTenantAsync("Automation parent and owners");
        string ann = await CreateUserAsync(tenant, $"ann.{tenant.TenantId[..8]}@rr.test", "Ann Alpha");
        string bob = await CreateUserAsync(tenant, $"bob.{tenant.TenantId[..8]}@rr.test", "Bob Beta");
        string ruleId = await CreateRuleAsync(tenant, new
        {
            name = "Route new deals",
            @object = "Opportunity",
            trigger = new { on = "created" },
            actions = new object[]
            {
                new { type = "assign_owner", users = new[] { ann, bob } },
                new { type = "update_fields", parent = "AccountId", fields = new { Description = "Latest deal: {!Name}" } },
            },
        });
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        var opps = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            opps.Add((await tenant.CallOkAsync("create_opportunity", new { Name = $"Deal {i}", StageName = "Prospecting", CloseDate = "2031-01-15", AccountId = account })).Str("Id"));
            await FinishedRunsAsync(tenant, ruleId, i);
        }
        var owners = new List<string>();
        foreach (var opp in opps) owners.Add((await tenant.CallOkAsync("get_opportunity", new { Id = opp })).Str("OwnerId"));
        Assert.Equal([ann, bob, ann], owners);
        Assert.Equal("Latest deal: Deal 3", (await tenant.CallOkAsync("get_account", new { Id = account })).Str("Description"));
        Assert.All(await RunsAsync(tenant, ruleId), r => Assert.Equal("done", r.Str("status")));
    }

    [Fact]
    public async Task SelfTriggeringRule_StopsBeyondDepth3_AndTheLogSaysSo()
    {
        var tenant = await server.CreateTenantAsync("Automation loop");
        string ruleId = await CreateRuleAsync(tenant, new
        {
            name = "Echo",
            @object = "Contact",
            trigger = new { on = "field_changed", fields = new[] { "Description" } },
            actions = new object[] { new { type = "update_fields", fields = new { Description = "{!Description}x" } } },
        });
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Loop" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = contact, Description = "a" });
        var runs = await FinishedRunsAsync(tenant, ruleId, 4);
        Assert.Equal(["done", "done", "done", "stopped"], runs.Select(r => r.Str("status")));
        Assert.Equal([1, 2, 3, 4], runs.Select(r => r.GetProperty("depth").GetInt32()));
        Assert.Contains("Loop protection", runs[3].Str("error"));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(4, (await RunsAsync(tenant, ruleId)).Length);
        Assert.Equal("axxx", (await tenant.CallOkAsync("get_contact", new { Id = contact })).Str("Description"));
    }

    [Fact]
    public async Task Test_IsADryRun_ShowsWhatWouldHappen_AndWritesNothing()
    {
        var tenant = await server.CreateTenantAsync("Automation dry run");
        string opp = (await tenant.CallOkAsync("create_opportunity", new { Name = "Dry", StageName = "Prospecting", CloseDate = "2031-01-15" })).Str("Id");
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = opp, StageName = "Closed Won" });
        var changesBefore = (await tenant.CallOkAsync("list_changes", new { })).GetProperty("changes").GetArrayLength();

        var report = await tenant.CallOkAsync("manage_automation", new { action = "test", rule = WonDealRule, limit = 5 });
        Assert.True(report.GetProperty("dryRun").GetBoolean());
        Assert.Equal(2, report.GetProperty("changesRead").GetInt32());
        var runs = report.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(["skipped", "would_run"], runs.Select(r => r.Str("status")));
        var action = runs[1].GetProperty("actions")[0];
        Assert.Equal("would create", action.Str("outcome"));
        Assert.Equal("Onboard Dry", action.GetProperty("fields").Str("Subject"));
        Assert.Equal(opp, action.GetProperty("fields").Str("WhatId"));

        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Empty(await QueryAsync(tenant, "SELECT Id FROM Task"));
        Assert.Equal(changesBefore, (await tenant.CallOkAsync("list_changes", new { })).GetProperty("changes").GetArrayLength());
        Assert.Equal(0, (await tenant.CallOkAsync("manage_automation", new { action = "list" })).GetProperty("count").GetInt32());
    }

    internal static readonly object NudgeOpenDealsEveryMinute = new
    {
        name = "Nudge open deals",
        @object = "Opportunity",
        trigger = new { schedule = "* * * * *", timezone = "Europe/Berlin" },
        condition = "IsClosed = false",
        actions = new object[] { new { type = "create_record", @object = "Task", fields = new Dictionary<string, object> { ["Subject"] = "Nudge {!Name}", ["WhatId"] = "{!Id}" } } },
    };

    [Fact]
    public async Task ScheduledRule_FiresOnItsMinute_OverTheRecordsItsConditionSelects_Once()
    {
        var tenant = await server.CreateTenantAsync("Automation schedule");
        string a = (await tenant.CallOkAsync("create_opportunity", new { Name = "Stale A", StageName = "Prospecting", CloseDate = "2031-01-15" })).Str("Id");
        string b = (await tenant.CallOkAsync("create_opportunity", new { Name = "Stale B", StageName = "Qualification", CloseDate = "2031-01-15" })).Str("Id");
        string won = (await tenant.CallOkAsync("create_opportunity", new { Name = "Done deal", StageName = "Closed Won", CloseDate = "2031-01-15" })).Str("Id");

        // The dry run is one fire now: what it would create, for which records, and when the schedule fires next.
        var report = await tenant.CallOkAsync("manage_automation", new { action = "test", rule = NudgeOpenDealsEveryMinute });
        var dry = Assert.Single(report.GetProperty("runs").EnumerateArray());
        Assert.Equal("would_run", dry.Str("status"));
        Assert.Equal("scheduled", dry.Str("operation"));
        Assert.Equal(new[] { a, b }.Order(), dry.GetProperty("actions").EnumerateArray().Select(x => x.Str("record")).Order());
        Assert.All(dry.GetProperty("actions").EnumerateArray(), x => Assert.Equal("would create", x.Str("outcome")));
        Assert.True(report.TryGetProperty("nextFireAt", out _));
        Assert.Empty(await QueryAsync(tenant, "SELECT Id FROM Task"));

        var created = await tenant.CallOkAsync("manage_automation", new { action = "create", rule = NudgeOpenDealsEveryMinute });
        string ruleId = created.Str("id");
        var next = DateTime.Parse(created.Str("nextFireAt"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(0, next.Second);
        Assert.InRange(next - DateTime.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(61));

        var run = Assert.Single(await FinishedRunsAsync(tenant, ruleId, 1, seconds: 90));
        Assert.Equal("done", run.Str("status"));
        Assert.Equal("scheduled", run.Str("operation"));
        Assert.Equal(new DateTimeOffset(next).ToUnixTimeSeconds(), run.GetProperty("seq").GetInt64());
        var tasks = await QueryAsync(tenant, $"SELECT Subject, WhatId FROM Task WHERE WhatId IN ('{a}', '{b}', '{won}') ORDER BY Subject");
        Assert.Equal(["Nudge Stale A", "Nudge Stale B"], tasks.Select(t => t.Str("Subject")));
        Assert.Equal(new[] { a, b }.Order(), run.GetProperty("actions").EnumerateArray().Select(x => x.Str("record")).Order());

        // The rule moved to its next minute; that fire has not come, so still one run and two tasks.
        var after = await tenant.CallOkAsync("manage_automation", new { action = "get", rule_id = ruleId });
        Assert.Equal(next.AddMinutes(1), DateTime.Parse(after.Str("nextFireAt"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal));
        await tenant.CallOkAsync("manage_automation", new { action = "disable", rule_id = ruleId });
        Assert.Single(await RunsAsync(tenant, ruleId));
        Assert.Equal(2, (await QueryAsync(tenant, "SELECT Id FROM Task")).Length);
    }

    /// <summary>
    /// A pass woken by a commit only follows the change log; schedules are looked at by full passes, at least once a
    /// poll. Another tenant's creates waking the runner without pause must not keep the scheduled rule from firing.
    /// </summary>
    [Fact]
    public async Task ScheduledRule_FiresOnTime_WhileOtherTenantsCreateWithoutPause()
    {
        var tenant = await server.CreateTenantAsync("Automation schedule under writes");
        var busy = await server.CreateTenantAsync("Automation busy writer");
        string open = (await tenant.CallOkAsync("create_opportunity", new { Name = "Stale C", StageName = "Prospecting", CloseDate = "2031-01-15" })).Str("Id");
        var created = await tenant.CallOkAsync("manage_automation", new { action = "create", rule = NudgeOpenDealsEveryMinute });
        string ruleId = created.Str("id");
        var next = DateTime.Parse(created.Str("nextFireAt"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        int writes = 0;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                await busy.CallOkAsync("create_contact", new { LastName = $"Busy {w}-{i}" });
                Interlocked.Increment(ref writes);
            }
        })).ToArray();
        try
        {
            var run = Assert.Single(await FinishedRunsAsync(tenant, ruleId, 1, seconds: 90));
            var finishedBy = DateTime.UtcNow;
            Assert.Equal("done", run.Str("status"));
            Assert.Equal(new DateTimeOffset(next).ToUnixTimeSeconds(), run.GetProperty("seq").GetInt64());
            // Fired within a few polls of its minute, although commits kept waking the runner all the while.
            Assert.InRange(finishedBy - next, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            Assert.True(Volatile.Read(ref writes) > 10, $"only {writes} creates ran beside the schedule");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        var tasks = await QueryAsync(tenant, $"SELECT Subject FROM Task WHERE WhatId = '{open}'");
        Assert.Equal("Nudge Stale C", Assert.Single(tasks).Str("Subject"));
        await tenant.CallOkAsync("manage_automation", new { action = "disable", rule_id = ruleId });
    }

    [Fact]
    public async Task RelativeDateRule_ActsOnTheRecordsWhoseDateIsTheOffsetAway()
    {
        var tenant = await server.CreateTenantAsync("Automation relative date");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string inAWeek = (await tenant.CallOkAsync("create_opportunity", new { Name = "Closes in a week", StageName = "Proposal/Price Quote", CloseDate = today.AddDays(7).ToString("yyyy-MM-dd") })).Str("Id");
        await tenant.CallOkAsync("create_opportunity", new { Name = "Closes in eight days", StageName = "Proposal/Price Quote", CloseDate = today.AddDays(8).ToString("yyyy-MM-dd") });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Closed already", StageName = "Closed Won", CloseDate = today.AddDays(7).ToString("yyyy-MM-dd") });
        var rule = new
        {
            name = "A week before close",
            @object = "Opportunity",
            trigger = new { relative_to = "CloseDate", offset_days = -7, at = "00:00", timezone = "UTC" },
            condition = "IsClosed = false",
            actions = new object[] { new { type = "create_record", @object = "Task", fields = new Dictionary<string, object> { ["Subject"] = "Close plan for {!Name}", ["WhatId"] = "{!Id}" } } },
        };

        // One fire today, dry: only the open deal closing in exactly seven days.
        var report = await tenant.CallOkAsync("manage_automation", new { action = "test", rule });
        var fire = Assert.Single(report.GetProperty("runs").EnumerateArray());
        var action = Assert.Single(fire.GetProperty("actions").EnumerateArray());
        Assert.Equal(inAWeek, action.Str("record"));
        Assert.Equal("Close plan for Closes in a week", action.GetProperty("fields").Str("Subject"));
        var next = DateTime.Parse(report.Str("nextFireAt"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(today.AddDays(1).ToDateTime(TimeOnly.MinValue), next);
        Assert.Empty(await QueryAsync(tenant, "SELECT Id FROM Task"));
    }

    [Fact]
    public async Task RulesOfOneTenant_NeverSeeAnothersChanges_AndRefuseItsIds()
    {
        var a = await server.CreateTenantAsync("Automation tenant A");
        var b = await server.CreateTenantAsync("Automation tenant B");
        string ruleA = await CreateRuleAsync(a, new
        {
            name = "Welcome",
            @object = "Contact",
            trigger = new { on = "created" },
            actions = new object[] { new { type = "create_record", @object = "Task", fields = new { Subject = "Welcome {!LastName}", WhoId = "{!Id}" } } },
        });
        string ruleB = await CreateRuleAsync(b, new
        {
            name = "Welcome",
            @object = "Contact",
            trigger = new { on = "created" },
            actions = new object[] { new { type = "update_fields", fields = new { Title = "Seen by B" } } },
        });
        await b.CallOkAsync("create_contact", new { LastName = "Bravo" });
        await a.CallOkAsync("create_contact", new { LastName = "Alpha" });
        var runsA = await FinishedRunsAsync(a, ruleA, 1);
        await FinishedRunsAsync(b, ruleB, 1);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(await RunsAsync(a, ruleA));
        Assert.Equal("done", runsA[0].Str("status"));
        Assert.Equal(["Welcome Alpha"], (await QueryAsync(a, "SELECT Subject FROM Task")).Select(t => t.Str("Subject")));
        Assert.Empty(await QueryAsync(b, "SELECT Id FROM Task"));

        // B's rule and B's user are not A's to see or use.
        Assert.Contains("NOT_FOUND", Mcp.ErrorText(await a.CallAsync("manage_automation", new { action = "get", rule_id = ruleB })));
        Assert.Contains("NOT_FOUND", Mcp.ErrorText(await a.CallAsync("manage_automation", new { action = "delete", rule_id = ruleB })));
        Assert.Empty((await a.CallOkAsync("manage_automation", new { action = "runs", rule_id = ruleB })).GetProperty("runs").EnumerateArray());
        var refused = Mcp.ErrorText(await a.CallAsync("manage_automation", new
        {
            action = "create",
            rule = new { name = "Steal", @object = "Contact", trigger = new { on = "created" }, actions = new object[] { new { type = "assign_owner", user = b.UserId } } },
        }));
        Assert.Contains($"user {b.UserId} is not a user of this org", refused);
        Assert.Single((await b.CallOkAsync("manage_automation", new { action = "list" })).GetProperty("rules").EnumerateArray());
    }

    [Theory]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}], \"colour\": \"red\"}", "rule: unknown key 'colour'")]
    [InlineData("{\"name\": \"x\", \"object\": \"Widget\", \"trigger\": {\"on\": \"created\"}, \"actions\": []}", "object: 'Widget' is not an object rules can use")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Titel\": \"a\"}}]}", "actions[0].fields: Titel is not a field of Contact")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"condition\": \"Title = 'a') OR (Id != null\", \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "condition: the ')' at position 11 closes nothing")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"condition\": \"Title = 'a' LIMIT 1\", \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "condition: 'LIMIT' at position 12 cannot appear in a condition")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"condition\": \"Salary__c > 5\", \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "condition is not a SOQL WHERE expression over Contact")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"schedule\": \"* * * * * *\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.schedule must be a cron expression of five fields")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"schedule\": \"99 * * * *\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.schedule '99 * * * *' is not a cron expression")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"schedule\": \"0 0 30 2 *\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "never fires")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"schedule\": \"0 9 * * MON\", \"timezone\": \"Mars/Olympus\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.timezone 'Mars/Olympus' is not a time zone")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"schedule\": \"0 9 * * MON\", \"on\": \"created\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger: unknown key 'on'")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"schedule\": \"0 9 * * MON\"}, \"condition\": \"ISCHANGED(Title)\", \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "ISCHANGED and PRIORVALUE cannot be used")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"relative_to\": \"CreatedDate\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.offset_days is required")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"relative_to\": \"LastName\", \"offset_days\": 1}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.relative_to must name a Date or DateTime field of Contact")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"relative_to\": \"Birthdate\", \"offset_days\": 1, \"at\": \"25:99\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.at is the time of day")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"sometimes\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"a\"}}]}", "trigger.on must be one of created, updated")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"actions\": [{\"type\": \"webhook\", \"url\": \"https://example.com\"}]}", "actions[0]: unknown key 'url'")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"actions\": [{\"type\": \"enqueue_work\", \"prompt\": \"Research {!Name}\"}]}", "actions[0].queue is required")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"{!Name+3}\"}}]}", "only TODAY takes a day offset")]
    [InlineData("{\"name\": \"x\", \"object\": \"Contact\", \"trigger\": {\"on\": \"created\"}, \"actions\": [{\"type\": \"update_fields\", \"fields\": {\"Title\": \"{!Nope}\"}}]}", "a merge field does not name a field of Contact")]
    public async Task MalformedRules_RefusedWithTheReason_OverMcpAndRest(string rule, string expected)
    {
        var tenant = await server.CreateTenantAsync("Automation malformed");
        var mcp = Mcp.ErrorText(await tenant.CallAsync("manage_automation", new { action = "create", rule = JsonDocument.Parse(rule).RootElement }));
        Assert.Contains(expected, mcp);
        var rest = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/automation", tenant.ApiKey, rule);
        Assert.Equal(HttpStatusCode.BadRequest, rest.Status);
        Assert.Contains(expected, rest.Body.Str("message"));
        Assert.Equal(0, (await tenant.CallOkAsync("manage_automation", new { action = "list" })).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task BadJson_AndWrongShapes_AreClearErrors_Never5xx()
    {
        var tenant = await server.CreateTenantAsync("Automation bad json");
        Assert.Contains("rule is not valid JSON", Mcp.ErrorText(await tenant.CallAsync("manage_automation", new { action = "create", rule = "{\"name\": " })));
        Assert.Contains("rule is required", Mcp.ErrorText(await tenant.CallAsync("manage_automation", new { action = "create" })));
        foreach (var body in new[] { "{\"name\": ", "[1,2]", "\"text\"", "" })
        {
            var reply = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/automation", tenant.ApiKey, body);
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        }
        var readOnly = await ApiClient.SendAsync(server, HttpMethod.Get, "/api/automation/runs?status=bogus", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, readOnly.Status);
        Assert.Contains("status must be one of", readOnly.Body.Str("message"));
    }

    [Fact]
    public async Task RestAndMcp_ManageTheSameRules_EnableDisableDelete()
    {
        var tenant = await server.CreateTenantAsync("Automation rest");
        var created = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/automation", tenant.ApiKey, JsonSerializer.Serialize(WonDealRule));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string id = created.Body.Str("id");
        Assert.True(created.Body.GetProperty("enabled").GetBoolean());
        var disabled = await ApiClient.SendAsync(server, HttpMethod.Post, $"/api/automation/{id}/disable", tenant.ApiKey);
        Assert.False(disabled.Body.GetProperty("enabled").GetBoolean());
        Assert.False((await tenant.CallOkAsync("manage_automation", new { action = "get", rule_id = id })).GetProperty("enabled").GetBoolean());

        // Disabled, a won deal makes nothing; enabled again, only later changes count.
        string opp = (await tenant.CallOkAsync("create_opportunity", new { Name = "Quiet", StageName = "Prospecting", CloseDate = "2031-01-15" })).Str("Id");
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = opp, StageName = "Closed Won" });
        await tenant.CallOkAsync("manage_automation", new { action = "enable", rule_id = id });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Loud", StageName = "Closed Won", CloseDate = "2031-01-15" });
        var runs = await FinishedRunsAsync(tenant, id, 1);
        Assert.Single(runs);
        Assert.Equal(["Onboard Loud"], (await QueryAsync(tenant, "SELECT Subject FROM Task")).Select(t => t.Str("Subject")));

        var log = await ApiClient.SendAsync(server, HttpMethod.Get, $"/api/automation/runs?rule_id={id}", tenant.ApiKey);
        Assert.Equal(1, log.Body.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await ApiClient.SendAsync(server, HttpMethod.Delete, $"/api/automation/{id}", tenant.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiClient.SendAsync(server, HttpMethod.Get, $"/api/automation/{id}", tenant.ApiKey)).Status);
    }
}
