using System.Net;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Issue 23: hostile arguments to the forecast tool and GET /api/forecast: periods that are not periods, reversed and
/// impossible dates, huge ranges, owners that are not Users or are another tenant's. Each is an error that says what to
/// send (a huge but valid range is answered), none a 5xx, and no other tenant's deal appears.
/// </summary>
public sealed class ForecastHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task HostileArguments_AreErrorsThatSayWhatToSend_AndNever5xx()
    {
        var tenant = await server.CreateTenantAsync("Forecast hostile");
        var other = await server.CreateTenantAsync("Forecast hostile other");
        string theirs = (await other.CallOkAsync("create_opportunity", new { Name = "Theirs", StageName = "Prospecting", CloseDate = "2031-01-10", Amount = 5 })).Str("Id");
        string theirAccount = (await other.CallOkAsync("create_account", new { Name = "Their account" })).Str("Id");

        var refused = new (object Args, string Says)[]
        {
            (new { period = "soon" }, "period: 'soon' is not a period. Send THIS_QUARTER"),
            (new { period = "THIS_QUARTER'; DROP TABLE opportunity; --" }, "is not a period"),
            (new { period = "NEXT_N_YEARS:99999999" }, "is not a period"),
            (new { period = "NEXT_N_DAYS:-1" }, "is not a period"),
            (new { period = new string('Q', 100_000) }, "is not a period"),
            (new { period = "THIS_QUARTER", from = "2031-01-01", to = "2031-03-31" }, "Send period or from and to, not both"),
            (new { from = "2031-01-01" }, "Send both from and to (YYYY-MM-DD), or a period such as THIS_QUARTER; to is missing."),
            (new { to = "2031-01-01" }, "from is missing"),
            (new { from = "2031-04-01", to = "2031-03-31" }, "from (2031-04-01) is after to (2031-03-31). Send from on or before to."),
            (new { from = "2031-02-30", to = "2031-03-31" }, "from: '2031-02-30' is not a date. Send YYYY-MM-DD"),
            (new { from = "01/01/2031", to = "2031-03-31" }, "is not a date"),
            (new { from = "2031-01-01T00:00:00Z", to = "2031-03-31" }, "is not a date"),
            (new { ownerId = "tom" }, "ownerId: 'tom' is not a User Id."),
            (new { ownerId = "005' OR '1'='1" }, "is not a User Id"),
            (new { ownerId = theirAccount }, "is not a User Id"),
            (new { ownerId = other.UserId }, $"ownerId: no User '{other.UserId}' in this org."),
            (new { ownerId = 42 }, "ownerId"),
            (new { period = new[] { "THIS_QUARTER" } }, "period"),
        };
        foreach (var (args, says) in refused)
        {
            var result = await tenant.CallAsync("forecast", args);
            Assert.True(result.IsError, System.Text.Json.JsonSerializer.Serialize(args));
            Assert.Contains(says, Mcp.ErrorText(result));
        }

        // The widest range there is: answered, with nothing of the other tenant's.
        var everything = await tenant.CallOkAsync("forecast", new { from = "0001-01-01", to = "9999-12-31" });
        Assert.Equal(0, everything.GetProperty("open").GetProperty("count").GetInt32());
        var theirsEverything = await other.CallOkAsync("forecast", new { from = "0001-01-01", to = "9999-12-31" });
        Assert.Equal([theirs], theirsEverything.GetProperty("deals").EnumerateArray().Select(d => d.Str("Id")));
        var millennium = await tenant.CallOkAsync("forecast", new { period = "LAST_N_YEARS:1000" });
        Assert.Equal($"{DateTime.UtcNow.Year - 1000}-01-01", millennium.GetProperty("period").Str("from"));

        foreach (var query in new[] { "period=soon", "from=2031-04-01&to=2031-03-31", "ownerId=" + other.UserId, "ownerId=%00", "from=" + new string('9', 5000) + "&to=x", "period=%27%3B--" })
        {
            var reply = await ApiClient.GetAsync(server, "/api/forecast?" + query, tenant.ApiKey);
            Assert.True(reply.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{query}: {reply.Status} {reply.Text}");
            Assert.False(string.IsNullOrEmpty(reply.Body.Str("message")), query);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/forecast", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/forecast", "not-a-key")).Status);
    }
}
