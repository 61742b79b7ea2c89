using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>Agent tasks about automation rules: number 41 of the report.</summary>
[Collection(AgentTaskCollection.Name)]
public sealed class AutomationAgentTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    [Fact]
    public async Task WhenADealIsWon_CreateAnOnboardingTaskForItsOwner_InOneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 41");
        JsonElement rule;
        await using (agent)
        {
            rule = await agent.CallAsync("manage_automation", new
            {
                action = "create",
                rule = new
                {
                    name = "Onboard won deals",
                    @object = "Opportunity",
                    trigger = new { on = "field_changed", fields = new[] { "StageName" } },
                    condition = "IsWon = true",
                    actions = new object[]
                    {
                        new { type = "create_record", @object = "Task", fields = new { Subject = "Onboard {!Name}", WhatId = "{!Id}", OwnerId = "{!OwnerId}", ActivityDate = "{!TODAY+3}" } },
                    },
                },
            });
            report.Record(41, "when a deal is won, create an onboarding task for its owner", agent, maxCalls: 2, output);
        }
        Assert.True(rule.GetProperty("enabled").GetBoolean());

        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Initech TPS", StageName = "Negotiation/Review", CloseDate = "2027-03-31" })).Str("Id");
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = deal, StageName = "Closed Won" });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement[] tasks;
        while ((tasks = (await tenant.CallOkAsync("soql_query", new { query = $"SELECT Subject, OwnerId FROM Task WHERE WhatId = '{deal}'" }))
                   .GetProperty("records").EnumerateArray().ToArray()).Length == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(25, TestContext.Current.CancellationToken);
        var task = Assert.Single(tasks);
        Assert.Equal(("Onboard Initech TPS", tenant.UserId), (task.Str("Subject"), task.Str("OwnerId")));
    }
}
