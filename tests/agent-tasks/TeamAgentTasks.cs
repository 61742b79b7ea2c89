using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>Agent tasks about the people of an org: number 23 of the report.</summary>
[Collection(AgentTaskCollection.Name)]
public sealed class TeamAgentTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    [Fact]
    public async Task WhatDidTomChangeToday_NamesInOneCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 23");
        // Tom is a rep with a key of his own; the admin's key is the agent's.
        var tom = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
            """{"email":"tom@initech.test","name":"Tom Smykowski","title":"Account Executive"}""");
        Assert.Equal(HttpStatusCode.Created, tom.Status);
        string tomId = tom.Body.Str("Id");
        var tomKey = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, """{"scope":"write","user":"tom@initech.test"}""");
        Assert.Equal(HttpStatusCode.Created, tomKey.Status);
        await using (var asTom = await tenant.ConnectMcpAsync(tomKey.Body.Str("api_key")))
        {
            var deal = await Call(asTom, "create_opportunity", new { Name = "Initech TPS rollout", StageName = "Prospecting", CloseDate = "2027-03-31", Amount = 42000 });
            await Call(asTom, "update_opportunity_stage", new { Id = deal.Str("Id"), StageName = "Qualification" });
            await Call(asTom, "create_contact", new { FirstName = "Bill", LastName = "Lumbergh", Title = "VP" });
        }
        await tenant.CallOkAsync("create_account", new { Name = "Admin's own account" });

        string today = DateTime.UtcNow.ToString("yyyy-MM-dd'T'00:00:00'Z'");
        JsonElement changes;
        await using (agent)
        {
            changes = await agent.CallAsync("list_changes", new { actor = "Tom", since = today });
            report.Record(23, "what did Tom change today", agent, maxCalls: 1, output);
        }

        var rows = changes.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["Opportunity created", "Opportunity stage_changed", "Contact created"], rows.Select(r => $"{r.Str("object")} {r.Str("operation")}"));
        Assert.All(rows, r => Assert.Equal((tomId, "Tom Smykowski"), (r.GetProperty("actor").Str("Id"), r.GetProperty("actor").Str("Name"))));
        Assert.All(rows, r => Assert.Equal(tomKey.Body.Str("id"), r.Str("keyId")));
        Assert.Equal("Qualification", rows[1].GetProperty("changes").GetProperty("StageName").Str("after"));
    }

    static async Task<JsonElement> Call(ModelContextProtocol.Client.McpClient client, string tool, object arguments)
    {
        var result = await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.IsError != true, $"{tool} failed: {Mcp.Text(result)}");
        return Mcp.Structured(result);
    }
}
