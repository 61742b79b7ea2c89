using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// search_crm when not every word matches as typed (issue 19): extra words, typos in names, emails
/// and companies, and a hint when nothing is close, so an agent finds the record instead of
/// creating a duplicate. Runs on SQLite (FTS5 trigram index) and PostgreSQL (pg_trgm).
/// </summary>
public sealed class ForgivingSearchTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    sealed record Office(TestTenant Tenant, string Initech, string Peter, string Globex, string Acme);

    /// <summary>Initech and its Peter Gibbons, plus companies that share only "Corporation" with the searches.</summary>
    async Task<Office> OfficeAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        string initech = (await tenant.CallOkAsync("create_account", new { Name = "Initech" })).Str("Id");
        string peter = (await tenant.CallOkAsync("create_contact", new { FirstName = "Peter", LastName = "Gibbons", Email = "peter@initech.com", AccountId = initech })).Str("Id");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex Corporation" })).Str("Id");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme Corporation" })).Str("Id");
        await tenant.CallOkAsync("create_contact", new { FirstName = "Milton", LastName = "Waddams", Email = "milton@globex.test", AccountId = globex });
        return new Office(tenant, initech, peter, globex, acme);
    }

    static JsonElement[] Records(JsonElement page) => page.GetProperty("records").EnumerateArray().ToArray();

    static Task<JsonElement> Search(TestTenant tenant, string text, int? limit = null) =>
        tenant.CallOkAsync("search_crm", limit is { } l ? new { text, limit = l } : new { text, limit = 25 });

    [Fact]
    public async Task ExtraWord_InitechCorporation_FindsInitechFirst_NotEveryCorporation()
    {
        var office = await OfficeAsync("Forgiving: extra word");

        var page = await Search(office.Tenant, "Initech Corporation");
        var records = Records(page);
        Assert.Equal(office.Initech, records[0].Str("Id"));
        Assert.Equal("Name", records[0].Str("matchedField"));
        Assert.Equal("partial", records[0].Str("match"));
        // Peter holds Initech in his company and email, not his name: after the Account.
        Assert.Equal([office.Initech, office.Peter], records.Select(r => r.Str("Id")).ToArray());
        Assert.Equal("partial", records[1].Str("match"));
        Assert.Equal(2, page.GetProperty("totalSize").GetInt32());
        Assert.False(page.TryGetProperty("hint", out _));

        // "Corporation" alone still finds the companies named so (and Globex's contact), as typed.
        var corporations = Records(await Search(office.Tenant, "Corporation"));
        Assert.Equal(new[] { office.Globex, office.Acme }.Order().ToArray(), corporations.Take(2).Select(r => r.Str("Id")).Order().ToArray());
        Assert.Equal(["Name", "Name", "Account.Name"], corporations.Select(r => r.Str("matchedField")).ToArray());
        Assert.All(corporations, r => Assert.False(r.TryGetProperty("match", out _)));
    }

    [Fact]
    public async Task Typos_InNameAndCompany_FindTheRecord_RankedBelowExactMatches()
    {
        var office = await OfficeAsync("Forgiving: typos");

        var peter = Records(await Search(office.Tenant, "Peter Gibons"));
        Assert.Equal(office.Peter, peter[0].Str("Id"));
        Assert.Equal("Peter Gibbons", peter[0].Str("Name"));
        Assert.Equal("Name", peter[0].Str("matchedField"));
        Assert.Equal("fuzzy", peter[0].Str("match"));

        var initek = Records(await Search(office.Tenant, "Initek"));
        Assert.Equal(office.Initech, initek[0].Str("Id"));
        Assert.Equal("fuzzy", initek[0].Str("match"));
        Assert.Equal(office.Peter, initek[1].Str("Id"));
        Assert.Equal("Email", initek[1].Str("matchedField"));

        // Swapped letters are one typo.
        Assert.Equal(office.Initech, Records(await Search(office.Tenant, "Intiech"))[0].Str("Id"));

        // A record matching as typed comes first and says nothing; a typo match follows and says so.
        string gibbon = (await office.Tenant.CallOkAsync("create_contact", new { FirstName = "Ann", LastName = "Gibbon" })).Str("Id");
        var gibbons = Records(await Search(office.Tenant, "Gibbons"));
        Assert.Equal([office.Peter, gibbon], gibbons.Select(r => r.Str("Id")).ToArray());
        Assert.False(gibbons[0].TryGetProperty("match", out _));
        Assert.Equal("fuzzy", gibbons[1].Str("match"));

        // The fuzzy pass runs only when the exact pass fills less than the page.
        var one = await Search(office.Tenant, "Gibbons", limit: 1);
        Assert.Equal(office.Peter, Assert.Single(Records(one)).Str("Id"));
        Assert.Equal(1, one.GetProperty("totalSize").GetInt32());

        // Short words are never fuzzy: "Petr" is not Peter.
        Assert.Equal(0, (await Search(office.Tenant, "Petr")).GetProperty("totalSize").GetInt32());
    }

    [Theory]
    [InlineData("peter@initech.con")]
    [InlineData("petr@initech.com")]
    [InlineData("PETER@INITEHC.COM")]
    public async Task EmailTypo_FindsThePerson(string email)
    {
        var office = await OfficeAsync("Forgiving: email " + email);
        var hit = Records(await Search(office.Tenant, email))[0];
        Assert.Equal(office.Peter, hit.Str("Id"));
        Assert.Equal("Email", hit.Str("matchedField"));
        Assert.Equal("fuzzy", hit.Str("match"));
        Assert.Equal("peter@initech.com", hit.Str("Email"));
    }

    [Fact]
    public async Task NothingClose_AnswersWithHint_DidYouMeanAndTryNext()
    {
        var office = await OfficeAsync("Forgiving: hint");

        var page = await Search(office.Tenant, "Innitekk");
        Assert.Equal(0, page.GetProperty("totalSize").GetInt32());
        Assert.Empty(Records(page));
        var hint = page.GetProperty("hint");
        Assert.Equal(["Innitekk"], hint.GetProperty("unmatched").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("Initech", hint.GetProperty("didYouMean")[0].GetString());
        Assert.Equal("search_crm text='Initech'", hint.Str("tryNext"));
        // The hint's search finds it.
        Assert.Equal(office.Initech, Records(await Search(office.Tenant, "Initech"))[0].Str("Id"));

        // Nothing alike at all: the hint says which words, and suggests nothing.
        var none = (await Search(office.Tenant, "Zzyzx Corporation")).GetProperty("hint");
        Assert.Equal(["Zzyzx"], none.GetProperty("unmatched").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.False(none.TryGetProperty("didYouMean", out _));
        Assert.False(none.TryGetProperty("tryNext", out _));
    }

    [Fact]
    public async Task DeletedRecord_NotFoundFuzzily_RestoredOneIs_MergedAwayOneNever()
    {
        var office = await OfficeAsync("Forgiving: lifecycle");
        var tenant = office.Tenant;

        await tenant.CallOkAsync("delete_record", new { Id = office.Peter });
        var gone = await Search(tenant, "Peter Gibons");
        Assert.Equal(0, gone.GetProperty("totalSize").GetInt32());
        Assert.False(gone.GetProperty("hint").TryGetProperty("didYouMean", out var names) && names.EnumerateArray().Any(n => n.GetString() == "Peter Gibbons"));

        await tenant.CallOkAsync("restore_record", new { Id = office.Peter });
        Assert.Equal(office.Peter, Records(await Search(tenant, "Peter Gibons"))[0].Str("Id"));

        // A rename reaches the trigrams as well.
        await tenant.CallOkAsync("update_contact", new { Id = office.Peter, LastName = "Bolton" });
        Assert.Equal(0, (await Search(tenant, "Gibons")).GetProperty("totalSize").GetInt32());
        var renamed = Records(await Search(tenant, "Peter Boltan"))[0];
        Assert.Equal((office.Peter, "fuzzy"), (renamed.Str("Id"), renamed.Str("match")));

        string master = (await tenant.CallOkAsync("create_account", new { Name = "Chotchkie's Restaurant" })).Str("Id");
        string duplicate = (await tenant.CallOkAsync("create_account", new { Name = "Chotchkies" })).Str("Id");
        Assert.Equal(new[] { master, duplicate }.Order().ToArray(), Records(await Search(tenant, "Chotchkys")).Select(r => r.Str("Id")).Order().ToArray());
        await tenant.CallOkAsync("merge_records", new { @object = "Account", master_id = master, duplicate_ids = new[] { duplicate } });
        Assert.Equal([master], Records(await Search(tenant, "Chotchkys")).Select(r => r.Str("Id")).ToArray());
    }

    [Fact]
    public async Task OtherTenantsNearMatch_NeverFoundNorSuggested()
    {
        var office = await OfficeAsync("Forgiving: owner");
        var other = await server.CreateTenantAsync("Forgiving: neighbour");
        string own = (await other.CallOkAsync("create_account", new { Name = "Initrode" })).Str("Id");

        var typo = await Search(other, "Peter Gibons");
        Assert.Equal(0, typo.GetProperty("totalSize").GetInt32());
        Assert.DoesNotContain("Gibbons", typo.GetRawText());
        var initek = await Search(other, "Initek");
        Assert.DoesNotContain(office.Initech, initek.GetRawText());
        Assert.DoesNotContain("\"Initech\"", initek.GetRawText());
        Assert.All(Records(initek), r => Assert.Equal(own, r.Str("Id")));
    }

    [Fact]
    public async Task HostileText_ClearAnswers_NothingBreaks()
    {
        var office = await OfficeAsync("Forgiving: hostile");
        var tenant = office.Tenant;

        foreach (var text in new[]
                 {
                     new string('q', 256), string.Join(' ', Enumerable.Repeat("initexh", 16)), "'; DROP TABLE search_doc; --", "\" OR \"a", "%_\\*",
                     "NEAR(gib ons)", "ñandú 😀 Ĝibbönś", "\u0000\u0001", "Ιnitech", "ｉｎｉｔｅｃｈ",
                 })
        {
            var result = await tenant.CallAsync("search_crm", new { text });
            Assert.True(result.IsError != true, $"'{text}' failed: {Mcp.Text(result)}");
            var page = Mcp.Structured(result);
            Assert.Equal(page.GetProperty("count").GetInt32(), Records(page).Length);
            if (Records(page).Length == 0) Assert.True(page.TryGetProperty("hint", out _), $"'{text}' has no hint: {page}");
        }

        // Only punctuation: nothing to search, and the hint says so.
        var punctuation = await Search(tenant, "?!*()");
        Assert.Equal(0, punctuation.GetProperty("totalSize").GetInt32());
        Assert.Equal(["?!*()"], punctuation.GetProperty("hint").GetProperty("unmatched").EnumerateArray().Select(e => e.GetString()!).ToArray());
        // Accents and case are forgiven like any typo.
        Assert.Equal(office.Peter, Records(await Search(tenant, "PETER GIBBÖNS"))[0].Str("Id"));
        // Too long: the error says what to send.
        Assert.StartsWith("INVALID_ARGUMENT: text holds at most 256 characters; 300 were sent.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = new string('q', 300) })));
        Assert.Equal(1, (await Search(tenant, "Peter Gibbons")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SearchAccountsAndContacts_NameFindsNothing_HintNamesTheRecord()
    {
        var office = await OfficeAsync("Forgiving: seed tools");

        var accounts = await office.Tenant.CallOkAsync("search_accounts", new { name = "Initech Corporation" });
        Assert.Equal(0, accounts.GetProperty("totalSize").GetInt32());
        var hint = accounts.GetProperty("hint");
        Assert.Equal("Initech", hint.GetProperty("didYouMean")[0].GetString());
        Assert.Equal("search_accounts name='Initech'", hint.Str("tryNext"));
        Assert.Equal(office.Initech, Records(await office.Tenant.CallOkAsync("search_accounts", new { name = "Initech" }))[0].Str("Id"));

        var contacts = await office.Tenant.CallOkAsync("search_contacts", new { name = "Peter Gibons" });
        Assert.Equal(0, contacts.GetProperty("totalSize").GetInt32());
        Assert.Equal("Peter Gibbons", contacts.GetProperty("hint").GetProperty("didYouMean")[0].GetString());
        Assert.Equal("search_contacts name='Peter Gibbons'", contacts.GetProperty("hint").Str("tryNext"));

        // A name that finds records answers as before, without a hint.
        var found = await office.Tenant.CallOkAsync("search_contacts", new { name = "Pet" });
        Assert.Equal(office.Peter, Assert.Single(Records(found)).Str("Id"));
        Assert.False(found.TryGetProperty("hint", out _));
    }

    /// <summary>
    /// Migration 0016 on a database that already holds records indexes them. On PostgreSQL, before it
    /// runs again, the search goes on without the trigram index as it does where pg_trgm is missing:
    /// words that match nothing are forgiven, typos not.
    /// </summary>
    const string FtsColumns = "tenant_token, name, email, phone, mobile_phone, company, title, website, city, digits";
    const string Migration0003Triggers =
        $"CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN INSERT INTO search_fts (rowid, {FtsColumns}) VALUES (NEW.id, NEW.tenant_token, NEW.name, NEW.email, NEW.phone, NEW.mobile_phone, NEW.company, NEW.title, NEW.website, NEW.city, NEW.digits); END; " +
        $"CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN INSERT INTO search_fts (search_fts, rowid, {FtsColumns}) VALUES ('delete', OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits); END; " +
        $"CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN INSERT INTO search_fts (search_fts, rowid, {FtsColumns}) VALUES ('delete', OLD.id, OLD.tenant_token, OLD.name, OLD.email, OLD.phone, OLD.mobile_phone, OLD.company, OLD.title, OLD.website, OLD.city, OLD.digits); " +
        $"INSERT INTO search_fts (rowid, {FtsColumns}) VALUES (NEW.id, NEW.tenant_token, NEW.name, NEW.email, NEW.phone, NEW.mobile_phone, NEW.company, NEW.title, NEW.website, NEW.city, NEW.digits); END; ";

    [Fact]
    public async Task Migration0016_ExistingRecords_Backfilled_AndWithoutTrigramsMissingWordsStillForgiven()
    {
        var office = await OfficeAsync("Forgiving: migration");
        if (server.Database is { } database)
        {
            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var undo = new Npgsql.NpgsqlCommand(
                "DROP INDEX ix_search_doc_trigram; DROP FUNCTION revops_trigram_text; DELETE FROM schema_migrations WHERE version = 16", connection);
            await undo.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

            Assert.Equal(office.Initech, Records(await Search(office.Tenant, "Initech Corporation"))[0].Str("Id"));
            var typo = await Search(office.Tenant, "Initek");
            Assert.Equal(0, typo.GetProperty("totalSize").GetInt32());
            Assert.Equal(["Initek"], typo.GetProperty("hint").GetProperty("unmatched").EnumerateArray().Select(e => e.GetString()!).ToArray());
        }
        else
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Pooling=False");
            connection.Open();
            using var undo = connection.CreateCommand();
            // A file from before 0016 is also from before 0039 and 0045 (its full-text queue, which feeds fuzzy_trigram too):
            // search_doc's triggers go back to 0003's, which index search_fts in each statement.
            undo.CommandText = "DROP TRIGGER search_doc_ai; DROP TRIGGER search_doc_ad; DROP TRIGGER search_doc_au; DROP TABLE fts_queue; DROP TABLE fts_unindex; " + Migration0003Triggers +
                               "DROP TABLE fuzzy_trigram; DELETE FROM schema_migrations WHERE version IN (16, 39, 45)";
            undo.ExecuteNonQuery();
        }
        // Written while there are no trigrams: only the migration's backfill can index it.
        string late = (await office.Tenant.CallOkAsync("create_account", new { Name = "Penetrode" })).Str("Id");

        await server.RestartAsync();

        Assert.Equal(office.Peter, Records(await Search(office.Tenant, "Peter Gibons"))[0].Str("Id"));
        Assert.Equal(office.Initech, Records(await Search(office.Tenant, "Initek"))[0].Str("Id"));
        Assert.Equal(late, Records(await Search(office.Tenant, "Penetrod"))[0].Str("Id"));
        Assert.Equal(late, Records(await Search(office.Tenant, "Penetrxde"))[0].Str("Id"));
    }
}
