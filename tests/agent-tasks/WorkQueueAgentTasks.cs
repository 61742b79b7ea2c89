using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>Agent tasks about the work queue: number 43 of the report.</summary>
[Collection(AgentTaskCollection.Name)]
public sealed class WorkQueueAgentTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    [Fact]
    public async Task ClaimTheNextResearchItem_AndCompleteItWithANote_InTwoCalls()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 43");
        string lead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Bighead", Company = "Hooli", LeadSource = "Web" } })).Str("Id");
        string id = (await tenant.CallOkAsync("work_queue", new { action = "enqueue", queue = "research", prompt = "Research Hooli: size and funding", record_id = lead })).Str("id");
        JsonElement claim, done;
        await using (agent)
        {
            claim = await agent.CallAsync("work_queue", new { action = "claim", queue = "research" });
            // The claim carries the lead, so the agent can work without reading it first.
            Assert.Equal("Hooli", claim.GetProperty("record").Str("Company"));
            done = await agent.CallAsync("work_queue", new { action = "complete", id = claim.GetProperty("item").Str("id"), lease = claim.Str("lease"), note = "Hooli: 5,000 people, public." });
            report.Record(43, "claim the next research item and complete it with a note", agent, maxCalls: 2, output);
        }
        Assert.Equal((id, "done", "Hooli: 5,000 people, public."), (done.Str("id"), done.Str("state"), done.Str("note")));
    }
}
