using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// Realistic CRM requests, each written as the tool calls a competent agent would make, with
/// assertions on the CRM's final state and a ceiling on calls; the output lists each task's
/// calls and response bytes, and the size of tools/list.
/// </summary>
[Collection(AgentTaskCollection.Name)]
public sealed class AgentTaskSuite(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    Task<(TestTenant Tenant, AgentSession Agent)> StartAsync(string name) => AgentSession.StartAsync(server, name);

    void Report(int number, string task, AgentSession agent, int maxCalls) => report.Record(number, task, agent, maxCalls, output);

    [Fact]
    public async Task ToolsList_SizeInBytesAndEstimatedTokens()
    {
        var tenant = await server.CreateTenantAsync("Agent tools/list");
        await using var client = await tenant.ConnectMcpAsync();
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        int bytes = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(tools.Select(t => t.ProtocolTool), Mcp.WireOptions));
        report.Record(new ToolsListFigures("tools/list", tools.Count, bytes), output);
        foreach (var tool in tools)
            report.Record(new ToolFigures(tool.Name, Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(tool.ProtocolTool, Mcp.WireOptions))));
        Assert.True(tools.Count <= ToolNames.Ceiling);
        await using var core = await Mcp.ConnectAsync(new Uri(server.McpUri + "?toolsets=core"), tenant.ApiKey);
        var coreTools = await core.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        int coreBytes = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(coreTools.Select(t => t.ProtocolTool), Mcp.WireOptions));
        report.Record(new ToolsListFigures("tools/list?toolsets=core", coreTools.Count, coreBytes), output);
        Assert.True(coreBytes < bytes);
    }

    [Fact]
    public async Task LogACallWithTheVpOfSalesAtAcme_AndMoveTheirDealToNegotiation()
    {
        var (tenant, agent) = await StartAsync("Agent task 1");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string vp = (await tenant.CallOkAsync("create_contact", new { FirstName = "Vera", LastName = "Price", Title = "VP of Sales", AccountId = acme })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Acme platform", StageName = "Proposal/Price Quote", CloseDate = "2026-12-15", Amount = 80000, AccountId = acme })).Str("Id");

        await using (agent)
        {
            var account = (await agent.CallAsync("search_accounts", new { name = "Acme", fields = new[] { "Name" } })).GetProperty("records")[0].Str("Id");
            var contacts = await agent.CallAsync("search_contacts", new { accountId = account, fields = new[] { "Name", "Title" } });
            string contact = contacts.GetProperty("records").EnumerateArray().First(c => c.Str("Title") == "VP of Sales").Str("Id");
            await agent.CallAsync("create_task", new { Subject = "Call with Vera Price", WhoId = contact, WhatId = account, Status = "Completed", Type = "Call", Description = "Agreed to start negotiating terms." });
            var deals = await agent.CallAsync("search_opportunities", new { accountId = account, fields = new[] { "Name", "StageName" } });
            await agent.CallAsync("update_opportunity_stage", new { Id = deals.GetProperty("records")[0].Str("Id"), StageName = "Negotiation/Review" });
            Report(1, "log call + move deal", agent, maxCalls: 5);
        }
        Assert.Equal("Negotiation/Review", (await tenant.CallOkAsync("get_opportunity", new { Id = deal })).Str("StageName"));
        var task = (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhoId = vp } })).GetProperty("records")[0];
        Assert.Equal("Completed", task.Str("Status"));
        Assert.Equal(acme, task.Str("WhatId"));
    }

    [Fact]
    public async Task WhichDealsClosingThisQuarterHaveNoNextStep()
    {
        var (tenant, agent) = await StartAsync("Agent task 2");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var quarterEnd = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 3, 1).AddMonths(1).AddDays(-1);
        await tenant.CallOkAsync("create_opportunity", new { Name = "Has a plan", StageName = "Qualification", CloseDate = quarterEnd.ToString("yyyy-MM-dd"), NextStep = "Demo" });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Drifting", StageName = "Qualification", CloseDate = quarterEnd.ToString("yyyy-MM-dd") });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Next year", StageName = "Qualification", CloseDate = quarterEnd.AddYears(1).ToString("yyyy-MM-dd") });

        await using (agent)
        {
            var result = await agent.CallAsync("soql_query", new { query = "SELECT Name, CloseDate FROM Opportunity WHERE CloseDate = THIS_QUARTER AND NextStep = null AND IsClosed = false" });
            Assert.Equal(["Drifting"], result.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
            Report(2, "deals this quarter without next step", agent, maxCalls: 1);
        }
    }

    [Fact]
    public async Task QualifyTheLeadFromTheTradeShow_AndConvertIt()
    {
        var (tenant, agent) = await StartAsync("Agent task 3");
        await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Tom", LastName = "Reyes", Company = "Northwind", Email = "tom@northwind.test", LeadSource = "Trade Show" } });

        await using (agent)
        {
            var found = await agent.CallAsync("search_crm", new { text = "Northwind", objects = new[] { "Lead" } });
            string lead = found.GetProperty("records")[0].Str("Id");
            var converted = await agent.CallAsync("convert_lead", new { LeadId = lead, OpportunityName = "Northwind pilot" });
            Assert.Equal("Closed - Converted", converted.Str("Status"));
            Report(3, "convert trade-show lead", agent, maxCalls: 2);
        }
        var deal = (await tenant.CallOkAsync("search_opportunities")).GetProperty("records")[0];
        Assert.Equal("Northwind pilot", deal.Str("Name"));
        Assert.Equal("Trade Show", deal.Str("LeadSource"));
    }

    [Fact]
    public async Task MergeTwoDuplicateContacts_KeepTheOlderOne()
    {
        var (tenant, agent) = await StartAsync("Agent task 4");
        string older = (await tenant.CallOkAsync("create_contact", new { FirstName = "Dana", LastName = "Ng", Email = "dana@ng.test" })).Str("Id");
        string newer = (await tenant.CallOkAsync("create_contact", new { FirstName = "Dana", LastName = "Ng", Email = "DANA@ng.test", Phone = "+1 555 0142", Title = "CFO" })).Str("Id");
        await tenant.CallOkAsync("create_task", new { Subject = "Send contract", WhoId = newer });

        await using (agent)
        {
            var dupes = await agent.CallAsync("search_contacts", new { email = "dana@ng.test", fields = new[] { "CreatedDate" } });
            var records = dupes.GetProperty("records").EnumerateArray().OrderBy(r => r.Str("CreatedDate")).ToArray();
            string keep = records[0].Str("Id"), drop = records[1].Str("Id");
            await agent.CallAsync("merge_records", new { @object = "Contact", master_id = keep, duplicate_ids = new[] { drop }, fields = new { Phone = drop, Title = drop } });
            Report(4, "merge duplicate contacts", agent, maxCalls: 2);
        }
        var kept = await tenant.CallOkAsync("get_contact", new { Id = older });
        Assert.Equal("CFO", kept.Str("Title"));
        Assert.Equal("+1 555 0142", kept.Str("Phone"));
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts", new { email = "dana@ng.test" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(older, (await tenant.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("records")[0].Str("WhoId"));
    }

    [Fact]
    public async Task AddATierFieldToAccounts_AndTagTheBiggestCustomerGold()
    {
        var (tenant, agent) = await StartAsync("Agent task 5");
        await tenant.CallOkAsync("create_account", new { Name = "Small Co", AnnualRevenue = 1_000_000 });
        string big = (await tenant.CallOkAsync("create_account", new { Name = "Big Co", AnnualRevenue = 90_000_000 })).Str("Id");

        await using (agent)
        {
            await agent.CallAsync("define_custom_field", new { @object = "Account", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver", "Bronze" } });
            var top = await agent.CallAsync("find_records", new { @object = "Account", order_by = "AnnualRevenue", descending = true, limit = 1, fields = new[] { "Name" } });
            await agent.CallAsync("update_record", new { Id = top.GetProperty("records")[0].Str("Id"), fields = new Dictionary<string, object> { ["Tier__c"] = "Gold" } });
            Report(5, "custom tier field", agent, maxCalls: 3);
        }
        Assert.Equal("Gold", (await tenant.CallOkAsync("get_record", new { Id = big })).Str("Tier__c"));
    }

    [Fact]
    public async Task WhatIsOurOpenPipelineByStage()
    {
        var (tenant, agent) = await StartAsync("Agent task 6");
        await tenant.CallOkAsync("create_opportunity", new { Name = "A", StageName = "Prospecting", CloseDate = "2030-01-15", Amount = 1000 });
        await tenant.CallOkAsync("create_opportunity", new { Name = "B", StageName = "Prospecting", CloseDate = "2030-02-15", Amount = 3000 });
        await tenant.CallOkAsync("create_opportunity", new { Name = "C", StageName = "Closed Won", CloseDate = "2030-01-10", Amount = 5000 });

        await using (agent)
        {
            var summary = await agent.CallAsync("pipeline_summary");
            var prospecting = summary.GetProperty("byStage").EnumerateArray().Single(s => s.Str("stage") == "Prospecting");
            Assert.Equal(4000, prospecting.GetProperty("amount").GetDouble());
            Assert.Equal(2, summary.GetProperty("open").GetProperty("count").GetInt32());
            Report(6, "open pipeline by stage", agent, maxCalls: 1);
        }
    }
}
