using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// The frictions an agent met in everyday requests (issue 19), each as a task: numbers 24 onwards
/// of the report. Each is held to the calls a competent agent needs now that the friction is gone.
/// </summary>
[Collection(AgentTaskCollection.Name)]
public sealed class AgentExperienceTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    void Report(int number, string task, AgentSession agent, int maxCalls) => report.Record(number, task, agent, maxCalls, output);

    [Fact]
    public async Task WhatsMyBillThisMonth_TotalsAndInvoiceInOneShortAnswer()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 24");
        for (int i = 0; i < 3; i++) await tenant.CallOkAsync("create_account", new { Name = $"Account {i}" });
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken); // usage counts reach storage once a second
        JsonElement usage;
        await using (agent)
        {
            usage = await agent.CallAsync("get_usage");
            Report(24, "what's my bill this month", agent, maxCalls: 1);
            Assert.True(agent.ResponseBytes < 1_000, $"get_usage answered {agent.ResponseBytes} bytes for a bill");
        }
        Assert.True(usage.GetProperty("totals").GetProperty("requests").GetInt64() >= 3);
        Assert.Equal("USD", usage.GetProperty("invoice").Str("currency"));
        Assert.True(usage.GetProperty("invoice").GetProperty("total").GetDecimal() >= 49m);
        Assert.False(usage.TryGetProperty("by_day", out _));
    }

    [Fact]
    public async Task ShowMeTheAcmeDeal_AnotherCrmsWordForTheObjectIsCorrectedInOneStep()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 25");
        await tenant.CallOkAsync("create_opportunity", new { Name = "Acme expansion", StageName = "Prospecting", CloseDate = "2027-01-31", Amount = 30000 });
        JsonElement found;
        await using (agent)
        {
            string error = await agent.CallFailingAsync("find_records", new { @object = "Deal", where = new { Name = "Acme expansion" } });
            Assert.Contains("Did you mean 'Opportunity'?", error);
            found = await agent.CallAsync("find_records", new { @object = "Opportunity", where = new { Name = "Acme expansion" }, fields = new[] { "Name", "Amount" } });
            Report(25, "\"show me the Acme deal\" (object named Deal)", agent, maxCalls: 2);
        }
        Assert.Equal(30000, found.GetProperty("records")[0].GetProperty("Amount").GetInt32());
    }

    [Fact]
    public async Task WhoChangedThisDeal_OneCallNamesThePeople()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 26");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Globex platform", StageName = "Prospecting", CloseDate = "2027-02-28", Amount = 50000 })).Str("Id");
        await tenant.CallOkAsync("update_record", new { Id = deal, fields = new { Amount = 65000, NextStep = "Pricing call" } });
        JsonElement changes;
        await using (agent)
        {
            changes = await agent.CallAsync("list_changes", new { Id = deal });
            Report(26, "who changed this deal", agent, maxCalls: 1);
        }
        var rows = changes.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["created", "updated"], rows.Select(r => r.Str("operation")));
        Assert.All(rows, r => Assert.Equal((tenant.UserId, "Integration User"), (r.GetProperty("actor").Str("Id"), r.GetProperty("actor").Str("Name"))));
        Assert.Equal(65000, rows[1].GetProperty("changes").GetProperty("Amount").GetProperty("after").GetInt32());
    }

    [Fact]
    public async Task FindInitechCorporationBeforeCreatingIt_RankedSearchFindsInitech()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 27");
        string initech = (await tenant.CallOkAsync("create_account", new { Name = "Initech", Industry = "Technology" })).Str("Id");
        await tenant.CallOkAsync("create_account", new { Name = "Initrode" });
        JsonElement found;
        await using (agent)
        {
            found = await agent.CallAsync("search_crm", new { text = "Initech Corporation", objects = new[] { "Account" } });
            Report(27, "\"Initech Corporation\" before creating it", agent, maxCalls: 1);
        }
        Assert.Equal(initech, found.GetProperty("records")[0].Str("Id"));
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Name = "Initech" } })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task FindPeterGibonsWithATypo_TypoTolerantSearchFindsPeterGibbons()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 28");
        string peter = (await tenant.CallOkAsync("create_contact", new { FirstName = "Peter", LastName = "Gibbons", Email = "peter@initech.test" })).Str("Id");
        await tenant.CallOkAsync("create_contact", new { FirstName = "Samir", LastName = "Nagheenanajar" });
        JsonElement found;
        await using (agent)
        {
            found = await agent.CallAsync("search_crm", new { text = "Peter Gibons" });
            Report(28, "\"Peter Gibons\" (a typo)", agent, maxCalls: 1);
        }
        var first = found.GetProperty("records")[0];
        Assert.Equal((peter, "fuzzy"), (first.Str("Id"), first.Str("match")));
    }

    [Fact]
    public async Task ImportThirtyLeads_OneAlreadyAContact_IsSkippedAndReported()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 29");
        string existing = (await tenant.CallOkAsync("create_contact", new { FirstName = "Michael", LastName = "Bolton", Email = "michael@initech.test" })).Str("Id");
        var leads = Enumerable.Range(1, 30).Select(i => (object)new { FirstName = $"Lead{i}", LastName = $"Prospect{i}", Company = $"Company {i}", Email = $"lead{i}@prospects.test" }).ToList();
        leads[17] = new { FirstName = "Michael", LastName = "Bolton", Company = "Initech", Email = "MICHAEL@initech.test" };
        JsonElement result;
        await using (agent)
        {
            result = await agent.CallAsync("bulk_write", new { @object = "Lead", operation = "create", records = leads, on_duplicate = "skip" });
            Report(29, "import 30 leads, one already a contact", agent, maxCalls: 1);
        }
        Assert.Equal(1, result.GetProperty("skipped").GetInt32());
        var duplicate = Assert.Single(result.GetProperty("duplicates").EnumerateArray());
        Assert.Equal((17, "skipped"), (duplicate.GetProperty("index").GetInt32(), duplicate.Str("outcome")));
        Assert.Equal(existing, duplicate.GetProperty("possibleDuplicates")[0].Str("Id"));
        Assert.Equal(29, (await tenant.CallOkAsync("find_records", new { @object = "Lead", limit = 1 })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task UndoTheAmountChange_KeepsTheStageChangeOfTheSameWrite()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 30");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Vandelay imports", StageName = "Qualification", CloseDate = "2027-03-31", Amount = 40000 })).Str("Id");
        await tenant.CallOkAsync("update_record", new { Id = deal, fields = new { StageName = "Proposal/Price Quote", Amount = 4000 } });
        await using (agent)
        {
            var changes = await agent.CallAsync("list_changes", new { Id = deal });
            long seq = changes.GetProperty("changes").EnumerateArray().Last().GetProperty("seq").GetInt64();
            await agent.CallAsync("undo_change", new { seq, fields = new[] { "Amount" } });
            Report(30, "undo only the amount change", agent, maxCalls: 2);
        }
        var after = await tenant.CallOkAsync("get_opportunity", new { Id = deal, fields = new[] { "StageName", "Amount" } });
        Assert.Equal(("Proposal/Price Quote", 40000), (after.Str("StageName"), after.GetProperty("Amount").GetInt32()));
    }

    [Fact]
    public async Task QualifyTheLeadAndOpenA60kDealClosingInMarch_OneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 31");
        string lead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Bob", LastName = "Slydell", Company = "Bobs Consulting", Email = "bob@bobs.test" } })).Str("Id");
        JsonElement converted;
        await using (agent)
        {
            converted = await agent.CallAsync("convert_lead", new { LeadId = lead, Opportunity = new { Amount = 60000, CloseDate = "2027-03-31", StageName = "Qualification" } });
            Report(31, "qualify a lead into a 60k deal", agent, maxCalls: 1);
            Assert.True(agent.ResponseBytes <= 1_536, $"convert_lead answered {agent.ResponseBytes} bytes");
        }
        var deal = await tenant.CallOkAsync("get_opportunity", new { Id = converted.Str("opportunityId"), fields = new[] { "Amount", "CloseDate", "StageName", "AccountId" } });
        Assert.Equal((60000, "2027-03-31", "Qualification", converted.Str("accountId")),
            (deal.GetProperty("Amount").GetInt32(), deal.Str("CloseDate"), deal.Str("StageName"), deal.Str("AccountId")));
    }

    [Fact]
    public async Task LogTheCallAndPlanTheFollowUp_OneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 32");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Penetrode" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { FirstName = "Lina", LastName = "Park", AccountId = account })).Str("Id");
        JsonElement logged;
        await using (agent)
        {
            logged = await agent.CallAsync("create_task", new
            {
                Subject = "Discovery call", WhoId = contact, Type = "Call", Description = "Needs SSO; budget in Q1.",
                follow_up = new { Subject = "Send SSO docs", ActivityDate = "2027-01-08" },
            });
            Report(32, "log a call + plan the follow-up", agent, maxCalls: 1);
        }
        Assert.Equal("Completed", logged.Str("Status"));
        var next = await tenant.CallOkAsync("get_record", new { Id = logged.GetProperty("followUp").Str("Id"), fields = new[] { "Subject", "Status", "WhoId", "AccountId", "ActivityDate" } });
        Assert.Equal(("Send SSO docs", "Not Started", contact, account, "2027-01-08"),
            (next.Str("Subject"), next.Str("Status"), next.Str("WhoId"), next.Str("AccountId"), next.Str("ActivityDate")));
    }

    [Fact]
    public async Task MyBiggestDealsClosingThisQuarter_OneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 33");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var quarterEnd = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 3, 1).AddMonths(1).AddDays(-1);
        string close = quarterEnd.ToString("yyyy-MM-dd");
        foreach (var (name, amount) in new[] { ("Small", 5000), ("Big", 90000), ("Medium", 30000), ("Huge", 150000) })
            await tenant.CallOkAsync("create_opportunity", new { Name = name, StageName = "Prospecting", CloseDate = close, Amount = amount });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Next year", StageName = "Prospecting", CloseDate = quarterEnd.AddYears(1).ToString("yyyy-MM-dd"), Amount = 999999 });
        JsonElement summary;
        await using (agent)
        {
            summary = await agent.CallAsync("pipeline_summary", new { closeFrom = "THIS_QUARTER", ownerId = "me", top = 3 });
            Report(33, "my 3 biggest deals closing this quarter", agent, maxCalls: 1);
        }
        Assert.Equal(["Huge", "Big", "Medium"], summary.GetProperty("topDeals").EnumerateArray().Select(d => d.Str("Name")));
        Assert.Equal(4, summary.GetProperty("open").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task AddGlobexWithItsCfoAndADeal_OneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 34");
        JsonElement created;
        await using (agent)
        {
            created = await agent.CallAsync("create_record", new
            {
                @object = "Account",
                fields = new Dictionary<string, object>
                {
                    ["Name"] = "Globex", ["Industry"] = "Technology",
                    ["Contacts"] = new[] { new { FirstName = "Hank", LastName = "Scorpio", Title = "CFO", Email = "hank@globex.test" } },
                    ["Opportunities"] = new[] { new { Name = "Globex - 200 seats", StageName = "Qualification", CloseDate = "2027-04-30", Amount = 120000 } },
                },
            });
            Report(34, "add Globex with its CFO and a deal", agent, maxCalls: 1);
        }
        var refs = created.GetProperty("created").EnumerateArray().ToDictionary(c => c.Str("referenceId"), c => c.Str("Id"));
        string account = refs["Account"];
        var cfo = await tenant.CallOkAsync("get_contact", new { Id = refs["Contacts[0]"], fields = new[] { "Title", "AccountId" } });
        var deal = await tenant.CallOkAsync("get_opportunity", new { Id = refs["Opportunities[0]"], fields = new[] { "Amount", "AccountId" } });
        Assert.Equal(("CFO", account, 120000, account), (cfo.Str("Title"), cfo.Str("AccountId"), deal.GetProperty("Amount").GetInt32(), deal.Str("AccountId")));
    }
}
