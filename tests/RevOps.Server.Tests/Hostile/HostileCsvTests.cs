using System.Text;
using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>bulk_write's csv given what no file should hold: each is refused with the reason, nothing is written, no 5xx.</summary>
public sealed class HostileCsvTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<string> RefusedAsync(TestTenant tenant, string csv)
    {
        var answer = Mcp.ErrorText(await tenant.CallAsync("bulk_write", new { @object = "Contact", operation = "create", csv }));
        Assert.Equal(0, (await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Contact" })).GetProperty("totalSize").GetInt32());
        return answer;
    }

    [Fact]
    public async Task TenThousandColumns_IsRefusedWhole()
    {
        var tenant = await server.CreateTenantAsync("Csv columns");
        string header = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"C{i}"));
        Assert.Equal("INVALID_ARGUMENT: csv has 10,000 columns; at most 1,000 are taken. Keep the columns that name fields. Nothing was written.",
            await RefusedAsync(tenant, header + "\n" + string.Join(",", Enumerable.Repeat("x", 10_000)) + "\n"));
    }

    [Fact]
    public async Task HugeField_FailsItsRowOnly_HugeHeaderIsRefused()
    {
        var tenant = await server.CreateTenantAsync("Csv huge");
        string huge = new('x', 500_000);
        var body = Mcp.Structured(await tenant.CallAsync("bulk_write", new { @object = "Contact", operation = "create", csv = $"LastName,Description\nBig,\"{huge}\"\nSmall,ok\n" }));
        Assert.Equal(1, body.GetProperty("succeeded").GetInt32());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("INVALID_FIELD_VALUE", error.Str("code"));
        Assert.Contains("Description", error.Str("message"));
        Assert.Equal(101, error.Str("value").Length);

        Assert.StartsWith("INVALID_ARGUMENT: csv: a header of 500,000 characters ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…') names no field. Is the first row the header?",
            await RefusedAsync(await server.CreateTenantAsync("Csv huge header"), huge + "\nA\n"));
    }

    [Fact]
    public async Task LoneSurrogate_IsRefused_InvalidUtf8Bytes_AreNotA5xx()
    {
        var tenant = await server.CreateTenantAsync("Csv unicode");
        // A lone surrogate only arrives escaped (a client's serializer replaces raw ones), so the JSON is written by hand.
        var escaped = await new RawHttp(server).SendAsync(HttpMethod.Post, "/mcp", tenant.ApiKey,
            Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"bulk_write","arguments":{"object":"Contact","operation":"create","csv":"LastName\nAb\ud800c\n"}}}"""),
            TestContext.Current.CancellationToken, headers => headers.Accept.ParseAdd("application/json, text/event-stream"));
        // The transport refuses it as invalid JSON text already; bulk_write's own check stands behind that.
        Assert.True(escaped.Status == 400 || escaped.Body.Contains("csv is not valid Unicode text (a lone surrogate at character 11)"), $"{escaped.Status}: {escaped.Body}");
        Assert.False(escaped.IsServerError);

        // Raw bytes that are not UTF-8 inside the JSON string: the request is refused before any tool runs.
        var prefix = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"bulk_write","arguments":{"object":"Contact","operation":"create","csv":"LastName\nA""");
        var suffix = Encoding.UTF8.GetBytes("\"}}}");
        var response = await new RawHttp(server).SendAsync(HttpMethod.Post, "/mcp", tenant.ApiKey, [.. prefix, 0xFF, 0xFE, .. suffix], TestContext.Current.CancellationToken,
            headers => headers.Accept.ParseAdd("application/json, text/event-stream"));
        Assert.False(response.IsServerError, response.Body);
        Assert.True(response.Status == 400 || JsonNode.Parse(response.Body)?["error"] is not null || response.Body.Contains("\"isError\":true"), response.Body);
        Assert.Equal(0, (await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Contact" })).GetProperty("totalSize").GetInt32());
    }
}
