using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RevOps.Server.Limits;

namespace RevOps.Server.Tests;

/// <summary>
/// Per-tenant rate limits by tier on MCP and REST (the test server holds free tenants to 5/s with
/// bursts of 10): past the burst a tenant gets 429 with Retry-After, other tenants are untouched,
/// and the bucket refills.
/// </summary>
public sealed class RateLimitTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<HttpResponseMessage> RestGetAsync(TestTenant tenant, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        return await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    async Task<HttpResponseMessage> McpAsync(TestTenant tenant, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":\"{id}\",\"method\":\"tools/call\",\"params\":{{\"name\":\"find_records\",\"arguments\":{{\"object\":\"Account\"}}}}}}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");
        return await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Rest_PastTheBurst_Is429WithRetryAfterAndSalesforceBody_OtherTenantsUnaffected_ThenRefills()
    {
        var free = await server.CreateTenantAsync("Rate free rest", "free");
        var neighbour = await server.CreateTenantAsync("Rate neighbour", "free");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (int i = 0; i < 20; i++)
        {
            var response = await RestGetAsync(free, "/services/data/v64.0/sobjects");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused ??= response;
        }
        // The burst of 10 passes; then the bucket refills at 5/s, far slower than the calls come.
        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 5, string.Join(",", statuses));
        var body = JsonDocument.Parse(await refused!.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement[0];
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", body.Str("errorCode"));
        Assert.Contains("free tier allows 5 requests per second", body.Str("message"));
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter!.Delta);

        // Another free tenant has its own bucket.
        Assert.Equal(HttpStatusCode.OK, (await RestGetAsync(neighbour, "/services/data/v64.0/sobjects")).StatusCode);

        await Task.Delay(1100, TestContext.Current.CancellationToken);
        using var again = await RestGetAsync(free, "/services/data/v64.0/sobjects");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Matches("^api-usage=[0-9]+/15000$", again.Headers.GetValues("Sforce-Limit-Info").Single());
    }

    [Fact]
    public async Task Mcp_PastTheBurst_Is429WithAJsonRpcErrorForThatCall_SayingWhenToRetry()
    {
        var free = await server.CreateTenantAsync("Rate free mcp", "free");
        var statuses = new List<HttpStatusCode>();
        string? refusal = null;
        int refusedAt = -1;
        for (int i = 0; i < 20; i++)
        {
            using var response = await McpAsync(free, $"call-{i}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && refusal is null)
            {
                refusal = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                refusedAt = i;
            }
        }
        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 5, string.Join(",", statuses));
        var error = JsonDocument.Parse(refusal!).RootElement;
        Assert.Equal($"call-{refusedAt}", error.Str("id"));
        Assert.Equal(RateLimitMiddleware.JsonRpcRateLimited, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("Retry after", error.GetProperty("error").Str("message"));
        Assert.InRange(error.GetProperty("error").GetProperty("data").GetProperty("retryAfterMs").GetInt64(), 1, 1000);
    }

    [Fact]
    public async Task SdkClient_SeesTheRateLimitAsAnErrorNamingTheRetry()
    {
        var free = await server.CreateTenantAsync("Rate free sdk", "free");
        await using var client = await free.ConnectMcpAsync();
        Exception? refused = null;
        for (int i = 0; i < 15 && refused is null; i++)
        {
            try { await client.CallToolAsync("find_records", Mcp.Arguments(new { @object = "Account" }), cancellationToken: TestContext.Current.CancellationToken); }
            catch (Exception e) { refused = e; }
        }
        Assert.NotNull(refused);
        Assert.Contains("Rate limit exceeded", refused.ToString());
    }

    [Fact]
    public void DefaultTable_IsTheDocumentedOne_AndOverridesAreParsed()
    {
        Assert.Equal(new TierLimit(10, 20, 15_000), TierLimits.Default.For("free"));
        Assert.Equal(new TierLimit(100, 200, 100_000), TierLimits.Default.For("professional"));
        Assert.Equal(new TierLimit(1000, 2000, 1_000_000), TierLimits.Default.For("enterprise"));
        Assert.Equal(new TierLimit(10, 20, 15_000), TierLimits.Default.For("no-such-tier"));
        var (parsed, _) = TierLimits.Parse("professional=250,enterprise=5000/9000");
        Assert.Equal(new TierLimit(250, 500, 100_000), parsed!.For("professional"));
        Assert.Equal(new TierLimit(5000, 9000, 1_000_000), parsed.For("enterprise"));
        Assert.Contains("not tier=perSecond[/burst]", TierLimits.Parse("gold=5").Problem);
        Assert.Contains("not tier=perSecond[/burst]", TierLimits.Parse("free=10/5").Problem);
    }
}
