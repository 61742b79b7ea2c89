using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Tests;

/// <summary>The HTTP edge of /mcp: Host and Origin checks against DNS rebinding, GET and protocol-version handling, and auth discovery.</summary>
public sealed class McpTransportTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<HttpResponseMessage> PostAsync(string? key, string? origin, string body = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", string? protocolVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (protocolVersion is not null) request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocolVersion);
        return await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://attacker.test:5080", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData(CrmServerFixture.AllowedOrigin, HttpStatusCode.OK)]
    [InlineData("http://localhost:3000", HttpStatusCode.OK)]
    [InlineData("http://127.0.0.1:6274", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.OK)]
    public async Task Origin_ForeignBrowserPagesAreRefused_ClientsAndAllowedOriginsPass(string? origin, HttpStatusCode expected)
    {
        var tenant = await server.CreateTenantAsync("Origins");
        using var response = await PostAsync(tenant.ApiKey, origin,
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_contact","arguments":{"LastName":"Rebound"}}}""");
        Assert.Equal(expected, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (expected == HttpStatusCode.Forbidden)
        {
            using var json = JsonDocument.Parse(body);
            Assert.Equal(-32600, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal($"Origin '{origin}' is not allowed to call this MCP server. Call it from a server-side client (no Origin header), or have the operator add the origin with --allowed-origins.",
                json.RootElement.GetProperty("error").GetProperty("message").GetString());
        }
        // A refused call never ran: only the allowed ones created their contact.
        int expectedContacts = expected == HttpStatusCode.OK ? 1 : 0;
        Assert.Equal(expectedContacts, (await tenant.CallOkAsync("search_contacts", new { name = "Rebound" })).GetProperty("totalSize").GetInt32());
    }

    [Theory]
    [InlineData("evil.example.com", null, HttpStatusCode.Forbidden)]
    [InlineData("evil.example.com", "same", HttpStatusCode.Forbidden)] // a rebinding page is "same origin" with its own Host
    [InlineData("127.0.0.1.evil.example.com", null, HttpStatusCode.Forbidden)]
    [InlineData("localhost", null, HttpStatusCode.OK)]
    [InlineData("127.0.0.1", "same", HttpStatusCode.OK)]
    [InlineData("[::1]", null, HttpStatusCode.OK)]
    [InlineData(CrmServerFixture.AllowedHost, "same", HttpStatusCode.OK)]
    public async Task Host_ForeignNamesAreRefused_LoopbackAndAllowedNamesPass(string name, string? origin, HttpStatusCode expected)
    {
        var tenant = await server.CreateTenantAsync("Hosts");
        string host = $"{name}:{server.BaseUri.Port}";
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"create_contact","arguments":{"LastName":"Rebinding"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = host;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        if (origin == "same") request.Headers.TryAddWithoutValidation("Origin", $"http://{host}");
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(-32600, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal($"Host '{host}' is not a name of this MCP server. Call it as localhost or 127.0.0.1, or have the operator add the name with --allowed-hosts.",
                json.RootElement.GetProperty("error").GetProperty("message").GetString());
        }
        int expectedContacts = expected == HttpStatusCode.OK ? 1 : 0;
        Assert.Equal(expectedContacts, (await tenant.CallOkAsync("search_contacts", new { name = "Rebinding" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Get_IsNotAStream_AndAnUnknownProtocolVersionIsRefused()
    {
        var tenant = await server.CreateTenantAsync("Transport");
        using var get = new HttpRequestMessage(HttpMethod.Get, server.McpUri);
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        get.Headers.Accept.ParseAdd("text/event-stream");
        using var getResponse = await server.Http.SendAsync(get, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getResponse.StatusCode);
        Assert.Contains("POST", getResponse.Content.Headers.Allow);

        using var unknown = await PostAsync(tenant.ApiKey, null, protocolVersion: "1999-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        using var known = await PostAsync(tenant.ApiKey, null, protocolVersion: "2025-06-18");
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    [Fact]
    public async Task AuthDiscovery_401PointsAtProtectedResourceMetadata()
    {
        using var anonymous = await PostAsync(null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        string metadataUrl = new Uri(server.BaseUri, ".well-known/oauth-protected-resource").ToString();
        Assert.Equal($"Bearer resource_metadata=\"{metadataUrl}\"", anonymous.Headers.WwwAuthenticate.ToString());
        using var wrong = await PostAsync("revops_live_wrong", null);
        Assert.Equal($"Bearer error=\"invalid_token\", resource_metadata=\"{metadataUrl}\"", wrong.Headers.WwwAuthenticate.ToString());

        foreach (var path in new[] { ".well-known/oauth-protected-resource", ".well-known/oauth-protected-resource/mcp" })
        {
            using var metadata = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri(server.BaseUri, path), TestContext.Current.CancellationToken));
            var root = metadata.RootElement;
            Assert.Equal(server.McpUri.ToString(), root.GetProperty("resource").GetString());
            Assert.Equal(["header"], root.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["read", "write", "admin"], root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
        }
    }

    [Fact]
    public async Task Toolsets_OnTheUrl_NarrowTheList_AndEveryToolBelongsToOne()
    {
        var tenant = await server.CreateTenantAsync("Toolsets");
        await using (var core = await Mcp.ConnectAsync(new Uri(server.McpUri + "?toolsets=core"), tenant.ApiKey))
        {
            var tools = await core.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(ToolNames.Sorted([.. ToolNames.Seed, "search_crm", "describe_object"]), ToolNames.Sorted(tools.Select(t => t.Name)));
            // The groups shape the list; a tool outside them still answers.
            var summary = await core.CallToolAsync("pipeline_summary", cancellationToken: TestContext.Current.CancellationToken);
            Assert.NotEqual(true, summary.IsError);
        }
        await using (var two = await Mcp.ConnectAsync(new Uri(server.McpUri + "?toolsets=pipeline,admin"), tenant.ApiKey))
        {
            var tools = await two.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(["define_custom_field", "describe_object", "forecast", "get_opportunity", "get_usage", "manage_automation", "manage_webhooks", "pipeline_summary", "search_opportunities", "soql_query", "update_opportunity_stage"],
                ToolNames.Sorted(tools.Select(t => t.Name)));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.McpUri + "?toolsets=everything"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":9,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(-32602, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.StartsWith("toolsets: 'everything' is not a toolset. Use any of core, records, search, pipeline, admin", error.RootElement.GetProperty("error").GetProperty("message").GetString());

        var grouped = Toolsets.Members.Values.SelectMany(t => t).ToHashSet();
        Assert.Equal(ToolNames.Sorted([.. ToolNames.All, .. ToolNames.Covered]), ToolNames.Sorted(grouped));
    }

    [Theory]
    [InlineData("2024-11-05")]
    [InlineData("2025-03-26")]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task InitializeStyleRevisions_NegotiateTheirVersion_AndCallTools(string version)
    {
        var tenant = await server.CreateTenantAsync("Revision " + version);
        using (var init = await PostAsync(tenant.ApiKey, null,
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"old\",\"version\":\"1\"}}}"))
        {
            using var json = JsonDocument.Parse(await init.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(version, json.RootElement.GetProperty("result").GetProperty("protocolVersion").GetString());
        }
        using var call = await PostAsync(tenant.ApiKey, null,
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_contact","arguments":{"LastName":"Versioned"}}}""",
            protocolVersion: version == "2024-11-05" ? null : version);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts", new { name = "Versioned" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Revision20260728_WorksHandshakeFree_WithPerRequestVersion()
    {
        var tenant = await server.CreateTenantAsync("Revision 2026-07-28");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent("""
                {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"create_contact","arguments":{"LastName":"Handshakeless"},
                 "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}
                """, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
        request.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
        request.Headers.TryAddWithoutValidation("Mcp-Name", "create_contact");
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Handshakeless", json.RootElement.GetProperty("result").GetProperty("structuredContent").GetProperty("LastName").GetString());
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts", new { name = "Handshakeless" })).GetProperty("totalSize").GetInt32());
    }
}
