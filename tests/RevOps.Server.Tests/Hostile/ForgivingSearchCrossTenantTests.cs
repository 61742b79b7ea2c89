namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// The forgiving search's trigram lookup reads one index shared by every tenant (SQLite's FTS5 table,
/// PostgreSQL's GIN index): tenant B's typo of tenant A's names, emails and companies must find,
/// suggest and reveal nothing of A, while B's own near match is found as usual.
/// </summary>
public sealed class ForgivingSearchCrossTenantTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task SearchCrm_TyposOfAnotherTenantsRecords_FindAndSuggestNothingOfIt()
    {
        var victim = await server.CreateTenantAsync("Forgiving victim A");
        var prober = await server.CreateTenantAsync("Forgiving prober B");
        string account = (await victim.CallOkAsync("create_account", new { Name = "Quintaxor Labs" })).Str("Id");
        string contact = (await victim.CallOkAsync("create_contact",
            new { FirstName = "Zebulon", LastName = "Brumbleton", Email = "zebulon@quintaxor.test", AccountId = account })).Str("Id");
        string lead = (await victim.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Vexmorrow", Company = "Plorbitex Systems" } })).Str("Id");
        string[] secrets = [account, contact, lead, "Quintaxor", "quintaxor", "Zebulon", "Brumbleton", "Vexmorrow", "Plorbitex"];

        foreach (var text in new[] { "Quintaxr", "Quintaxor Corporation", "Zebulon Brumbletn", "zebulon@quintaxr.test", "zebulom@quintaxor.test", "Vexmorow", "Plorbitx Systems" })
        {
            var page = await prober.CallOkAsync("search_crm", new { text });
            Assert.Equal(0, page.GetProperty("totalSize").GetInt32());
            Assert.False(page.GetProperty("hint").TryGetProperty("didYouMean", out _), $"'{text}' suggested: {page}");
            string body = page.GetRawText();
            // The hint quotes the typed words back, so only what B did not type can leak.
            Assert.All(secrets.Where(s => !text.Contains(s, StringComparison.OrdinalIgnoreCase)), s => Assert.DoesNotContain(s, body));

            var accounts = await prober.CallOkAsync("search_accounts", new { name = text });
            Assert.Equal(0, accounts.GetProperty("totalSize").GetInt32());
            Assert.All(secrets.Where(s => !text.Contains(s, StringComparison.OrdinalIgnoreCase)), s => Assert.DoesNotContain(s, accounts.GetRawText()));
        }

        // B's own near match is found, and only it.
        string own = (await prober.CallOkAsync("create_account", new { Name = "Quintaxer" })).Str("Id");
        var found = await prober.CallOkAsync("search_crm", new { text = "Quintaxr" });
        Assert.Equal([own], found.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray());
        // And A still finds its own by the same typo.
        Assert.Equal(account, (await victim.CallOkAsync("search_crm", new { text = "Quintaxr" })).GetProperty("records")[0].Str("Id"));
    }
}
