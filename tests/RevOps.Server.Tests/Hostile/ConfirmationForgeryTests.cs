using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// A client forging the answer to a confirmation (2026-07-28 multi round-trip): an answer carrying
/// the state of other arguments, one whose box is not a true boolean, one that is not an answer at
/// all. None of them runs the destructive call; each either asks again or changes nothing.
/// </summary>
public sealed class ConfirmationForgeryTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<JsonElement> MergeAsync(TestTenant tenant, string master, string duplicate, string? state = null, string? answer = null)
    {
        string extra = state is null ? "" : $",\"requestState\":{JsonSerializer.Serialize(state)},\"inputResponses\":{answer}";
        string body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"merge_records\",\"arguments\":{\"object\":\"Contact\",\"master_id\":\"" + master +
            "\",\"duplicate_ids\":[\"" + duplicate + "\"]}" + extra +
            ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}},\"io.modelcontextprotocol/clientInfo\":{\"name\":\"forger\",\"version\":\"1\"}}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2026-07-28");
        request.Headers.Add("Mcp-Method", "tools/call");
        request.Headers.Add("Mcp-Name", "merge_records");
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        string json = text.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        return JsonDocument.Parse(json).RootElement.GetProperty("result").Clone();
    }

    [Fact]
    public async Task ForgedAnswers_NeverRunTheMerge()
    {
        var tenant = await server.CreateTenantAsync("Confirmation forgery");
        string a = (await tenant.CallOkAsync("create_contact", new { LastName = "Keep", Email = "keep@forgery.test" })).Str("Id");
        string b = (await tenant.CallOkAsync("create_contact", new { LastName = "Other", Email = "other@forgery.test" })).Str("Id");
        string c = (await tenant.CallOkAsync("create_contact", new { LastName = "Third" })).Str("Id");

        var asked = await MergeAsync(tenant, a, b);
        Assert.Equal("input_required", asked.Str("resultType"));
        string stateForB = asked.Str("requestState");
        const string yes = "{\"confirm\":{\"action\":\"accept\",\"content\":{\"confirm\":true}}}";

        // The yes given for merging B, replayed to merge C: asked again, nothing merged.
        Assert.Equal("input_required", (await MergeAsync(tenant, a, c, stateForB, yes)).Str("resultType"));
        // A made-up state: asked again.
        Assert.Equal("input_required", (await MergeAsync(tenant, a, b, "confirm:000000000000", yes)).Str("resultType"));
        // The right state with something that is no answer at all: asked again.
        Assert.Equal("input_required", (await MergeAsync(tenant, a, b, stateForB, "{\"confirm\":5}")).Str("resultType"));
        // The right state with a box that is not true, or no content, or a decline: cancelled.
        foreach (var answer in new[]
                 {
                     "{\"confirm\":{\"action\":\"accept\",\"content\":{\"confirm\":\"true\"}}}",
                     "{\"confirm\":{\"action\":\"accept\"}}",
                     "{\"confirm\":{\"action\":\"decline\"}}",
                     "{\"confirm\":{\"action\":\"accept\",\"content\":{\"confirm\":1}}}",
                 })
        {
            var result = await MergeAsync(tenant, a, b, stateForB, answer);
            Assert.True(result.GetProperty("structuredContent").GetProperty("cancelled").GetBoolean(), answer);
        }
        foreach (var id in new[] { b, c })
            Assert.False((await tenant.CallOkAsync("get_record", new { Id = id, fields = new[] { "IsDeleted" } })).GetProperty("IsDeleted").GetBoolean());
        Assert.DoesNotContain((await tenant.CallOkAsync("list_changes", new { since_seq = 0 })).GetProperty("changes").EnumerateArray(), r => r.Str("operation") == "merged");

        // The real yes for B merges B, and only B.
        var merged = await MergeAsync(tenant, a, b, stateForB, yes);
        Assert.Equal(a, merged.GetProperty("structuredContent").GetProperty("master").Str("Id"));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = c, fields = new[] { "IsDeleted" } })).GetProperty("IsDeleted").GetBoolean());
    }
}
