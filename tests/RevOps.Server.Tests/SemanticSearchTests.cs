using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// search_crm's semantic and hybrid modes and /api/search on the real server with the model loaded: records
/// are found by meaning, each result says why, filters narrow, and changes and deletes show within 2 s.
/// </summary>
public sealed class SemanticSearchTests(SemanticServerFixture fixture) : IClassFixture<SemanticServerFixture>
{
    CrmServerFixture Server => fixture.Server;

    /// <summary>The first index of a process waits for the model to load (a few seconds, much more on a loaded CI machine); later ones take well under a second.</summary>
    internal static readonly TimeSpan FirstIndex = TimeSpan.FromSeconds(120);

    internal static async Task<(string Vp, string Clerk, string Cfo, string Deal)> SeedAsync(TestTenant tenant)
    {
        var software = await tenant.CallOkAsync("create_account", new { Name = "Nimbus Cloudworks", Industry = "Technology", Description = "Builds SaaS software for logistics teams." });
        var farm = await tenant.CallOkAsync("create_account", new { Name = "Green Acres Produce", Industry = "Agriculture", Description = "Family farm growing vegetables." });
        var bank = await tenant.CallOkAsync("create_account", new { Name = "Harbor Savings", Industry = "Banking" });
        var vp = await tenant.CallOkAsync("create_contact", new { FirstName = "Maria", LastName = "Lopez", Title = "Vice President of Engineering", AccountId = software.Str("Id") });
        var clerk = await tenant.CallOkAsync("create_contact", new { FirstName = "Bob", LastName = "Tiller", Title = "Warehouse Clerk", AccountId = farm.Str("Id") });
        var cfo = await tenant.CallOkAsync("create_contact", new { FirstName = "Ann", LastName = "Ledger", Title = "Chief Financial Officer", AccountId = bank.Str("Id") });
        var deal = await tenant.CallOkAsync("create_opportunity", new
        {
            Name = "Harbor Savings core upgrade", StageName = "Negotiation/Review", CloseDate = "2030-03-01", Amount = 90000, AccountId = bank.Str("Id"),
            Description = "Replacing the bank's ageing mainframe ledger with a cloud platform; security review pending.",
        });
        return (vp.Str("Id"), clerk.Str("Id"), cfo.Str("Id"), deal.Str("Id"));
    }

