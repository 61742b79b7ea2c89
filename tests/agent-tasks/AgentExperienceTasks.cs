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
}
