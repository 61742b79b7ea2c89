using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>GET /api/usage and get_usage: exact counts after the one-second flush, tenant isolation, invoice preview.</summary>
public sealed class UsageApiTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>3 searches, 1 create, 2 failing gets over MCP; 1 found and 1 missing record over REST.</summary>
    async Task<string> MakeEightCallsAsync(TestTenant tenant)
    {
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Metered" })).Str("Id");
        for (int i = 0; i < 3; i++) await tenant.CallOkAsync("search_contacts", new { name = "Meter" });
        Assert.True((await tenant.CallAsync("get_contact", new { Id = "bad" })).IsError);
        Assert.True((await tenant.CallAsync("get_contact", new { Id = "003000000000000AAA" })).IsError);
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, $"/services/data/v60.0/sobjects/Contact/{id}", tenant.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact/003000000000000AAA", tenant.ApiKey)).Status);
        return id;
    }

    [Fact]
    public async Task GetUsage_AfterKnownCalls_ReportsExactCountsPerToolPerDayAndInvoice()
    {
        var tenant = await server.CreateTenantAsync("Usage Exact");
        await MakeEightCallsAsync(tenant);

        var usage = await ApiClient.UsageOnceFlushedAsync(server, tenant.ApiKey, 8);

        string month = Today[..7];
        var firstDay = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(tenant.TenantId, usage.Str("tenant_id"));
        Assert.Equal("professional", usage.Str("tier"));
        Assert.Equal(firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), usage.GetProperty("period").Str("from"));
        Assert.Equal(firstDay.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), usage.GetProperty("period").Str("to"));
        AssertFigures(usage.GetProperty("totals"), 8, 5, 3);
        Assert.Equal(
            ["search_contacts 3/3/0", "get_contact 2/0/2", "rest GET /sobjects/{type}/{id} 2/1/1", "create_contact 1/1/0"],
            usage.GetProperty("by_tool").EnumerateArray().Select(Row("tool")));
        Assert.Equal([$"{Today} 8/5/3"], usage.GetProperty("by_day").EnumerateArray().Select(Row("day")));
        Assert.Equal("""
            {"currency":"USD","tier":"professional","line_items":[{"description":"Base fee, professional tier","quantity":1,"unit":"month","unit_price":49.00,"amount":49.00},{"description":"Requests (8)","quantity":0.008,"unit":"1,000 requests","unit_price":0.10,"amount":0.00}],"total":49.00}
            """, usage.GetProperty("invoice").GetRawText());
    }

    [Fact]
    public async Task GetUsage_ChosenPastPeriod_ReportsNothingAndOneMonthsBaseFee()
    {
        var tenant = await server.CreateTenantAsync("Usage Past");
        var reply = await ApiClient.GetAsync(server, "/api/usage?from=2020-01-15&to=2020-03-02", tenant.ApiKey);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("2020-01-15", reply.Body.GetProperty("period").Str("from"));
        Assert.Equal("2020-03-02", reply.Body.GetProperty("period").Str("to"));
        Assert.Equal("""{"requests":0,"successes":0,"errors":0,"avg_ms":0,"p50_ms":null,"p95_ms":null}""", reply.Body.GetProperty("totals").GetRawText());
        Assert.Equal(0, reply.Body.GetProperty("by_tool").GetArrayLength());
        Assert.Equal(0, reply.Body.GetProperty("by_day").GetArrayLength());
        // January, February and March are touched: three months' base fee.
        var invoice = reply.Body.GetProperty("invoice");
        Assert.Equal("""{"description":"Base fee, professional tier","quantity":3,"unit":"months","unit_price":49.00,"amount":147.00}""",
            invoice.GetProperty("line_items")[0].GetRawText());
        Assert.Equal(147.00m, invoice.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task GetUsage_BadPeriod_Returns400NamingTheFix()
    {
        var tenant = await server.CreateTenantAsync("Usage Bad Period");

        var backwards = await ApiClient.GetAsync(server, "/api/usage?from=2026-12-01&to=2026-11-01", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.Status);
        Assert.Equal("INVALID_ARGUMENT: from 2026-12-01 is after to 2026-11-01; send from on or before to.", backwards.Error());

        var garbled = await ApiClient.GetAsync(server, "/api/usage?from=last-week", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, garbled.Status);
        Assert.Equal("from 'last-week' is not a day (YYYY-MM-DD, e.g. 2026-11-01) or a month (YYYY-MM, e.g. 2026-11).", garbled.Body.Str("message"));
    }

    [Fact]
    public async Task GetUsage_AdminTokenReadsAnyTenant_KeyOfAnotherTenantIsRefusedAlike()
    {
        var acme = await server.CreateTenantAsync("Usage Acme");
        var globex = await server.CreateTenantAsync("Usage Globex");
        await acme.CallOkAsync("search_contacts", new { name = "x" });
        await ApiClient.UsageOnceFlushedAsync(server, acme.ApiKey, 1);

        var asOperator = await ApiClient.GetAsync(server, $"/api/usage?tenant={acme.TenantId}", server.AdminToken);
        Assert.Equal(HttpStatusCode.OK, asOperator.Status);
        Assert.Equal(acme.TenantId, asOperator.Body.Str("tenant_id"));
        Assert.Equal(1, asOperator.Body.GetProperty("totals").GetProperty("requests").GetInt64());

        const string Refusal = "INSUFFICIENT_ACCESS: ?tenant= is for the operator's admin token; an API key reads only its own tenant's usage. Leave ?tenant= out.";
        var existing = await ApiClient.GetAsync(server, $"/api/usage?tenant={acme.TenantId}", globex.ApiKey);
        var missing = await ApiClient.GetAsync(server, $"/api/usage?tenant={Guid.NewGuid()}", globex.ApiKey);
        Assert.Equal((HttpStatusCode.Forbidden, Refusal), (existing.Status, existing.Error()));
        Assert.Equal((HttpStatusCode.Forbidden, Refusal), (missing.Status, missing.Error()));
        Assert.Equal(existing.Text, missing.Text);

        var own = await ApiClient.GetAsync(server, $"/api/usage?tenant={globex.TenantId}", globex.ApiKey);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(0, own.Body.GetProperty("totals").GetProperty("requests").GetInt64());

        var unknownToOperator = await ApiClient.GetAsync(server, $"/api/usage?tenant={Guid.Empty}", server.AdminToken);
        Assert.Equal(HttpStatusCode.NotFound, unknownToOperator.Status);
        var operatorWithoutTenant = await ApiClient.GetAsync(server, "/api/usage", server.AdminToken);
        Assert.Equal("INVALID_ARGUMENT: The admin token belongs to no tenant: name one with ?tenant=<tenant id>.", operatorWithoutTenant.Error());
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/usage", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/usage", "revops_live_unknown")).Status);
    }

    [Fact]
    public async Task GetUsageTool_ReadKey_ReportsOwnTenantOnly()
    {
        var acme = await server.CreateTenantAsync("Usage Tool Acme");
        var globex = await server.CreateTenantAsync("Usage Tool Globex");
        await MakeEightCallsAsync(acme);
        await ApiClient.UsageOnceFlushedAsync(server, acme.ApiKey, 8);
        var readKey = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", acme.ApiKey, """{"scope":"read"}""");
        Assert.Equal(HttpStatusCode.Created, readKey.Status);

        await using var reader = await acme.ConnectMcpAsync(readKey.Body.Str("api_key"));
        var result = await reader.CallToolAsync("get_usage", new Dictionary<string, object?> { ["from"] = Today[..7] }, cancellationToken: TestContext.Current.CancellationToken);
        var usage = Mcp.Structured(result);
        AssertFigures(usage.GetProperty("totals"), 8, 5, 3);
        Assert.Equal(49.00m, usage.GetProperty("invoice").GetProperty("total").GetDecimal());

        var other = await globex.CallOkAsync("get_usage");
        Assert.Equal(globex.TenantId, other.Str("tenant_id"));
        AssertFigures(other.GetProperty("totals"), 0, 0, 0);

        var bad = await globex.CallAsync("get_usage", new { from = "yesterday" });
        Assert.Equal("INVALID_ARGUMENT: from 'yesterday' is not a day (YYYY-MM-DD, e.g. 2026-11-01) or a month (YYYY-MM, e.g. 2026-11).", Mcp.ErrorText(bad));
    }

    [Fact]
    public async Task UsageCli_TablesAndCsv_MatchTheStoredCounts()
    {
        var tenant = await server.CreateTenantAsync("Usage Cli");
        await MakeEightCallsAsync(tenant);
        await ApiClient.UsageOnceFlushedAsync(server, tenant.ApiKey, 8);
        string csv = Path.Combine(server.DataDirectory, $"usage-{Guid.NewGuid():N}.csv");
        string prices = Path.Combine(server.DataDirectory, $"prices-{Guid.NewGuid():N}.json");
        // $5 per 1,000 requests is half a cent a request: 8 requests are 0.04; 1 would be 0.005 → 0.01 (half away from zero).
        await File.WriteAllTextAsync(prices, """{"base_monthly": 10, "per_1000_requests": 5, "tiers": {"professional": {"base_monthly": 20.5}}}""", TestContext.Current.CancellationToken);

        var output = await Cli.RunAsync("usage", "--tenant", tenant.TenantId, "--month", Today[..7], "--csv", csv, "--price-book", prices, "--data", server.DataDirectory);

        Assert.Equal(0, output.ExitCode);
        Assert.Contains($"Usage of Usage Cli ({tenant.TenantId}, professional tier)", output.StdOut);
        Assert.Matches(@"search_contacts\s*│\s*3\s*│\s*3\s*│\s*0\s*│", output.StdOut);
        Assert.Matches(@"get_contact\s*│\s*2\s*│\s*0\s*│\s*2\s*│", output.StdOut);
        Assert.Matches($@"{Today}\s*│\s*8\s*│\s*5\s*│\s*3\s*│", output.StdOut);
        Assert.Matches(@"Base fee, professional tier\s*│\s*1\s*│\s*month\s*│\s*20\.50\s*│\s*20\.50", output.StdOut);
        Assert.Matches(@"Requests \(8\)\s*│\s*0\.008\s*│\s*1,000 requests\s*│\s*5\.00\s*│\s*0\.04", output.StdOut);
        Assert.Matches(@"Total\s*│.*│\s*20\.54\s*│", output.StdOut);
        Assert.Contains($"Wrote 4 rows to {csv}.", output.StdOut);

        var lines = await File.ReadAllLinesAsync(csv, TestContext.Current.CancellationToken);
        Assert.Equal("day,tool,requests,successes,errors,avg_ms,p50_ms,p95_ms", lines[0]);
        Assert.Equal(
            [$"{Today},create_contact,1,1,0", $"{Today},get_contact,2,0,2", $"{Today},rest GET /sobjects/{{type}}/{{id}},2,1,1", $"{Today},search_contacts,3,3,0"],
            lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(5))));
        Assert.All(lines.Skip(1), l => Assert.Matches(@",\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?$", l));
    }

    static Func<JsonElement, string> Row(string key) => e =>
        $"{e.Str(key)} {e.GetProperty("requests").GetInt64()}/{e.GetProperty("successes").GetInt64()}/{e.GetProperty("errors").GetInt64()}";

    static void AssertFigures(JsonElement figures, long requests, long successes, long errors)
    {
        Assert.Equal((requests, successes, errors),
            (figures.GetProperty("requests").GetInt64(), figures.GetProperty("successes").GetInt64(), figures.GetProperty("errors").GetInt64()));
        if (requests == 0) return;
        double[] bounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
        Assert.Contains(figures.GetProperty("p50_ms").GetDouble(), bounds);
        Assert.Contains(figures.GetProperty("p95_ms").GetDouble(), bounds);
        Assert.True(figures.GetProperty("p50_ms").GetDouble() <= figures.GetProperty("p95_ms").GetDouble());
    }
}