    /// <summary>
    /// Searches until <paramref name="done"/> holds for the answer, or fails after <paramref name="within"/>. Until the
    /// tenant's first index is built, mode semantic answers an error saying so: that answer means "not yet", any
    /// other error fails at once. Waiting on the answer itself, never on a fixed sleep, keeps the tests
    /// deterministic however loaded the machine (the first index of a process also waits for the model to load).
    /// </summary>
    internal static async Task<JsonElement> SearchUntilAsync(TestTenant tenant, object arguments, Func<JsonElement, bool> done, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await tenant.CallAsync("search_crm", arguments);
            string last;
            if (result.IsError == true)
            {
                last = Mcp.ErrorText(result);
                Assert.Contains("still being built", last);
            }
            else
            {
                var found = Mcp.Structured(result);
                if (done(found)) return found;
                last = found.ToString();
            }
            Assert.True(clock.Elapsed < within, $"search_crm {JsonSerializer.Serialize(arguments)} did not settle within {within}: {last}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    static string[] Ids(JsonElement found) => found.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();

    [Fact]
    public async Task SearchCrm_Auto_FindsVpsAtSoftwareCompaniesByMeaning_AndSaysWhy()
    {
        var tenant = await Server.CreateTenantAsync("Semantic meaning");
        var seeded = await SeedAsync(tenant);

        var found = await SearchUntilAsync(tenant, new { text = "VP-level people at software companies", objects = new[] { "Contact" } },
            f => Ids(f).FirstOrDefault() == seeded.Vp, FirstIndex);
        Assert.Equal("hybrid", found.Str("mode"));
        var top = found.GetProperty("records")[0];
        Assert.Equal("Contact", top.Str("object"));
        Assert.Equal("Maria Lopez", top.Str("Name"));
        Assert.Equal("meaning", top.Str("matchedBy"));
        Assert.True(top.GetProperty("similarity").GetDouble() > 0.3, top.ToString());
        Assert.Equal("Nimbus Cloudworks", top.Str("AccountName"));

        // The indexer embeds the seeded records in the background, the deal last: each answer is awaited, not assumed.
        var semantic = await SearchUntilAsync(tenant, new { text = "finance executives", mode = "semantic", objects = new[] { "Contact" } },
            f => Ids(f).FirstOrDefault() == seeded.Cfo, FirstIndex);
        Assert.Equal("semantic", semantic.Str("mode"));
        Assert.Equal(seeded.Cfo, Ids(semantic)[0]);

        var deals = await SearchUntilAsync(tenant, new { text = "bank moving its ledger to the cloud", objects = new[] { "Opportunity" } },
            f => Ids(f).FirstOrDefault() == seeded.Deal, FirstIndex);
        Assert.Equal(seeded.Deal, Ids(deals)[0]);

        // A name still finds its record by keyword, first, with the field it matched.
        var byName = await tenant.CallOkAsync("search_crm", new { text = "Tiller" });
        var first = byName.GetProperty("records")[0];
        Assert.Equal(seeded.Clerk, first.Str("Id"));
        Assert.StartsWith("keyword", first.Str("matchedBy"));
        Assert.Equal("Name", first.Str("matchedField"));

        var keyword = await tenant.CallOkAsync("search_crm", new { text = "VP-level people at software companies", mode = "keyword", objects = new[] { "Contact" } });
        Assert.DoesNotContain(seeded.Vp, Ids(keyword));
    }

    [Fact]
    public async Task SearchCrm_Auto_NameNotFound_AnswersEmptyWithTheHint_WhileSemanticStillShowsNeighbours()
    {
        var tenant = await Server.CreateTenantAsync("Semantic nothing");
        var seeded = await SeedAsync(tenant);
        await SearchUntilAsync(tenant, new { text = "finance executives", mode = "semantic" }, f => Ids(f).FirstOrDefault() == seeded.Cfo, FirstIndex);

        // The nearest people to a name nobody has are not answers: auto says nothing matched, with the words it could not
        // place, so an agent about to create the contact is not misled into thinking one exists.
        var nothing = await tenant.CallOkAsync("search_crm", new { text = "Zorblax Quentin", objects = new[] { "Contact" } });
        Assert.Equal("hybrid", nothing.Str("mode"));
        Assert.Equal(0, nothing.GetProperty("count").GetInt32());
        Assert.Empty(Ids(nothing));
        Assert.Contains("Zorblax", nothing.GetProperty("hint").GetProperty("unmatched").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains("Mode semantic lists the records nearest in meaning", nothing.Str("note"));

        // Mode semantic is the explorer's view: every neighbour, each with its similarity.
        var neighbours = await tenant.CallOkAsync("search_crm", new { text = "Zorblax Quentin", mode = "semantic", objects = new[] { "Contact" } });
        Assert.Equal(3, neighbours.GetProperty("count").GetInt32());
        Assert.All(neighbours.GetProperty("records").EnumerateArray(), r => Assert.Equal("meaning", r.Str("matchedBy")));

        // A meaningful question still answers by meaning alone.
        var meant = await tenant.CallOkAsync("search_crm", new { text = "finance executives", objects = new[] { "Contact" } });
        Assert.Equal(seeded.Cfo, Ids(meant)[0]);
        Assert.False(meant.TryGetProperty("hint", out _));
    }

    [Fact]
    public async Task SearchCrm_ChangedOrDeletedRecord_IsUpdatedInResultsWithinTwoSeconds()
    {
        var tenant = await Server.CreateTenantAsync("Semantic freshness");
        var seeded = await SeedAsync(tenant);
        var query = new { text = "people who run engineering at a software firm", mode = "semantic", objects = new[] { "Contact" } };
        await SearchUntilAsync(tenant, query, f => Ids(f).FirstOrDefault() == seeded.Vp, FirstIndex);

        // The clerk becomes the software company's CTO: within 2 s the meaning search ranks them first.
        var software = (await tenant.CallOkAsync("search_crm", new { text = "Nimbus Cloudworks", mode = "keyword", objects = new[] { "Account" } })).GetProperty("records")[0].Str("Id");
        await tenant.CallOkAsync("delete_record", new { Id = seeded.Vp });
        var afterDelete = await SearchUntilAsync(tenant, query, f => !Ids(f).Contains(seeded.Vp), TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(seeded.Vp, Ids(afterDelete));

        await tenant.CallOkAsync("update_record", new { Id = seeded.Clerk, fields = new { Title = "Chief Technology Officer, head of engineering", AccountId = software } });
        var afterUpdate = await SearchUntilAsync(tenant, query, f => Ids(f).FirstOrDefault() == seeded.Clerk, TimeSpan.FromSeconds(2));
        Assert.Equal(seeded.Clerk, Ids(afterUpdate)[0]);
    }

    [Fact]
    public async Task SearchCrm_Filters_NarrowByIndustryStageAndOwner()
    {
        var tenant = await Server.CreateTenantAsync("Semantic filters");
        var seeded = await SeedAsync(tenant);
        // The filters test each record's entry in the semantic index (a record not embedded yet fails them), which the
        // background indexer writes record by record: wait until each record these searches expect is in it.
        await SearchUntilAsync(tenant, new { text = "executives", mode = "semantic" }, f => Ids(f).Contains(seeded.Cfo), FirstIndex);
        await SearchUntilAsync(tenant, new { text = "upgrade", stage = "Negotiation/Review" }, f => Ids(f).Contains(seeded.Deal), FirstIndex);
        await SearchUntilAsync(tenant, new { text = "engineering", ownerId = "me", objects = new[] { "Contact" } }, f => Ids(f).Contains(seeded.Vp), FirstIndex);

        var banking = await tenant.CallOkAsync("search_crm", new { text = "executives", industry = "banking" });
        Assert.All(banking.GetProperty("records").EnumerateArray(), r => Assert.Contains(r.Str("Id"), new[] { seeded.Cfo, seeded.Deal, }.Concat(Ids(banking).Where(id => id.StartsWith("001")))));
        Assert.Contains(seeded.Cfo, Ids(banking));
        Assert.DoesNotContain(seeded.Vp, Ids(banking));

        var negotiating = await tenant.CallOkAsync("search_crm", new { text = "upgrade", stage = "Negotiation/Review" });
        Assert.Equal([seeded.Deal], Ids(negotiating));

        var mine = await tenant.CallOkAsync("search_crm", new { text = "engineering", ownerId = "me", objects = new[] { "Contact" } });
        Assert.Contains(seeded.Vp, Ids(mine));
        var someoneElse = await tenant.CallOkAsync("search_crm", new { text = "engineering", ownerId = "005000000000000AAA" });
        Assert.Empty(Ids(someoneElse));

        var future = await tenant.CallOkAsync("search_crm", new { text = "engineering", createdAfter = "2999-01-01" });
        Assert.Empty(Ids(future));
    }

    [Fact]
    public async Task ApiSearch_TakesTheSameParameters_AndRejectsBadOnesClearly()
    {
        var tenant = await Server.CreateTenantAsync("Semantic REST");
        var seeded = await SeedAsync(tenant);
        await SearchUntilAsync(tenant, new { text = "finance executives", mode = "semantic" }, f => Ids(f).FirstOrDefault() == seeded.Cfo, FirstIndex);
        using var rest = new ServerRest(Server.BaseUri, tenant.ApiKey);

        var (status, body) = await rest.SendAsync(HttpMethod.Get, "/api/search?text=finance%20executives&mode=semantic&objects=Contact,Lead&limit=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("semantic", body.Str("mode"));
        Assert.Equal(seeded.Cfo, Ids(body)[0]);
        Assert.Equal(2, body.GetProperty("count").GetInt32());

        var (badMode, error) = await rest.SendAsync(HttpMethod.Get, "/api/search?text=x&mode=vector");
        Assert.Equal(HttpStatusCode.BadRequest, badMode);
        Assert.Contains("mode must be one of auto, keyword, semantic", error.GetProperty("message").GetString());
        var (badDate, dateError) = await rest.SendAsync(HttpMethod.Get, "/api/search?text=x&createdAfter=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badDate);
        Assert.Contains("createdAfter must be a date", dateError.GetProperty("message").GetString());

        var mcpError = await tenant.CallAsync("search_crm", new { text = "x", mode = "vector" });
        Assert.True(mcpError.IsError);
        Assert.Contains("mode must be one of", Mcp.ErrorText(mcpError));
    }
}
