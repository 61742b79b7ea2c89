using System.Net;
using System.Text.RegularExpressions;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// Requests the rate limit refuses (the test server holds free tenants to 5/s, bursts of 10) are counted per tenant,
/// day and channel and shown by /api/usage and the console's usage page, apart from the requests that are billed;
/// a neighbour's page shows none.
/// </summary>
public sealed class RateLimitUsageTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<(TestTenant Tenant, ConsoleClient Client)> SignedInFreeTenantAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name, "free");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        return (tenant, await ConsoleClient.SignedInAsync(server, tenant.Username));
    }

    /// <summary>GET /api/usage until its rate_limited count reaches <paramref name="refused"/>; slower than the free tier's refill, so polling is never refused itself.</summary>
    async Task<Reply> RateLimitedOnceFlushedAsync(TestTenant tenant, long refused)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var reply = await GetAsync(server, "/api/usage", tenant.ApiKey);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            long seen = reply.Body.GetProperty("rate_limited").GetProperty("requests").GetInt64();
            if (seen == refused) return reply;
            Assert.True(seen < refused && DateTime.UtcNow < deadline, $"expected {refused} rate-limited requests in usage, saw {seen}");
            await Task.Delay(400, TestContext.Current.CancellationToken);
        }
    }

    static string Figure(string html) => Regex.Match(html, "data-figure=\"rate-limited\">([^<]*)<").Groups[1].Value;

    [Fact]
    public async Task RefusedRequests_AreCountedPerChannel_OnTheUsagePageAndApi_NotBilled_AndNotTheNeighbours()
    {
        var (flooder, flooderConsole) = await SignedInFreeTenantAsync("Rate flood");
        var (neighbour, neighbourConsole) = await SignedInFreeTenantAsync("Rate calm");
        using var _ = flooderConsole;
        using var __ = neighbourConsole;

        int ok = 0, refused = 0;
        for (int i = 0; i < 30; i++)
        {
            var status = (await GetAsync(server, "/services/data/v64.0/sobjects", flooder.ApiKey)).Status;
            if (status == HttpStatusCode.OK) ok++;
            else if (status == HttpStatusCode.TooManyRequests) refused++;
            else Assert.Fail($"call {i}: {(int)status}");
        }
        Assert.True(refused >= 10, $"{ok} passed, {refused} refused");
        await Task.Delay(2100, TestContext.Current.CancellationToken); // the bucket refills before the reads below

        var usage = (await RateLimitedOnceFlushedAsync(flooder, refused)).Body;
        var limited = usage.GetProperty("rate_limited");
        var channel = Assert.Single(limited.GetProperty("by_channel").EnumerateArray());
        Assert.Equal(("rest", (long)refused), (channel.Str("channel"), channel.GetProperty("requests").GetInt64()));
        var day = Assert.Single(limited.GetProperty("by_day").EnumerateArray());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), day.Str("day"));
        Assert.Equal(refused, day.GetProperty("requests").GetInt64());
        Assert.Equal(ok, usage.GetProperty("totals").GetProperty("requests").GetInt64()); // refusals are no requests: not billed
        Assert.DoesNotContain(usage.GetProperty("by_tool").EnumerateArray(), t => t.Str("tool").StartsWith("rate-limited", StringComparison.Ordinal));

        var page = await flooderConsole.GetAsync("/console/usage");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(refused.ToString(System.Globalization.CultureInfo.InvariantCulture), Figure(page.Html));
        Assert.Contains("<svg class=\"chart\" id=\"chart-rate-limited\"", page.Html);
        Assert.Contains($"<tr data-channel=\"rest\"><td>rest</td><td>{refused}</td></tr>", page.Html);
        Assert.DoesNotContain("data-tool=\"rate-limited", page.Html);

        var calm = await neighbourConsole.GetAsync("/console/usage");
        Assert.Equal("0", Figure(calm.Html));
        Assert.DoesNotContain("chart-rate-limited", calm.Html);
        var calmUsage = await GetAsync(server, "/api/usage", neighbour.ApiKey);
        Assert.Equal(0, calmUsage.Body.GetProperty("rate_limited").GetProperty("requests").GetInt64());
        Assert.Empty(calmUsage.Body.GetProperty("rate_limited").GetProperty("by_channel").EnumerateArray());
    }
}
