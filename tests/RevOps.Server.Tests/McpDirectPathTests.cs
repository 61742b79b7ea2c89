using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Server.Mcp.Transport;

namespace RevOps.Server.Tests;

/// <summary>
/// The direct path for plain stateless tools/call (<see cref="DirectToolCalls"/>) against the SDK's own path for the
/// same request (forced with <see cref="DirectToolCalls.SdkPathHeader"/>): the same status, headers and bytes, the
/// same checks and metering, and everything unusual left to the SDK.
/// </summary>
public sealed class McpDirectPathTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string Both = "application/json, text/event-stream";

    sealed record Answer(HttpStatusCode Status, string? ContentType, string Headers, string Body);

    async Task<Answer> PostAsync(string key, string body, string? accept, string? protocolVersion, bool sdk, params (string Name, string Value)[] extra)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (protocolVersion is not null) request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocolVersion);
        if (sdk) request.Headers.TryAddWithoutValidation(DirectToolCalls.SdkPathHeader, "sdk");
        foreach (var (name, value) in extra) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        string headers = string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => !new[] { "Date", "X-Request-Id", "Server" }.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), headers,
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    long DirectCalls() => server.Services.GetRequiredService<DirectToolCalls>().Answered;

    static string Call(object id, string tool, string arguments, string extraParams = "") =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + JsonSerializer.Serialize(id) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + extraParams + "}}";

    [Fact]
    public async Task ReadCalls_AnswerTheSameBytes_OnTheDirectAndTheSdkPath()
    {
        var tenant = await server.CreateTenantAsync("Direct reads");
        var account = await tenant.CallOkAsync("create_account", new { Name = "Ünïcode & <Co> \"Quoted\"", Industry = "Technology" });
        string accountId = account.GetProperty("Id").GetString()!;
        var contact = await tenant.CallOkAsync("create_contact", new { FirstName = "Zoë", LastName = "O'Brien + Søn", AccountId = accountId, Email = "zoe@example.com" });
        string contactId = contact.GetProperty("Id").GetString()!;

        string[] calls =
        [
            Call(1, "get_record", $$"""{"object":"Contact","Id":"{{contactId}}"}"""),
            Call("id-<&>-é\"", "find_records", """{"object":"Account","where":"Industry = 'Technology'"}"""),
            Call(3, "get_account", $$"""{"Id":"{{accountId}}"}"""),
            Call(4, "search_crm", """{"query":"O'Brien"}""", ""","_meta":{"progressToken":"p1"}"""),
            Call(5, "soql_query", $$"""{"query":"SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Id = '{{accountId}}'"}"""),
            Call(6, "get_record", """{"object":"Contact","id":"wrong case"}"""),
            Call(7, "get_record", """{"object":"Contact","Id":"003000000000000AAA"}"""),
            Call(8, "find_records", "null"),
            Call(9223372036854775807L, "describe_object", """{"object":"Contact"}"""),
            Call(10, "find_records", """{"object":"Contact","where":{"LastName":"O\u0027Brien + S\u00f8n"},"limit":"1"}"""),
            Call(11, "bulk_write", """{"object":"Contact","operation":"insert","records":["it's <not> an object"]}"""),
            Call(12, "find_records", """{"object":"Contact","limit":1}"""),
        ];
        long before = DirectCalls();
        int direct = 0;
        foreach (string call in calls)
            foreach (string? accept in new[] { Both, null, "application/json" })
                foreach (string? version in new[] { null, "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25" })
                {
                    var viaSdk = await PostAsync(tenant.ApiKey, call, accept, version, sdk: true);
                    var viaDirect = await PostAsync(tenant.ApiKey, call, accept, version, sdk: false);
                    // bulk_write runs long (progress, cancellation): the SDK's path serves it, with the same bytes.
                    if (!call.Contains("\"bulk_write\"", StringComparison.Ordinal)) direct++;
                    Assert.Equal(HttpStatusCode.OK, viaSdk.Status);
                    Assert.Equal(viaSdk.Status, viaDirect.Status);
                    Assert.Equal(viaSdk.Headers, viaDirect.Headers);
                    Assert.Equal(viaSdk.Body, viaDirect.Body);
                }
        Assert.Equal(before + direct, DirectCalls());

        // Spot-check what the bytes say, so equal does not mean equally wrong.
        var sample = await PostAsync(tenant.ApiKey, calls[0], Both, null, sdk: false);
        Assert.Equal("text/event-stream", sample.ContentType);
        Assert.StartsWith("event: message\ndata: {\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"Id\\\":\\\"" + contactId, sample.Body);
        Assert.Contains("\"FirstName\":\"Zoë\"", sample.Body);
        Assert.EndsWith(",\"id\":1,\"jsonrpc\":\"2.0\"}\n\n", sample.Body);
        var wrong = await PostAsync(tenant.ApiKey, calls[5], null, null, sdk: false);
        Assert.Equal("application/json", wrong.ContentType);
        Assert.Equal("""{"result":{"content":[{"type":"text","text":"INVALID_ARGUMENT: get_record has no argument 'id'. Did you mean 'Id'?"}],"isError":true},"id":6,"jsonrpc":"2.0"}""", wrong.Body);
    }

    [Fact]
    public async Task Writes_OnTheDirectPath_AreChecked_Logged_AndMetered_AsOnTheSdkPath()
    {
        var tenant = await server.CreateTenantAsync("Direct writes");
        var made = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, """{"scope":"read"}""");
        string readKey = made.Body.Str("api_key");

        string create = Call(1, "create_contact", """{"LastName":"Direct","Email":"direct@example.com"}""");
        var viaSdk = await PostAsync(readKey, create, Both, null, sdk: true);
        var viaDirect = await PostAsync(readKey, create, Both, null, sdk: false);
        Assert.Equal(viaSdk.Body, viaDirect.Body);
        Assert.Contains("INSUFFICIENT_ACCESS: create_contact changes data and this API key is read-only.", viaDirect.Body);

        var created = await PostAsync(tenant.ApiKey, create, null, null, sdk: false);
        using var json = JsonDocument.Parse(created.Body);
        string id = json.RootElement.GetProperty("result").GetProperty("structuredContent").GetProperty("Id").GetString()!;
        var got = await tenant.CallOkAsync("get_record", new { @object = "Contact", Id = id });
        Assert.Equal("direct@example.com", got.GetProperty("Email").GetString());
        var changes = await tenant.CallOkAsync("list_changes", new { @object = "Contact" });
        Assert.Contains(changes.GetProperty("changes").EnumerateArray(), c => c.GetProperty("recordId").GetString() == id && c.GetProperty("operation").GetString() == "created");

        // Metered per tool like any call: the created contact and the two calls above (a refused call is not metered on either path).
        var usage = await ApiClient.UsageOnceFlushedAsync(server, tenant.ApiKey, 3, "");
        var byTool = usage.GetProperty("by_tool").EnumerateArray().ToDictionary(t => t.GetProperty("tool").GetString()!);
        Assert.Equal(1, byTool["create_contact"].GetProperty("requests").GetInt64());
        Assert.Equal(1, byTool["create_contact"].GetProperty("successes").GetInt64());
        Assert.Equal(1, byTool["get_record"].GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task CachedKeys_OnTheDirectPath_StayInTheirTenant_AndAreRefusedOnTheRequestAfterRevocation()
    {
        var first = await server.CreateTenantAsync("Direct cache A");
        var second = await server.CreateTenantAsync("Direct cache B");
        string mine = (await first.CallOkAsync("create_contact", new { LastName = "Mine" })).GetProperty("Id").GetString()!;
        string theirs = (await second.CallOkAsync("create_contact", new { LastName = "Theirs" })).GetProperty("Id").GetString()!;
        var made = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", first.ApiKey, """{"scope":"read"}""");
        string readKey = made.Body.Str("api_key"), readKeyId = made.Body.Str("id");
        long before = DirectCalls();

        // The two tenants' keys interleaved, each call answered from the key cache after the first: each sees only its own tenant.
        for (int i = 0; i < 3; i++)
        {
            var own = await PostAsync(readKey, Call(i, "get_contact", $$"""{"Id":"{{mine}}"}"""), null, null, sdk: false);
            Assert.Equal(HttpStatusCode.OK, own.Status);
            Assert.Contains($"\"LastName\":\"Mine\"", own.Body);
            var other = await PostAsync(readKey, Call(i, "get_contact", $$"""{"Id":"{{theirs}}"}"""), null, null, sdk: false);
            Assert.Contains("NOT_FOUND", other.Body);
            Assert.DoesNotContain("Theirs", other.Body);
            var theirsOwn = await PostAsync(second.ApiKey, Call(i, "get_contact", $$"""{"Id":"{{theirs}}"}"""), null, null, sdk: false);
            Assert.Contains($"\"LastName\":\"Theirs\"", theirsOwn.Body);
            var theirsOther = await PostAsync(second.ApiKey, Call(i, "get_contact", $$"""{"Id":"{{mine}}"}"""), null, null, sdk: false);
            Assert.Contains("NOT_FOUND", theirsOther.Body);
            // The cached caller keeps its scope: still read-only.
            var write = await PostAsync(readKey, Call(i, "create_contact", """{"LastName":"Nope"}"""), null, null, sdk: false);
            Assert.Contains("INSUFFICIENT_ACCESS: create_contact changes data and this API key is read-only.", write.Body);
        }
        Assert.Equal(before + 15, DirectCalls());

        var revoked = await ApiClient.SendAsync(server, HttpMethod.Delete, $"/api/keys/{readKeyId}", first.ApiKey);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        var after = await PostAsync(readKey, Call(9, "get_contact", $$"""{"Id":"{{mine}}"}"""), null, null, sdk: false);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.DoesNotContain("Mine", after.Body);
        Assert.Equal(before + 15, DirectCalls());
        var page = await first.CallOkAsync("find_records", new { @object = "Contact" });
        Assert.Equal(1, page.GetProperty("totalSize").GetInt64());
    }

    [Fact]
    public async Task UnusualRequests_GoToTheSdk_AndGetItsAnswer()
    {
        var tenant = await server.CreateTenantAsync("Direct fallbacks");
        string call = Call(1, "find_records", """{"object":"Contact"}""");
        long before = DirectCalls();

        // A revision with per-request metadata, an unknown revision, routing headers, a session, and metadata beyond a progress token.
        var stateless = await PostAsync(tenant.ApiKey, call, Both, "2026-07-28", sdk: false);
        Assert.Equal(HttpStatusCode.BadRequest, stateless.Status);
        Assert.Contains("must include '_meta/io.modelcontextprotocol/protocolVersion'", JsonDocument.Parse(stateless.Body).RootElement.GetProperty("error").GetProperty("message").GetString());
        var unknown = await PostAsync(tenant.ApiKey, call, Both, "1999-01-01", sdk: false);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        var routed = await PostAsync(tenant.ApiKey, call, Both, null, sdk: false, ("Mcp-Method", "tools/call"), ("Mcp-Name", "find_records"));
        var plain = await PostAsync(tenant.ApiKey, call, Both, null, sdk: true);
        Assert.Equal(plain.Body, routed.Body);
        var withMeta = await PostAsync(tenant.ApiKey, Call(2, "find_records", """{"object":"Contact"}""", ""","_meta":{"custom":"x"}"""), Both, null, sdk: false);
        Assert.Equal(HttpStatusCode.OK, withMeta.Status);
        Assert.Contains("\"totalSize\":0", withMeta.Body);
        string extra = """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"find_records","arguments":{"object":"Contact"}},"extra":true}""";
        var extraMember = await PostAsync(tenant.ApiKey, extra, Both, null, sdk: false);
        Assert.Equal((await PostAsync(tenant.ApiKey, extra, Both, null, sdk: true)).Body, extraMember.Body);
        var list = await PostAsync(tenant.ApiKey, """{"jsonrpc":"2.0","id":4,"method":"tools/list"}""", Both, null, sdk: false);
        Assert.Contains("\"name\":\"find_records\"", list.Body);

        Assert.Equal(before, DirectCalls());
    }
}
