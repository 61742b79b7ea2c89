using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>Agent tasks about leads, deals and the pipeline: numbers 7 to 13 of the report.</summary>
[Collection(AgentTaskCollection.Name)]
public sealed class SalesAgentTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    static readonly DateOnly QuarterEnd = new DateOnly(Today.Year, (Today.Month - 1) / 3 * 3 + 1, 1).AddMonths(3).AddDays(-1);

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");

    [Fact]
    public async Task ConvertTheHotLead_AndScheduleTheFollowUp()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 7");
        await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Ana", LastName = "Lima", Company = "Contoso", Rating = "Hot", Status = "Working - Contacted" } });
        string cold = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Bo", LastName = "Chen", Company = "Fabrikam", Rating = "Cold" } })).Str("Id");

        await using (agent)
        {
            var hot = await agent.CallAsync("find_records", new { @object = "Lead", where = new { Rating = "Hot", IsConverted = false }, fields = new[] { "Name", "Company" } });
            var converted = await agent.CallAsync("convert_lead", new { LeadId = hot.GetProperty("records")[0].Str("Id"), OpportunityName = "Contoso expansion" });
            await agent.CallAsync("create_task", new
            {
                Subject = "Send proposal", WhoId = converted.Str("contactId"), WhatId = converted.Str("opportunityId"), ActivityDate = Day(Today.AddDays(3)), Priority = "High",
            });
            report.Record(7, "convert hot lead + follow-up task", agent, maxCalls: 3, output);
        }
        var task = (await tenant.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("records")[0];
        var contact = await tenant.CallOkAsync("get_contact", new { Id = task.Str("WhoId") });
        Assert.Equal("Ana Lima", contact.Str("Name"));
        Assert.Equal("Contoso expansion", (await tenant.CallOkAsync("get_opportunity", new { Id = task.Str("WhatId") })).Str("Name"));
        Assert.Equal(Day(Today.AddDays(3)), task.Str("ActivityDate"));
        Assert.Equal("High", task.Str("Priority"));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = cold })).GetProperty("IsConverted").GetBoolean());
    }

    [Fact]
    public async Task WhichAccountsHadNoActivityInTheLast30Days()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 8");
        string active = (await tenant.CallOkAsync("create_account", new { Name = "Active Co" })).Str("Id");
        string quiet = (await tenant.CallOkAsync("create_account", new { Name = "Quiet Co" })).Str("Id");
        await tenant.CallOkAsync("create_account", new { Name = "Silent Co" });
        string busy = (await tenant.CallOkAsync("create_account", new { Name = "Busy Co" })).Str("Id");
        await tenant.CallOkAsync("create_task", new { Subject = "Check-in", WhatId = active, ActivityDate = Day(Today.AddDays(-5)), Status = "Completed" });
        await tenant.CallOkAsync("create_task", new { Subject = "Old check-in", WhatId = quiet, ActivityDate = Day(Today.AddDays(-60)), Status = "Completed" });
        var meeting = DateTime.UtcNow.Date.AddDays(-2).AddHours(15);
        await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Review", WhatId = busy, StartDateTime = meeting, EndDateTime = meeting.AddHours(1) } });

        await using (agent)
        {
            var result = await agent.CallAsync("soql_query", new
            {
                query = "SELECT Name FROM Account WHERE Id NOT IN (SELECT WhatId FROM Task WHERE ActivityDate = LAST_N_DAYS:30) " +
                        "AND Id NOT IN (SELECT WhatId FROM Event WHERE ActivityDate = LAST_N_DAYS:30) ORDER BY Name",
            });
            Assert.Equal(["Quiet Co", "Silent Co"], result.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
            report.Record(8, "accounts with no activity in 30 days", agent, maxCalls: 1, output);
        }
    }

    [Fact]
    public async Task CloseWinTheInitechRenewal_AndLogIt()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 9");
        string initech = (await tenant.CallOkAsync("create_account", new { Name = "Initech" })).Str("Id");
        string renewal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Initech renewal", StageName = "Negotiation/Review", CloseDate = Day(QuarterEnd), Amount = 42000, AccountId = initech })).Str("Id");
        string upsell = (await tenant.CallOkAsync("create_opportunity", new { Name = "Initech upsell", StageName = "Prospecting", CloseDate = Day(QuarterEnd), Amount = 9000, AccountId = initech })).Str("Id");

        await using (agent)
        {
            var found = await agent.CallAsync("search_crm", new { text = "Initech renewal", objects = new[] { "Opportunity" } });
            string deal = found.GetProperty("records")[0].Str("Id");
            await agent.CallAsync("update_opportunity_stage", new { Id = deal, StageName = "Closed Won" });
            await agent.CallAsync("create_task", new { Subject = "Closed won: signed renewal received", WhatId = deal, Status = "Completed", Type = "Other" });
            report.Record(9, "close-win a deal + log it", agent, maxCalls: 3, output);
        }
        var won = await tenant.CallOkAsync("get_opportunity", new { Id = renewal });
        Assert.True(won.GetProperty("IsWon").GetBoolean());
        Assert.Equal(100, won.GetProperty("Probability").GetInt32());
        Assert.Equal("Prospecting", (await tenant.CallOkAsync("get_opportunity", new { Id = upsell })).Str("StageName"));
        var log = (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhatId = renewal } })).GetProperty("records")[0];
        Assert.Equal("Completed", log.Str("Status"));
    }

    [Fact]
    public async Task WhatIsTheWeightedPipelineByStageThisQuarter()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 10");
        await tenant.CallOkAsync("create_opportunity", new { Name = "P1", StageName = "Prospecting", CloseDate = Day(QuarterEnd), Amount = 10000, Probability = 10 });
        await tenant.CallOkAsync("create_opportunity", new { Name = "P2", StageName = "Prospecting", CloseDate = Day(QuarterEnd), Amount = 20000, Probability = 20 });
        await tenant.CallOkAsync("create_opportunity", new { Name = "N1", StageName = "Negotiation/Review", CloseDate = Day(QuarterEnd), Amount = 50000, Probability = 80 });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Next year", StageName = "Prospecting", CloseDate = Day(QuarterEnd.AddYears(1)), Amount = 99999, Probability = 50 });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Won", StageName = "Closed Won", CloseDate = Day(QuarterEnd), Amount = 7000 });

        await using (agent)
        {
            // pipeline_summary's period narrows only won and lost; the open pipeline of one quarter is an aggregate query.
            var result = await agent.CallAsync("soql_query", new
            {
                query = "SELECT StageName, SUM(ExpectedRevenue) weighted, SUM(Amount) amount FROM Opportunity WHERE IsClosed = false AND CloseDate = THIS_QUARTER GROUP BY StageName",
            });
            var byStage = result.GetProperty("records").EnumerateArray().ToDictionary(s => s.Str("StageName"), s => s.GetProperty("weighted").GetDouble());
            Assert.Equal(new Dictionary<string, double> { ["Prospecting"] = 5000, ["Negotiation/Review"] = 40000 }, byStage);
            report.Record(10, "weighted pipeline by stage, this quarter", agent, maxCalls: 1, output);
        }
    }

    [Fact]
    public async Task MoveEveryOpenDealPastItsCloseDateToClosedLost()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 11");
        var stale = new List<string>();
        foreach (int daysAgo in new[] { 40, 20, 10 })
            stale.Add((await tenant.CallOkAsync("create_opportunity", new { Name = $"Stale {daysAgo}", StageName = "Qualification", CloseDate = Day(Today.AddDays(-daysAgo)) })).Str("Id"));
        string future = (await tenant.CallOkAsync("create_opportunity", new { Name = "Future", StageName = "Qualification", CloseDate = Day(Today.AddDays(30)) })).Str("Id");
        string won = (await tenant.CallOkAsync("create_opportunity", new { Name = "Won last month", StageName = "Closed Won", CloseDate = Day(Today.AddDays(-30)) })).Str("Id");

        await using (agent)
        {
            var overdue = await agent.CallAsync("find_records", new { @object = "Opportunity", where = new { CloseDate = new { lt = Day(Today) }, IsClosed = false }, fields = new[] { "Name" } });
            var lost = overdue.GetProperty("records").EnumerateArray().Select(d => new { Id = d.Str("Id"), StageName = "Closed Lost" }).ToArray();
            var written = await agent.CallAsync("bulk_write", new { @object = "Opportunity", operation = "update", records = lost });
            Assert.Equal(3, written.GetProperty("succeeded").GetInt32());
            report.Record(11, "bulk-close stale deals as lost (3 deals)", agent, maxCalls: 2, output);
        }
        foreach (var id in stale)
            Assert.Equal("Closed Lost", (await tenant.CallOkAsync("get_opportunity", new { Id = id })).Str("StageName"));
        Assert.Equal("Qualification", (await tenant.CallOkAsync("get_opportunity", new { Id = future })).Str("StageName"));
        Assert.Equal("Closed Won", (await tenant.CallOkAsync("get_opportunity", new { Id = won })).Str("StageName"));
    }

    [Fact]
    public async Task WhatAreOurFiveBiggestOpenDealsOver50k()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 12");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        foreach (var (name, amount, stage) in new[]
        {
            ("A", 60000, "Prospecting"), ("B", 250000, "Qualification"), ("C", 45000, "Prospecting"), ("D", 300000, "Closed Won"),
            ("E", 75000, "Negotiation/Review"), ("F", 120000, "Proposal/Price Quote"), ("G", 51000, "Prospecting"), ("H", 99000, "Closed Lost"), ("I", 80000, "Prospecting"),
        })
            await tenant.CallOkAsync("create_opportunity", new { Name = name, StageName = stage, CloseDate = Day(QuarterEnd), Amount = amount, AccountId = acme });

        await using (agent)
        {
            var top = await agent.CallAsync("soql_query", new { query = "SELECT Name, Amount, Account.Name FROM Opportunity WHERE IsClosed = false AND Amount > 50000 ORDER BY Amount DESC LIMIT 5" });
            Assert.Equal(["B", "F", "I", "E", "A"], top.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
            Assert.Equal("Acme", top.GetProperty("records")[0].GetProperty("Account").Str("Name"));
            report.Record(12, "five biggest open deals over 50k", agent, maxCalls: 1, output);
        }
    }

    [Fact]
    public async Task HowManyLeadsCameFromEachSource()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 13");
        foreach (var (name, source) in new[] { ("A", "Web"), ("B", "Web"), ("C", "Web"), ("D", "Trade Show"), ("E", "Trade Show"), ("F", (string?)null) })
            await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new Dictionary<string, object?> { ["LastName"] = name, ["Company"] = "Co " + name, ["LeadSource"] = source } });

        await using (agent)
        {
            var counts = await agent.CallAsync("soql_query", new { query = "SELECT LeadSource, COUNT(Id) leads FROM Lead GROUP BY LeadSource" });
            var bySource = counts.GetProperty("records").EnumerateArray().ToDictionary(
                r => r.GetProperty("LeadSource").ValueKind == JsonValueKind.Null ? "(none)" : r.Str("LeadSource"), r => r.GetProperty("leads").GetInt32());
            Assert.Equal(new Dictionary<string, int> { ["Web"] = 3, ["Trade Show"] = 2, ["(none)"] = 1 }, bySource);
            report.Record(13, "count leads by source", agent, maxCalls: 1, output);
        }
    }
}
