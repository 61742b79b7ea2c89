using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// The forecast tool and GET /api/forecast against the real server: exact committed, best-case and weighted totals, the
/// stage probabilities (and the reason) below 200 closed deals, a win model trained in the background from a seeded history
/// and used with per-deal probabilities and drivers, the owner filter, and no other tenant's deals or model.
/// </summary>
public sealed class ForecastTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string From = "2031-01-01", To = "2031-03-31";

    [Fact]
    public async Task FewClosedDeals_StageProbabilities_ExactTotals_OwnerFilter_AndTheApiAgrees()
    {
        var tenant = await server.CreateTenantAsync("Forecast baseline");
        string tom = await UserAsync(server, tenant, "tom@forecast.test", "Tom Forecast");
        var other = await server.CreateTenantAsync("Forecast baseline other");
        string theirs = (await other.CallOkAsync("create_opportunity", new { Name = "Theirs", StageName = "Negotiation/Review", CloseDate = "2031-02-01", Amount = 999999 })).Str("Id");
        await other.CallOkAsync("create_opportunity", new { Name = "Their win", StageName = "Closed Won", CloseDate = "2031-02-01", Amount = 888888 });

        async Task<string> Opportunity(string name, string stage, string close, double amount, string? owner = null)
        {
            var args = new Dictionary<string, object?> { ["Name"] = name, ["StageName"] = stage, ["CloseDate"] = close, ["Amount"] = amount };
            if (owner is not null) args["OwnerId"] = owner;
            return (await tenant.CallOkAsync("create_opportunity", args)).Str("Id");
        }
        string p1 = await Opportunity("P1", "Prospecting", "2031-01-15", 10000);               // weighted 1000
        string n1 = await Opportunity("N1", "Negotiation/Review", "2031-02-10", 20000, tom);   // weighted 18000
        string v1 = await Opportunity("V1", "Value Proposition", "2031-03-31", 40000);         // weighted 20000
        await Opportunity("Later", "Prospecting", "2031-04-01", 50000);
        await Opportunity("W1", "Closed Won", "2031-02-01", 7000);
        await Opportunity("W2", "Closed Won", "2030-12-31", 9000);
        await Opportunity("L1", "Closed Lost", "2031-01-20", 5000);

        var f = await tenant.CallOkAsync("forecast", new { from = From, to = To });
        Assert.Equal("stage-probabilities", f.Str("model"));
        Assert.Equal("3 closed deals; a win model is trained from 200 of them, so the stage probabilities are used.", f.Str("why"));
        Assert.Equal(From, f.GetProperty("period").Str("from"));
        Assert.Equal(To, f.GetProperty("period").Str("to"));
        Assert.Equal(1, f.GetProperty("committed").GetProperty("count").GetInt32());
        Assert.Equal(7000, f.GetProperty("committed").GetProperty("amount").GetDouble());
        Assert.Equal(77000, f.GetProperty("bestCase").GetDouble());
        Assert.Equal(46000, f.GetProperty("weighted").GetDouble());
        Assert.Equal(46000, f.GetProperty("expected").GetDouble());
        var range = f.GetProperty("range");
        double p10 = range.GetProperty("p10").GetDouble(), p50 = range.GetProperty("p50").GetDouble(), p90 = range.GetProperty("p90").GetDouble();
        Assert.True(7000 <= p10 && p10 <= p50 && p50 <= p90 && p90 <= 77000, range.ToString());
        // Each sum is 7000 plus some of 10000, 20000 and 40000.
        foreach (var p in new[] { p10, p50, p90 }) Assert.Equal(0, (p - 7000) % 10000);
        Assert.Equal("""{"count":3,"amount":70000,"weightedAmount":39000}""", f.GetProperty("open").GetRawText());
        Assert.Equal(
            """[{"stage":"Prospecting","count":1,"amount":10000,"weightedAmount":1000},{"stage":"Value Proposition","count":1,"amount":40000,"weightedAmount":20000},{"stage":"Negotiation/Review","count":1,"amount":20000,"weightedAmount":18000}]""",
            f.GetProperty("byStage").GetRawText());
        var deals = f.GetProperty("deals").EnumerateArray().ToDictionary(d => d.Str("Id"), d => d.GetProperty("probability").GetDouble());
        Assert.Equal(new Dictionary<string, double> { [p1] = 0.1, [n1] = 0.9, [v1] = 0.5 }, deals);
        Assert.DoesNotContain(theirs, deals.Keys);
        // Sorted by Amount × uncertainty: V1 (40000 × 0.5) before N1 (20000 × 0.3) and P1 (10000 × 0.3).
        Assert.Equal(v1, f.GetProperty("deals")[0].Str("Id"));
        Assert.False(f.TryGetProperty("note", out _));

        // The same question gets the same range (the draws are seeded by the question).
        Assert.Equal(range.GetRawText(), (await tenant.CallOkAsync("forecast", new { from = From, to = To })).GetProperty("range").GetRawText());

        var toms = await tenant.CallOkAsync("forecast", new { from = From, to = To, ownerId = tom });
        Assert.Equal(tom, toms.Str("ownerId"));
        Assert.Equal(0, toms.GetProperty("committed").GetProperty("amount").GetDouble());
        Assert.Equal(20000, toms.GetProperty("bestCase").GetDouble());
        Assert.Equal(18000, toms.GetProperty("weighted").GetDouble());
        Assert.Equal([n1], toms.GetProperty("deals").EnumerateArray().Select(d => d.Str("Id")));
        var mine = await tenant.CallOkAsync("forecast", new { from = From, to = To, ownerId = "me" });
        Assert.Equal(7000 + 50000, mine.GetProperty("bestCase").GetDouble());

        var api = await ApiClient.GetAsync(server, $"/api/forecast?from={From}&to={To}", tenant.ApiKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, api.Status);
        Assert.Equal(f.GetRawText(), api.Body.GetRawText());

        // The other tenant sees only its own deals and its own count.
        var theirsForecast = await other.CallOkAsync("forecast", new { from = From, to = To });
        Assert.Equal(888888, theirsForecast.GetProperty("committed").GetProperty("amount").GetDouble());
        Assert.Equal(888888 + 999999, theirsForecast.GetProperty("bestCase").GetDouble());
        Assert.StartsWith("1 closed deals", theirsForecast.Str("why"));

        // The default period is this quarter; pipeline_summary is still callable though forecast covers it in the list.
        var quarter = await tenant.CallOkAsync("forecast");
        Assert.Equal(ThisQuarter().ToString("yyyy-MM-dd"), quarter.GetProperty("period").Str("from"));
        Assert.Equal(3, (await tenant.CallOkAsync("pipeline_summary", new { closeFrom = From, closeTo = To })).GetProperty("open").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task EnoughHistory_TrainsAModelInTheBackground_AndUsesIt_PerTenant()
    {
        var tenant = await server.CreateTenantAsync("Forecast model");
        string tom = await UserAsync(server, tenant, "tom@model.test", "Tom Model");
        var seeded = await SeedHistoryAsync(tenant, tom, 240);

        // Open deals of the period: the same stage and amounts for both owners; the history says who closes.
        var open = new List<object>();
        for (int i = 0; i < 20; i++)
            open.Add(new { Name = $"Open {i}", StageName = "Value Proposition", CloseDate = "2031-03-01", Amount = 10000 + i * 100, OwnerId = i % 2 == 0 ? tenant.UserId : tom });
        var openIds = Ids(await tenant.CallOkAsync("bulk_write", new { @object = "Opportunity", operation = "create", records = open }));
        var toms = openIds.Where((_, i) => i % 2 == 1).ToHashSet();

        JsonElement f = default;
        for (int attempt = 0; attempt < 120; attempt++)
        {
            f = await tenant.CallOkAsync("forecast", new { from = From, to = To });
            if (f.Str("model") == "model") break;
            Assert.Equal("stage-probabilities", f.Str("model"));
            Assert.Contains("being trained", f.Str("why"));
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        Assert.Equal("model", f.Str("model"));
        Assert.False(f.TryGetProperty("why", out _));
        var trained = f.GetProperty("trained");
        Assert.Equal(240, trained.GetProperty("closedDeals").GetInt32());
        Assert.Equal(60, trained.GetProperty("heldOut").GetInt32());
        Assert.True(trained.GetProperty("brier").GetDouble() < trained.GetProperty("stageBrier").GetDouble(), trained.ToString());

        Assert.Equal(seeded.WonInPeriod, f.GetProperty("committed").GetProperty("amount").GetDouble());
        Assert.Equal(seeded.WonInPeriodCount, f.GetProperty("committed").GetProperty("count").GetInt32());
        double openAmount = Enumerable.Range(0, 20).Sum(i => 10000 + i * 100);
        Assert.Equal(seeded.WonInPeriod + openAmount, f.GetProperty("bestCase").GetDouble());
        Assert.Equal(seeded.WonInPeriod + openAmount * 0.5, f.GetProperty("weighted").GetDouble(), 2);
        var range = f.GetProperty("range");
        Assert.True(range.GetProperty("p10").GetDouble() <= range.GetProperty("p50").GetDouble() && range.GetProperty("p50").GetDouble() <= range.GetProperty("p90").GetDouble());

        var deals = f.GetProperty("deals").EnumerateArray().ToArray();
        Assert.Equal(20, deals.Length);
        foreach (var deal in deals) Assert.InRange(deal.GetProperty("probability").GetDouble(), 0, 1);
        double tomsBest = deals.Where(d => toms.Contains(d.Str("Id"))).Max(d => d.GetProperty("probability").GetDouble());
        double minesWorst = deals.Where(d => !toms.Contains(d.Str("Id"))).Min(d => d.GetProperty("probability").GetDouble());
        Assert.True(minesWorst > tomsBest, $"the closer's deals ({minesWorst}) should beat Tom's ({tomsBest})");
        // The owner's record is what separates them, and the drivers say so: against the team's average rate it pulls Tom's
        // deal below the closer's. A driver compares with the training mean, and a tree may split the owners' rates on
        // either side of that mean, leaving one owner's effect near zero (+0.021 for Tom in one CI run under load), so
        // the test holds the order of the two effects, which also gives the sign of at least one. A driver under 0.005
        // or outside the top three is not listed: its effect counts as 0.
        var tomsDeal = deals.First(d => toms.Contains(d.Str("Id")));
        var closersDeal = deals.First(d => !toms.Contains(d.Str("Id")));
        Assert.True(OwnerEffect(tomsDeal) < OwnerEffect(closersDeal), $"Tom's {tomsDeal} against the closer's {closersDeal}");

        var tomOnly = await tenant.CallOkAsync("forecast", new { from = From, to = To, ownerId = tom });
        Assert.Equal(toms.Order(), tomOnly.GetProperty("deals").EnumerateArray().Select(d => d.Str("Id")).Order());
        Assert.Equal(seeded.TomsWonInPeriod, tomOnly.GetProperty("committed").GetProperty("amount").GetDouble());

        // Another tenant with little history never gets this model, nor these deals.
        var other = await server.CreateTenantAsync("Forecast model other");
        await other.CallOkAsync("create_opportunity", new { Name = "Small", StageName = "Value Proposition", CloseDate = "2031-03-01", Amount = 100 });
        var theirs = await other.CallOkAsync("forecast", new { from = From, to = To });
        Assert.Equal("stage-probabilities", theirs.Str("model"));
        Assert.StartsWith("0 closed deals", theirs.Str("why"));
        Assert.False(theirs.TryGetProperty("trained", out _));
        Assert.Equal(0.5, Assert.Single(theirs.GetProperty("deals").EnumerateArray()).GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task CliTrain_TrainsAtOnce_AndRefusesTooFewClosedDeals()
    {
        var tenant = await server.CreateTenantAsync("Forecast CLI");
        var refused = await Cli.RunAsync("forecast", "train", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not trained: fewer than 200 closed deals with their closing in the change history", refused.StdErr);

        string tom = await UserAsync(server, tenant, "tom@cli.test", "Tom Cli");
        await SeedHistoryAsync(tenant, tom, 200);
        var trained = await Cli.RunAsync("forecast", "train", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.True(trained.ExitCode == 0, trained.StdErr);
        Assert.StartsWith("Trained on 200 closed deals: Brier ", trained.StdOut);
        Assert.Contains("the forecast uses the model.", trained.StdOut);
        var f = await tenant.CallOkAsync("forecast", new { from = From, to = To });
        Assert.Equal("model", f.Str("model"));
        Assert.Equal(200, f.GetProperty("trained").GetProperty("closedDeals").GetInt32());
        Assert.Equal(50, f.GetProperty("trained").GetProperty("heldOut").GetInt32());
    }

    internal sealed record Seeded(double WonInPeriod, int WonInPeriodCount, double TomsWonInPeriod);

    /// <summary>
    /// n deals created in Value Proposition, then closed (so the change log holds the stage each closed from), in four
    /// rounds so later deals' owners have a record when they were open; owners alternate: the caller wins most, Tom few.
    /// Two in twenty (one of each owner) close in the forecast period.
    /// </summary>
    internal static async Task<Seeded> SeedHistoryAsync(TestTenant tenant, string tom, int n)
    {
        var created = Enumerable.Range(0, n).Select(i => new
        {
            Name = $"History {i}", StageName = "Value Proposition", CloseDate = i % 20 is 1 or 2 ? "2031-02-01" : "2030-06-15", Amount = 1000 + i % 7 * 500,
            OwnerId = i % 2 == 0 ? tenant.UserId : tom,
        }).ToArray();
        // Outcomes drawn once from a fixed seed: the caller wins about 85%, Tom about 15% (not a periodic pattern a tree could learn).
        var random = new Random(23);
        var won = Enumerable.Range(0, n).Select(i => random.NextDouble() < (i % 2 == 0 ? 0.85 : 0.15)).ToArray();
        int round = n / 4;
        for (int first = 0; first < n; first += round)
        {
            var batch = Enumerable.Range(first, Math.Min(round, n - first)).ToArray();
            var ids = Ids(await tenant.CallOkAsync("bulk_write", new { @object = "Opportunity", operation = "create", records = batch.Select(i => created[i]).ToArray() }));
            var closed = ids.Select((id, k) => new { Id = id, StageName = won[batch[k]] ? "Closed Won" : "Closed Lost" }).ToArray();
            var result = await tenant.CallOkAsync("bulk_write", new { @object = "Opportunity", operation = "update", records = closed });
            Assert.Equal(batch.Length, result.GetProperty("succeeded").GetInt32());
        }
        var inPeriod = Enumerable.Range(0, n).Where(i => i % 20 is 1 or 2 && won[i]).ToArray();
        return new Seeded(inPeriod.Sum(i => created[i].Amount), inPeriod.Length, inPeriod.Where(i => i % 2 == 1).Sum(i => created[i].Amount));
    }

    static double OwnerEffect(JsonElement deal) =>
        deal.TryGetProperty("drivers", out var drivers)
            ? drivers.EnumerateArray().Where(d => d.Str("feature") == "owner_win_rate").Select(d => d.GetProperty("effect").GetDouble()).FirstOrDefault()
            : 0;

    internal static string[] Ids(JsonElement bulk) => bulk.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();

    internal static async Task<string> UserAsync(CrmServerFixture server, TestTenant tenant, string email, string name)
    {
        var reply = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey, JsonSerializer.Serialize(new { email, name, admin = false }));
        Assert.True(reply.Status == System.Net.HttpStatusCode.Created, reply.Text);
        return reply.Body.Str("Id");
    }

    static DateOnly ThisQuarter()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
    }
}
