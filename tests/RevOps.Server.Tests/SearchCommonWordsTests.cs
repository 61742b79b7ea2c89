namespace RevOps.Server.Tests;

/// <summary>
/// search_crm on words that thousands of documents hold, where the search narrows the full-text
/// match to the caller's tenant before ranking (rare words are matched in every tenant and the
/// tenant filter drops the others): the same answers, and still nothing of another tenant.
/// </summary>
public sealed class SearchCommonWordsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const int Crowd = 2_100;

    [Fact]
    public async Task SearchCrm_WordHeldByThousands_RanksNameMatchesFirstAndStaysInTheTenant()
    {
        var crowded = await server.CreateTenantAsync("Common words, crowded");
        var quiet = await server.CreateTenantAsync("Common words, quiet");
        var records = Enumerable.Range(0, Crowd).Select(i => new { FirstName = $"Member{i:D4}", LastName = "Quorvell", Title = "Analyst" }).ToArray();
        var written = await crowded.CallOkAsync("bulk_write", new { @object = "Contact", operation = "create", records });
        Assert.Equal(Crowd, written.GetProperty("succeeded").GetInt32());
        var named = await crowded.CallOkAsync("create_account", new { Name = "Quorvell Holdings" });
        var titled = await quiet.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lind", Title = "Quorvell liaison" });
        var quietNamed = await quiet.CallOkAsync("create_account", new { Name = "Quorvell Partners" });

        var crowdedPage = await crowded.CallOkAsync("search_crm", new { text = "quorvell", limit = 5 });
        Assert.Equal(Crowd + 1, crowdedPage.GetProperty("totalSize").GetInt32());
        var first = crowdedPage.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(5, first.Length);
        Assert.All(first, r => Assert.Contains("Quorvell", r.Str("Name")));

        var quietPage = await quiet.CallOkAsync("search_crm", new { text = "quorvell" });
        Assert.Equal(2, quietPage.GetProperty("totalSize").GetInt32());
        var quietHits = quietPage.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();
        // The Account holds the word in its Name; the Contact only in its Title.
        Assert.Equal([quietNamed.Str("Id"), titled.Str("Id")], quietHits);
        Assert.DoesNotContain(named.Str("Id"), quietHits);
    }
}
