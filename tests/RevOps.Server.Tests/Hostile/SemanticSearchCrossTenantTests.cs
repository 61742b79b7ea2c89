namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Vectors are per tenant: a tenant searching by meaning, by keyword or through /api/search never gets another
/// tenant's records, even when the other tenant's records are the best match for the words and the meaning.
/// </summary>
public sealed class SemanticSearchCrossTenantTests(SemanticServerFixture fixture) : IClassFixture<SemanticServerFixture>
{
    [Fact]
    public async Task SearchCrm_EveryMode_NeverReturnsAnotherTenantsRecords()
    {
        var victim = await fixture.Server.CreateTenantAsync("Semantic victim");
        var attacker = await fixture.Server.CreateTenantAsync("Semantic attacker");
        var secret = await SemanticSearchTests.SeedAsync(victim);
        var own = await attacker.CallOkAsync("create_contact", new { FirstName = "Olga", LastName = "Stone", Title = "Gardener" });

        // Wait (by polling, not sleeping) until each tenant's index holds its own records, so a leak would show.
        await SemanticSearchTests.SearchUntilAsync(victim, new { text = "VP-level people at software companies", mode = "semantic" },
            f => f.GetProperty("records").EnumerateArray().Any(r => r.Str("Id") == secret.Vp), SemanticSearchTests.FirstIndex);
        await SemanticSearchTests.SearchUntilAsync(attacker, new { text = "someone who tends plants", mode = "semantic" },
            f => f.GetProperty("records").GetArrayLength() > 0, SemanticSearchTests.FirstIndex);

        string[] victims = [secret.Vp, secret.Clerk, secret.Cfo, secret.Deal];
        using var rest = new ServerRest(fixture.Server.BaseUri, attacker.ApiKey);
        foreach (var mode in new[] { "auto", "keyword", "semantic" })
            foreach (var text in new[] { "VP-level people at software companies", "Maria Lopez", "bank ledger cloud", "Harbor Savings" })
            {
                var found = await attacker.CallOkAsync("search_crm", new { text, mode, limit = 200 });
                var ids = found.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();
                Assert.Empty(ids.Intersect(victims));
                Assert.All(ids, id => Assert.Equal(own.Str("Id"), id));
                var (_, body) = await rest.SendAsync(HttpMethod.Get, $"/api/search?mode={mode}&limit=200&text={Uri.EscapeDataString(text)}");
                Assert.All(body.GetProperty("records").EnumerateArray(), r => Assert.Equal(own.Str("Id"), r.Str("Id")));
            }
    }
}
