using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>The faults the hostile corpus found, each pinned by its smallest input.</summary>
public sealed class HostileRegressionTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}""", "Invalid params: initialize needs params.protocolVersion as a string, e.g. \"2025-06-18\".")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}""", "Invalid params: params must be an object; got an array.")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":null}}""", "Invalid params: tools/call needs params.name, the tool's name as a string.")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"soql_query","arguments":"x"}}""", "Invalid params: tools/call params.arguments must be an object of named arguments; got a string.")]
    public async Task Post_WronglyShapedParams_IsInvalidParamsNotInternalError(string body, string expected)
    {
        var tenant = await server.CreateTenantAsync("Shapes");
        var response = await new RawHttp(server).McpAsync(tenant.ApiKey, body, TestContext.Current.CancellationToken);
        Assert.Equal(400, response.Status);
        var error = JsonNode.Parse(response.Body)!["error"]!;
        Assert.Equal(-32602, (int)error["code"]!);
        Assert.Equal(expected, (string)error["message"]!);
    }

    /// <summary>From protocol 2026-07-28 on, initialize is a removed method (SEP-2575), not a handshake with a wrong shape.</summary>
    [Fact]
    public async Task Post_InitializeOnThe2026Wire_IsMethodNotFound()
    {
        var tenant = await server.CreateTenantAsync("No initialize");
        const string body = """
            {"jsonrpc":"2.0","id":7,"method":"initialize","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}
            """;
        var response = await new RawHttp(server).SendAsync(HttpMethod.Post, "/mcp", tenant.ApiKey, System.Text.Encoding.UTF8.GetBytes(body), TestContext.Current.CancellationToken,
            headers =>
            {
                headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
                headers.TryAddWithoutValidation("Mcp-Method", "initialize");
            });
        Assert.True(response.Status == 404, response.Body);
        var answer = JsonNode.Parse(response.Body)!;
        Assert.Equal(7, (int)answer["id"]!);
        Assert.Equal(-32601, (int)answer["error"]!["code"]!);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task SearchOpportunities_NonFiniteMinAmount_IsInvalidType(string value)
    {
        var tenant = await server.CreateTenantAsync("NaN");
        Assert.Equal($"INVALID_TYPE: search_opportunities: 'minAmount' must be a number; got \"{value}\".",
            Mcp.ErrorText(await tenant.CallAsync("search_opportunities", new { minAmount = value })));
    }

    /// <summary>Found on PostgreSQL, whose text cannot hold U+0000: writes refuse it alike on both backends, and searches for it answer.</summary>
    [Fact]
    public async Task CreateAndSearch_TextWithNulCharacter_WriteRefusedSearchAnswered()
    {
        var tenant = await server.CreateTenantAsync("Nul");
        await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Nul" });
        Assert.Equal("INVALID_FIELD_VALUE: Contact.LastName contains the NUL character (U+0000), which text cannot hold. Remove it and send the text again.",
            Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "a\u0000b" })));
        Assert.Equal("INVALID_ARGUMENT: label contains the NUL character (U+0000), which text cannot hold. Remove it.",
            Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Contact", api_name = "Nul__c", type = "Text", label = "a\u0000b" })));
        // A prefix holding U+0000 is an answer, not a fault (SQLite's LIKE stops at the NUL; PostgreSQL knows nothing can match).
        await tenant.CallOkAsync("search_contacts", new { name = "Ada\u0000" });
        Assert.Equal(0, (await tenant.CallOkAsync("search_contacts", new { email = "\u0000" })).GetProperty("count").GetInt32());
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts", new { name = "Ada" })).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task SearchContacts_NameLongerThanSqliteLikeLimit_FindsOnlyTrueMatches()
    {
        var tenant = await server.CreateTenantAsync("Long prefix");
        await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Long" });
        Assert.Equal(0, (await tenant.CallOkAsync("search_contacts", new { name = new string('x', 70_000) })).GetProperty("count").GetInt32());
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts", new { name = "ada" })).GetProperty("count").GetInt32());
    }
}
