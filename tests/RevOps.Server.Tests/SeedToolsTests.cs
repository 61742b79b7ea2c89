using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Value round trips through each of the seed's 13 tools.</summary>
public sealed class SeedToolsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task ListTools_SeedTools_AllThirteenWithSeedParameterNames()
    {
        var tenant = await server.CreateTenantAsync("Tools");
        await using var client = await tenant.ConnectMcpAsync();
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(ToolNames.Sorted(ToolNames.All), ToolNames.Sorted(tools.Select(t => t.Name)));
        Assert.Subset(tools.Select(t => t.Name).ToHashSet(), ToolNames.Seed.ToHashSet());
        Assert.True(tools.Count <= ToolNames.Ceiling, $"{tools.Count} tools; at most {ToolNames.Ceiling} keep clients that cap tool lists working.");
        var byName = tools.ToDictionary(t => t.Name, t => t.ProtocolTool.InputSchema);
        Assert.Equal(["LastName"], Required(byName["create_contact"]));
        Assert.Equal(["CloseDate", "Name", "StageName"], Required(byName["create_opportunity"]).Order());
        foreach (var (tool, parameter) in new[] { ("search_contacts", "email"), ("search_contacts", "phone"), ("search_contacts", "name"), ("search_contacts", "accountId"),
                     ("search_contacts", "limit"), ("search_accounts", "name"), ("search_accounts", "industry"), ("search_opportunities", "accountId"),
                     ("search_opportunities", "stage"), ("search_opportunities", "minAmount"), ("get_tasks", "status"), ("get_tasks", "limit"),
                     ("create_contact", "custom_fields"), ("create_task", "WhoId"), ("create_task", "WhatId"), ("create_task", "ActivityDate") })
            Assert.True(byName[tool].GetProperty("properties").TryGetProperty(parameter, out _), $"{tool} lacks {parameter}");
        // Every tool says its structuredContent is an object (the description says what is in it).
        Assert.All(tools, t => Assert.Equal("object", t.ProtocolTool.OutputSchema!.Value.GetProperty("type").GetString()));
        Assert.All(tools, t => Assert.False(string.IsNullOrEmpty(t.ProtocolTool.Title), t.Name));
        Assert.True(tools.Single(t => t.Name == "get_contact").ProtocolTool.Annotations!.ReadOnlyHint);
        Assert.False(tools.Single(t => t.Name == "create_contact").ProtocolTool.Annotations!.ReadOnlyHint);
    }

    static string[] Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    [Fact]
    public async Task ContactTools_CreateGetSearchUpdate_ReturnExactValues()
    {
        var tenant = await server.CreateTenantAsync("Contacts");
        var account = await tenant.CallOkAsync("create_account", new { Name = "Acme Corporation", Industry = "Technology", AnnualRevenue = 1250000, NumberOfEmployees = 42, Website = "https://acme.test" });
        string accountId = account.Str("Id");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "lead_score__c", type = "Number", precision = 3 });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "linkedin_url__c", type = "Url" });

        var created = await tenant.CallOkAsync("create_contact", new
        {
            FirstName = "Sarah", LastName = "Johnson", Email = "Sarah@Acme.test", Phone = "+1 555 0100", AccountId = accountId,
            Title = "VP of Sales", Department = "Sales", LeadSource = "web", custom_fields = new { lead_score__c = 85, linkedin_url__c = "https://linkedin.test/sj" },
        });
        string id = created.Str("Id");
        Assert.Equal(18, id.Length);
        Assert.StartsWith("003", id);

        var read = await tenant.CallOkAsync("get_contact", new { Id = id });
        Assert.Equal("Sarah", read.Str("FirstName"));
        Assert.Equal("Johnson", read.Str("LastName"));
        Assert.Equal("Sarah Johnson", read.Str("Name"));
        Assert.Equal("Sarah@Acme.test", read.Str("Email"));
        Assert.Equal("+1 555 0100", read.Str("Phone"));
        Assert.Equal(accountId, read.Str("AccountId"));
        Assert.Equal("VP of Sales", read.Str("Title"));
        Assert.Equal("Sales", read.Str("Department"));
        Assert.Equal("Web", read.Str("LeadSource"));
        Assert.Equal(85, read.GetProperty("lead_score__c").GetInt32());
        Assert.Equal("https://linkedin.test/sj", read.Str("linkedin_url__c"));
        Assert.False(read.TryGetProperty("CreatedDate", out _), "audit fields are left out unless asked for");
        var audit = await tenant.CallOkAsync("get_contact", new { Id = id, fields = new[] { "CreatedById", "OwnerId", "CreatedDate" } });
        Assert.Equal((tenant.UserId, tenant.UserId), (audit.Str("CreatedById"), audit.Str("OwnerId")));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$", audit.Str("CreatedDate"));

        var byId15 = await tenant.CallOkAsync("get_contact", new { Id = id[..15] });
        Assert.Equal(id, byId15.Str("Id"));

        var byEmail = await tenant.CallOkAsync("search_contacts", new { email = "sarah@acme.TEST" });
        Assert.Equal(1, byEmail.GetProperty("count").GetInt32());
        Assert.Equal(id, byEmail.GetProperty("records")[0].Str("Id"));
        var byName = await tenant.CallOkAsync("search_contacts", new { name = "sarah jo" });
        Assert.Equal(id, Assert.Single(byName.GetProperty("records").EnumerateArray()).Str("Id"));
        var byLastName = await tenant.CallOkAsync("search_contacts", new { name = "JOHN" });
        Assert.Equal(id, Assert.Single(byLastName.GetProperty("records").EnumerateArray()).Str("Id"));
        var byPhone = await tenant.CallOkAsync("search_contacts", new { phone = "+1 555 0100" });
        Assert.Equal(1, byPhone.GetProperty("count").GetInt32());
        var byAccount = await tenant.CallOkAsync("search_contacts", new { accountId, limit = 10 });
        Assert.Equal(id, Assert.Single(byAccount.GetProperty("records").EnumerateArray()).Str("Id"));

        var updated = await tenant.CallOkAsync("update_contact", new { Id = id, LastName = "Miller", Title = (string?)null, custom_fields = new { lead_score__c = 90 } });
        Assert.Equal("Sarah Miller", updated.Str("Name"));
        Assert.False(updated.TryGetProperty("Title", out _));
        var reread = await tenant.CallOkAsync("get_contact", new { Id = id });
        Assert.Equal("Miller", reread.Str("LastName"));
        Assert.Equal(90, reread.GetProperty("lead_score__c").GetInt32());
        Assert.Equal("https://linkedin.test/sj", reread.Str("linkedin_url__c"));
        Assert.False(reread.TryGetProperty("Title", out _));
    }

    [Fact]
    public async Task AccountTools_CreateGetSearch_ReturnExactValues()
    {
        var tenant = await server.CreateTenantAsync("Accounts");
        var acme = await tenant.CallOkAsync("create_account", new { Name = "Acme Corporation", Industry = "technology", AnnualRevenue = 1250000, NumberOfEmployees = 42, Website = "acme.test" });
        await tenant.CallOkAsync("create_account", new { Name = "Acme Labs", Industry = "Biotechnology" });
        await tenant.CallOkAsync("create_account", new { Name = "Globex", Industry = "Technology" });

        var read = await tenant.CallOkAsync("get_account", new { Id = acme.Str("Id") });
        Assert.Equal("Acme Corporation", read.Str("Name"));
        Assert.Equal("Technology", read.Str("Industry"));
        Assert.Equal(1250000, read.GetProperty("AnnualRevenue").GetDouble());
        Assert.Equal(42, read.GetProperty("NumberOfEmployees").GetInt32());
        Assert.Equal("acme.test", read.Str("Website"));

        var acmes = await tenant.CallOkAsync("search_accounts", new { name = "acme" });
        Assert.Equal(["Acme Corporation", "Acme Labs"], acmes.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")).ToArray());
        var tech = await tenant.CallOkAsync("search_accounts", new { industry = "Technology" });
        Assert.Equal(["Acme Corporation", "Globex"], tech.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")).ToArray());
        var both = await tenant.CallOkAsync("search_accounts", new { name = "Acme", industry = "Technology" });
        Assert.Equal("Acme Corporation", Assert.Single(both.GetProperty("records").EnumerateArray()).Str("Name"));
        var limited = await tenant.CallOkAsync("search_accounts", new { limit = 2 });
        Assert.Equal(2, limited.GetProperty("count").GetInt32());
        Assert.True(limited.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task OpportunityTools_StagesDriveClosedWonAndProbability()
    {
        var tenant = await server.CreateTenantAsync("Deals");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "Initech" })).Str("Id");
        var deal = await tenant.CallOkAsync("create_opportunity", new { Name = "Initech renewal", StageName = "Prospecting", CloseDate = "2026-12-31", Amount = 50000, AccountId = accountId });
        string id = deal.Str("Id");
        Assert.StartsWith("006", id);
        Assert.Equal(10, deal.GetProperty("Probability").GetDouble());
        Assert.False(deal.GetProperty("IsClosed").GetBoolean());
        Assert.Equal("2026-12-31", deal.Str("CloseDate"));

        var moved = await tenant.CallOkAsync("update_opportunity_stage", new { Id = id, StageName = "Negotiation/Review" });
        Assert.Equal(90, moved.GetProperty("Probability").GetDouble());
        var won = await tenant.CallOkAsync("update_opportunity_stage", new { Id = id, StageName = "Closed Won" });
        Assert.True(won.GetProperty("IsClosed").GetBoolean());
        Assert.True(won.GetProperty("IsWon").GetBoolean());
        Assert.Equal(100, won.GetProperty("Probability").GetDouble());
        Assert.Equal("Closed", won.Str("ForecastCategoryName"));

        var read = await tenant.CallOkAsync("get_opportunity", new { Id = id });
        Assert.Equal("Closed Won", read.Str("StageName"));
        Assert.Equal(50000, read.GetProperty("Amount").GetDouble());
        Assert.Equal(accountId, read.Str("AccountId"));

        await tenant.CallOkAsync("create_opportunity", new { Name = "Small", StageName = "Qualification", CloseDate = "2027-01-15", Amount = 900, AccountId = accountId });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Other", StageName = "Closed Lost", CloseDate = "2027-02-01", Amount = 70000 });
        var big = await tenant.CallOkAsync("search_opportunities", new { accountId, minAmount = 1000 });
        Assert.Equal(["Initech renewal"], big.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")).ToArray());
        var lost = await tenant.CallOkAsync("search_opportunities", new { stage = "closed lost" });
        var lostDeal = Assert.Single(lost.GetProperty("records").EnumerateArray());
        Assert.Equal(0, lostDeal.GetProperty("Probability").GetDouble());
        var all = await tenant.CallOkAsync("search_opportunities", new { });
        Assert.Equal(["Other", "Initech renewal", "Small"], all.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")).ToArray());
    }

    [Fact]
    public async Task TaskTools_CreateAndFilterByStatus()
    {
        var tenant = await server.CreateTenantAsync("Tasks");
        string contactId = (await tenant.CallOkAsync("create_contact", new { LastName = "Lovelace" })).Str("Id");
        string dealId = (await tenant.CallOkAsync("create_opportunity", new { Name = "Engine", StageName = "Prospecting", CloseDate = "2027-03-01" })).Str("Id");

        var task = await tenant.CallOkAsync("create_task", new { Subject = "Call Ada", WhoId = contactId, WhatId = dealId, Priority = "High", ActivityDate = "2026-12-01" });
        Assert.StartsWith("00T", task.Str("Id"));
        Assert.Equal("Not Started", task.Str("Status"));
        Assert.Equal("High", task.Str("Priority"));
        Assert.Equal(contactId, task.Str("WhoId"));
        Assert.Equal(dealId, task.Str("WhatId"));
        Assert.Equal("2026-12-01", task.Str("ActivityDate"));
        await tenant.CallOkAsync("create_task", new { Subject = "Send notes", Status = "Completed", ActivityDate = "2026-11-20" });
        await tenant.CallOkAsync("create_task", new { Subject = "Book demo", ActivityDate = "2026-11-28" });

        var open = await tenant.CallOkAsync("get_tasks", new { status = "Not Started" });
        Assert.Equal(["Book demo", "Call Ada"], open.GetProperty("records").EnumerateArray().Select(r => r.Str("Subject")).ToArray());
        var done = await tenant.CallOkAsync("get_tasks", new { status = "Completed" });
        var completed = Assert.Single(done.GetProperty("records").EnumerateArray());
        Assert.True(completed.GetProperty("IsClosed").GetBoolean());
        var first = await tenant.CallOkAsync("get_tasks", new { limit = 1 });
        Assert.Equal("Send notes", Assert.Single(first.GetProperty("records").EnumerateArray()).Str("Subject"));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
    }
}
