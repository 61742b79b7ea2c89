using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>search_crm and pipeline_summary against the real server: exact hits, exact sums, no other tenant's data.</summary>
public sealed class SearchAndPipelineTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task SearchCrm_ByNameEmailPhoneTitleAndAccount_FindsRecordAndMatchedField()
    {
        var tenant = await server.CreateTenantAsync("Search fields");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "Quantico Dynamics", Phone = "+1 (415) 555-0100", Website = "https://quantico.test" })).Str("Id");
        string contactId = (await tenant.CallOkAsync("create_contact", new
        {
            FirstName = "Priya", LastName = "Raman", Email = "priya.raman@quantico.test", Phone = "415.555.0142", MobilePhone = "+44 20 7946 0958",
            Title = "Chief Revenue Officer", AccountId = accountId,
        })).Str("Id");
        string opportunityId = (await tenant.CallOkAsync("create_opportunity", new
        {
            Name = "Quantico Expansion", StageName = "Prospecting", CloseDate = "2031-01-15", Amount = 50000, AccountId = accountId,
        })).Str("Id");

        var byName = await Search(tenant, new { text = "priya" });
        Assert.Equal(1, byName.GetProperty("totalSize").GetInt32());
        Assert.Equal(1, byName.GetProperty("count").GetInt32());
        Assert.False(byName.GetProperty("hasMore").GetBoolean());
        var contact = Assert.Single(byName.GetProperty("records").EnumerateArray());
        AssertJson(
            $$"""{"object":"Contact","Id":"{{contactId}}","Name":"Priya Raman","matchedField":"Name","Email":"priya.raman@quantico.test","Phone":"415.555.0142","MobilePhone":"+44 20 7946 0958","AccountName":"Quantico Dynamics","Title":"Chief Revenue Officer"}""", contact);

        Assert.Equal([(contactId, "Email")], Hits(await Search(tenant, new { text = "Priya.Raman@Quantico.test" })));
        Assert.Equal([(contactId, "Name")], Hits(await Search(tenant, new { text = "pri ram" })));
        Assert.Equal([(contactId, "Title")], Hits(await Search(tenant, new { text = "revenue officer" })));
        Assert.Equal([(contactId, "Phone")], Hits(await Search(tenant, new { text = "(415) 555-0142" })));
        Assert.Equal([(contactId, "Phone")], Hits(await Search(tenant, new { text = "4155550142" })));
        Assert.Equal([(contactId, "Phone")], Hits(await Search(tenant, new { text = "+1 415 555 0142" })));
        Assert.Equal([(contactId, "MobilePhone")], Hits(await Search(tenant, new { text = "+442079460958" })));
        Assert.Equal([(accountId, "Phone")], Hits(await Search(tenant, new { text = "415-555-0100" })));
        Assert.Equal([(accountId, "Phone")], Hits(await Search(tenant, new { text = "5550100" })));

        // Contacts and opportunities are found by their Account's name too, below the Account itself.
        var byCompany = Hits(await Search(tenant, new { text = "quantico dyn" }));
        Assert.Equal(3, byCompany.Length);
        Assert.Equal((accountId, "Name"), byCompany[0]);
        Assert.Equal([(contactId, "Account.Name"), (opportunityId, "Account.Name")], byCompany[1..].OrderBy(h => h.Id == opportunityId).ToArray());

        var everything = await Search(tenant, new { text = "QUANTICO" });
        Assert.Equal(3, everything.GetProperty("totalSize").GetInt32());
        Assert.Equal([accountId, contactId, opportunityId], Hits(everything).Select(h => h.Id).Order().ToArray());
        var opportunity = everything.GetProperty("records").EnumerateArray().Single(r => r.Str("object") == "Opportunity");
        AssertJson(
            $$"""{"object":"Opportunity","Id":"{{opportunityId}}","Name":"Quantico Expansion","matchedField":"Name","AccountName":"Quantico Dynamics","StageName":"Prospecting","Amount":50000}""", opportunity);

        var onlyOpportunities = await Search(tenant, new { text = "quantico", objects = new[] { "Opportunity" } });
        Assert.Equal([(opportunityId, "Name")], Hits(onlyOpportunities));
        var twoObjects = await Search(tenant, new { text = "quantico", objects = new[] { "account", "Contact" } });
        Assert.Equal([accountId, contactId], Hits(twoObjects).Select(h => h.Id).Order().ToArray());

        var limited = await Search(tenant, new { text = "quantico", limit = 1 });
        Assert.Equal(3, limited.GetProperty("totalSize").GetInt32());
        Assert.Equal(1, limited.GetProperty("count").GetInt32());
        Assert.True(limited.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task SearchCrm_NameMatchAndTitleMatch_NameMatchRankedFirst()
    {
        var tenant = await server.CreateTenantAsync("Search ranking");
        string titled = (await tenant.CallOkAsync("create_contact", new { FirstName = "Mona", LastName = "Stone", Title = "Zephyr partnership liaison" })).Str("Id");
        string named = (await tenant.CallOkAsync("create_account", new { Name = "Zephyr" })).Str("Id");
        string partial = (await tenant.CallOkAsync("create_contact", new { FirstName = "Zephyrine", LastName = "Okafor" })).Str("Id");

        var found = await Search(tenant, new { text = "zephyr" });
        Assert.Equal(3, found.GetProperty("totalSize").GetInt32());
        var hits = Hits(found);
        Assert.Equal((named, "Name"), hits[0]);
        Assert.Equal((titled, "Title"), hits[2]);
        Assert.Equal((partial, "Name"), hits[1]);

        string samantha = (await tenant.CallOkAsync("create_contact", new { FirstName = "Samantha", LastName = "Jones" })).Str("Id");
        string sam = (await tenant.CallOkAsync("create_contact", new { FirstName = "Sam", LastName = "Lee", Title = "Head of Sampling" })).Str("Id");
        Assert.Equal([(sam, "Name"), (samantha, "Name")], Hits(await Search(tenant, new { text = "sam" })));
    }

    [Fact]
    public async Task SearchCrm_SameNamesInTwoTenants_ReturnsOnlyCallersRecords()
    {
        var acme = await server.CreateTenantAsync("Search iso A");
        var globex = await server.CreateTenantAsync("Search iso B");
        var ids = new Dictionary<TestTenant, string[]>();
        foreach (var tenant in new[] { acme, globex })
        {
            string account = (await tenant.CallOkAsync("create_account", new { Name = "Initech Global", Phone = "+1 212 555 0199" })).Str("Id");
            string contact = (await tenant.CallOkAsync("create_contact", new { FirstName = "Bill", LastName = "Lumbergh", Email = "bill@initech.test", AccountId = account })).Str("Id");
            ids[tenant] = [account, contact];
        }

        foreach (var tenant in new[] { acme, globex })
            foreach (var text in new[] { "initech", "bill@initech.test", "lumbergh", "2125550199", "global" })
            {
                var found = await Search(tenant, new { text });
                var expected = text is "bill@initech.test" or "lumbergh" ? [ids[tenant][1]] : text is "2125550199" ? [ids[tenant][0]] : ids[tenant].Order().ToArray();
                Assert.Equal(expected.Length, found.GetProperty("totalSize").GetInt32());
                Assert.Equal(expected, Hits(found).Select(h => h.Id).Order().ToArray());
            }
    }

    [Fact]
    public async Task SearchCrm_UpdatedContact_FoundByNewValuesNotOld()
    {
        var tenant = await server.CreateTenantAsync("Search update");
        string id = (await tenant.CallOkAsync("create_contact", new { FirstName = "Walter", LastName = "Oldmanor", Email = "walter@before.test" })).Str("Id");
        Assert.Equal([(id, "Name")], Hits(await Search(tenant, new { text = "oldmanor" })));

        await tenant.CallOkAsync("update_contact", new { Id = id, LastName = "Newhaven", Email = "walter@after.test" });

        Assert.Equal(0, (await Search(tenant, new { text = "oldmanor" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await Search(tenant, new { text = "walter@before.test" })).GetProperty("totalSize").GetInt32());
        var found = await Search(tenant, new { text = "walter newhaven" });
        Assert.Equal([(id, "Name")], Hits(found));
        Assert.Equal("Walter Newhaven", found.GetProperty("records")[0].Str("Name"));
        Assert.Equal([(id, "Email")], Hits(await Search(tenant, new { text = "walter@after.test" })));
    }

    [Fact]
    public async Task SearchCrm_HostileText_AnswersWithoutError()
    {
        var tenant = await server.CreateTenantAsync("Search hostile");
        string obrien = (await tenant.CallOkAsync("create_contact", new { FirstName = "Conan", LastName = "O'Brien", Email = "conan.obrien@late.test" })).Str("Id");
        string foo = (await tenant.CallOkAsync("create_account", new { Name = "Foo Fighters Near Andover" })).Str("Id");

        Assert.Equal([(obrien, "Name")], Hits(await Search(tenant, new { text = "o'brien" })));
        Assert.Equal([(obrien, "Name")], Hits(await Search(tenant, new { text = "O’Brien" })));
        Assert.Equal([(foo, "Name")], Hits(await Search(tenant, new { text = "\"foo" })));
        Assert.Equal([(foo, "Name")], Hits(await Search(tenant, new { text = "NEAR(" })));
        Assert.Equal([(foo, "Name")], Hits(await Search(tenant, new { text = "AND" })));
        Assert.Equal([(foo, "Name")], Hits(await Search(tenant, new { text = "foo* AND near" })));
        Assert.Equal([(obrien, "Email")], Hits(await Search(tenant, new { text = "conan.obrien@late.test" })));

        foreach (var text in new[]
                 {
                     "*", "\"", "\"\"", "(", ")", "NEAR(a b, 2)", "OR", "NOT", "a OR", "- x", "^foo", "name:foo", "{name email}: foo", "tenant_token : x",
                     "digits : 1", "col:\"x\"*", "'; DROP TABLE account; --", "%_\\", "+1 (415) 555-0100", "@", ".", "ünïcødé", "😀 rocket", "\u0000",
                     new string('a', 256), string.Join(' ', Enumerable.Repeat("x", 16)),
                 })
        {
            var result = await tenant.CallAsync("search_crm", new { text });
            Assert.True(result.IsError != true, $"'{text}' failed: {Mcp.Text(result)}");
            var found = Mcp.Structured(result);
            Assert.Equal(found.GetProperty("count").GetInt32(), found.GetProperty("records").GetArrayLength());
        }
        Assert.Equal(0, (await Search(tenant, new { text = "*" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await Search(tenant, new { text = "tenant_token : x" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SearchCrm_BadArguments_ErrorsSayWhatToSend()
    {
        var tenant = await server.CreateTenantAsync("Search errors");
        Assert.Equal("INVALID_ARGUMENT: limit must be between 1 and 200; 0 was sent.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "x", limit = 0 })));
        Assert.Equal("INVALID_ARGUMENT: limit must be between 1 and 200; 201 was sent.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "x", limit = 201 })));
        Assert.Equal("INVALID_TYPE: search_crm: 'limit' must be a whole number; got \"many\".",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "x", limit = "many" })));
        Assert.Equal("INVALID_ARGUMENT: objects: 'Widget' cannot be searched. Send any of: Account, Contact, Lead, Opportunity, or leave objects out to search all of them.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "x", objects = new[] { "Contact", "Widget" } })));
        Assert.Equal("INVALID_ARGUMENT: objects: 'Contacts' cannot be searched. Did you mean 'Contact'? Send any of: Account, Contact, Lead, Opportunity, or leave objects out to search all of them.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "x", objects = new[] { "Contacts" } })));
        Assert.Equal("INVALID_TYPE: search_crm: 'objects' must be an array of strings such as [\"Contact\", \"Lead\"]; got [1].",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "x", objects = new[] { 1 } })));
        string required = "REQUIRED_FIELD_MISSING: text is required. Send the words to look for: a name, email, phone number, company or title, e.g. \"Sarah Acme\".";
        Assert.Equal(required, Mcp.ErrorText(await tenant.CallAsync("search_crm", new { })));
        Assert.Equal(required, Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "   " })));
        Assert.Equal("INVALID_ARGUMENT: text holds at most 256 characters; 257 were sent. Send a few distinctive words instead.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = new string('a', 257) })));
        Assert.Equal("INVALID_ARGUMENT: text has 17 words; at most 16 are searched together. Send fewer, more distinctive words.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = string.Join(' ', Enumerable.Repeat("x", 17)) })));
        Assert.StartsWith("INVALID_ARGUMENT: search_crm has no argument 'query'.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { query = "x" })));
    }

    /// <summary>Writes that bypass the tools (plain SQL, as an import or a future lead tool would make) reach the index through the triggers.</summary>
    [Fact]
    public async Task SearchCrm_RowsWrittenBySql_LeadIndexedSoftDeleteHidesRestoreShowsRenamePropagates()
    {
        var tenant = await server.CreateTenantAsync("Search SQL");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "Vandelay Industries" })).Str("Id");
        string contactId = (await tenant.CallOkAsync("create_contact", new { FirstName = "Art", LastName = "Vandelay", AccountId = accountId })).Str("Id");
        const string leadId = "00Q000000000001AAA";

        Sql("""
            INSERT INTO lead (tenant_id, Id, row_version, CreatedDate, LastModifiedDate, SystemModstamp, FirstName, LastName, Name, Company, Title, Email, Phone, Status)
            VALUES ($tenant, $id, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
                    'Kel', 'Varnsen', 'Kel Varnsen', 'Kramerica', 'Importer', 'kel.varnsen@example.test', '(212) 555-0147', 'Open - Not Contacted')
            """, ("$tenant", tenant.TenantId), ("$id", leadId));
        // A search document written outside the writer reaches the full-text indexes with the writer's next commit
        // (migration 0039); without one in between the search could run before it.
        await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Trigger" });

        var lead = await Search(tenant, new { text = "kramerica" });
        Assert.Equal([(leadId, "Company")], Hits(lead));
        AssertJson(
            """{"object":"Lead","Id":"00Q000000000001AAA","Name":"Kel Varnsen","matchedField":"Company","Email":"kel.varnsen@example.test","Phone":"(212) 555-0147","Company":"Kramerica","Title":"Importer"}""", lead.GetProperty("records")[0]);
        Assert.Equal([(leadId, "Phone")], Hits(await Search(tenant, new { text = "212.555.0147", objects = new[] { "Lead" } })));
        Assert.Equal(0, (await Search(tenant, new { text = "kramerica", objects = new[] { "Contact", "Account" } })).GetProperty("totalSize").GetInt32());

        Sql("UPDATE lead SET IsDeleted = 1 WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", leadId));
        Sql("UPDATE contact SET IsDeleted = 1 WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", contactId));
        Assert.Equal(0, (await Search(tenant, new { text = "kramerica" })).GetProperty("totalSize").GetInt32());
        Assert.Equal([(accountId, "Name")], Hits(await Search(tenant, new { text = "vandelay" })));

        Sql("UPDATE lead SET IsDeleted = 0 WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", leadId));
        Sql("UPDATE contact SET IsDeleted = 0 WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", contactId));
        // The restored rows' documents are queued again, for the writer's next commit (as above).
        await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Restore" });
        Assert.Equal([(leadId, "Company")], Hits(await Search(tenant, new { text = "kramerica" })));
        Assert.Equal([accountId, contactId], Hits(await Search(tenant, new { text = "vandelay" })).Select(h => h.Id).Order().ToArray());

        Sql("UPDATE account SET Name = 'Pendant Publishing' WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", accountId));
        await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Rename" });
        var renamed = await Search(tenant, new { text = "pendant" });
        Assert.Equal([accountId, contactId], Hits(renamed).Select(h => h.Id).Order().ToArray());
        Assert.Equal("Pendant Publishing", renamed.GetProperty("records").EnumerateArray().Single(r => r.Str("Id") == contactId).Str("AccountName"));
        Assert.Equal([(contactId, "Name")], Hits(await Search(tenant, new { text = "vandelay" })));

        Sql("DELETE FROM lead WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", leadId));
        Assert.Equal(0, (await Search(tenant, new { text = "kramerica" })).GetProperty("totalSize").GetInt32());
    }

    /// <summary>Migration 0003 on a file that already holds records indexes the live ones and skips the deleted.</summary>
    [Fact]
    public async Task Migration0003_ExistingRecords_BackfilledIntoIndex()
    {
        if (server.Database is not null) Assert.Skip("SQLite's migration 0003 itself; PostgreSQL's schema starts with the search index (0007_baseline.sql).");
        var tenant = await server.CreateTenantAsync("Search backfill");
        string live = (await tenant.CallOkAsync("create_contact", new { FirstName = "Elaine", LastName = "Benes", Email = "elaine@pendant.test" })).Str("Id");
        string deleted = (await tenant.CallOkAsync("create_contact", new { FirstName = "Elaine", LastName = "Marley" })).Str("Id");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Elaine Holdings" })).Str("Id");

        // Back to schema version 2, as a file from before this migration, then change data unindexed.
        var objects = new List<(string Type, string Name)>();
        using (var connection = Open())
        {
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT type, name FROM sqlite_master WHERE name LIKE 'search%' AND type IN ('trigger', 'view')";
                using var reader = list.ExecuteReader();
                while (reader.Read()) objects.Add((reader.GetString(0), reader.GetString(1)));
            }
            Assert.Equal(22, objects.Count); // 0003's and 0016's, and 0031's three on custom_object_records
            foreach (var (type, name) in objects) Execute(connection, $"DROP {type.ToUpperInvariant()} \"{name}\"");
            // 0017 indexes search_doc (duplicate look-ups) and 0031 feeds it custom-object records, so a file from before 0003 comes before them too.
            Execute(connection, "DROP TABLE search_fts; DROP TABLE search_doc; DROP TABLE duplicate_rules; DELETE FROM schema_migrations WHERE version IN (3, 17, 31)");
        }
        Sql("UPDATE contact SET IsDeleted = 1 WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", deleted));

        await server.RestartAsync();

        var found = await Search(tenant, new { text = "elaine" });
        Assert.Equal(new[] { account, live }.Order().ToArray(), Hits(found).Select(h => h.Id).Order().ToArray());
        Assert.Equal([(live, "Email")], Hits(await Search(tenant, new { text = "elaine@pendant.test" })));
        using (var connection = Open())
            Execute(connection, "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')");
    }

    [Fact]
    public async Task PipelineSummary_CreatedOpportunities_ExactSumsByStageMonthPeriodAndAccount()
    {
        var tenant = await server.CreateTenantAsync("Pipeline");
        var other = await server.CreateTenantAsync("Pipeline other");
        string a = (await tenant.CallOkAsync("create_account", new { Name = "Alpha" })).Str("Id");
        string b = (await tenant.CallOkAsync("create_account", new { Name = "Beta" })).Str("Id");
        await other.CallOkAsync("create_opportunity", new { Name = "Elsewhere", StageName = "Prospecting", CloseDate = "2031-01-15", Amount = 999999 });

        async Task<string> Opportunity(string name, string stage, string close, double? amount, string account, double? probability = null)
        {
            var args = new Dictionary<string, object?> { ["Name"] = name, ["StageName"] = stage, ["CloseDate"] = close, ["AccountId"] = account };
            if (amount is not null) args["Amount"] = amount;
            if (probability is not null) args["Probability"] = probability;
            return (await tenant.CallOkAsync("create_opportunity", args)).Str("Id");
        }

        await Opportunity("P1", "Prospecting", "2031-01-15", 10000, a);               // weighted 1000
        await Opportunity("P2", "Prospecting", "2031-02-10", 5000.5, a);              // weighted 500.05
        await Opportunity("N1", "Negotiation/Review", "2031-01-20", 20000, a);        // weighted 18000
        await Opportunity("V1", "Value Proposition", "2031-02-28", 8000, b, 35);      // weighted 2800
        await Opportunity("Q1", "Qualification", "2031-03-01", null, b);             // no amount
        await Opportunity("W1", "Closed Won", "2030-05-10", 12000, a);
        await Opportunity("W2", "Closed Won", "2030-06-30", 3000, b);                 // last day of the period
        await Opportunity("W3", "Closed Won", "2030-07-01", 7000, a);                 // after the period
        await Opportunity("L1", "Closed Lost", "2030-04-01", 4000, a);                // first day of the period
        string moved = await Opportunity("X1", "Needs Analysis", "2030-05-05", 6000, b);
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = moved, StageName = "Closed Lost" });
        string gone = await Opportunity("D1", "Prospecting", "2031-01-31", 100000, a);
        Sql("UPDATE opportunity SET IsDeleted = 1 WHERE tenant_id = $tenant AND Id = $id", ("$tenant", tenant.TenantId), ("$id", gone));

        var all = await tenant.CallOkAsync("pipeline_summary", new { from = "2030-04-01", to = "2030-06-30" });
        AssertJson(
            """
            {"period":{"from":"2030-04-01","to":"2030-06-30"},"open":{"count":5,"amount":43000.5,"weightedAmount":22300.05},
            "byStage":[{"stage":"Prospecting","count":2,"amount":15000.5,"weightedAmount":1500.05},{"stage":"Qualification","count":1,"amount":0,"weightedAmount":0},
            {"stage":"Value Proposition","count":1,"amount":8000,"weightedAmount":2800},{"stage":"Negotiation/Review","count":1,"amount":20000,"weightedAmount":18000}],
            "byCloseMonth":[{"month":"2031-01","count":2,"amount":30000,"weightedAmount":19000},{"month":"2031-02","count":2,"amount":13000.5,"weightedAmount":3300.05},
            {"month":"2031-03","count":1,"amount":0,"weightedAmount":0}],
            "won":{"count":2,"amount":15000},"lost":{"count":2,"amount":10000}}
            """.Replace("\n", "").Replace("\r", ""), all);

        var alpha = await tenant.CallOkAsync("pipeline_summary", new { accountId = a[..15], from = "2030-04-01", to = "2030-07-31" });
        AssertJson(
            $$$"""
            {"accountId":"{{{a}}}","period":{"from":"2030-04-01","to":"2030-07-31"},"open":{"count":3,"amount":35000.5,"weightedAmount":19500.05},
            "byStage":[{"stage":"Prospecting","count":2,"amount":15000.5,"weightedAmount":1500.05},{"stage":"Negotiation/Review","count":1,"amount":20000,"weightedAmount":18000}],
            "byCloseMonth":[{"month":"2031-01","count":2,"amount":30000,"weightedAmount":19000},{"month":"2031-02","count":1,"amount":5000.5,"weightedAmount":500.05}],
            "won":{"count":2,"amount":19000},"lost":{"count":1,"amount":4000}}
            """.Replace("\n", "").Replace("\r", ""), alpha);

        // Without from/to the period is the current calendar quarter; nothing closed then.
        var today = DateTime.UtcNow;
        var quarterStart = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var current = await tenant.CallOkAsync("pipeline_summary");
        Assert.Equal(quarterStart.ToString("yyyy-MM-dd"), current.GetProperty("period").Str("from"));
        Assert.Equal(quarterStart.AddMonths(3).AddDays(-1).ToString("yyyy-MM-dd"), current.GetProperty("period").Str("to"));
        AssertJson("""{"count":0,"amount":0}""", current.GetProperty("won"));
        Assert.Equal(5, current.GetProperty("open").GetProperty("count").GetInt32());

        var elsewhere = await other.CallOkAsync("pipeline_summary");
        AssertJson("""{"count":1,"amount":999999,"weightedAmount":99999.9}""", elsewhere.GetProperty("open"));
    }

    [Fact]
    public async Task PipelineSummary_CloseWindowOwnerStagesAndTopDeals_NarrowEveryBucket()
    {
        var tenant = await server.CreateTenantAsync("Pipeline filters");
        var reply = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
            JsonSerializer.Serialize(new { email = "tom@pipeline.test", name = "Tom Smykowski", admin = false }));
        Assert.True(reply.Status == System.Net.HttpStatusCode.Created, reply.Text);
        string tom = reply.Body.Str("Id");
        var other = await server.CreateTenantAsync("Pipeline filters other");
        await other.CallOkAsync("create_opportunity", new { Name = "Theirs", StageName = "Prospecting", CloseDate = "2031-01-10", Amount = 999999 });

        async Task<string> Opportunity(string name, string stage, string close, double? amount, string? owner = null)
        {
            var args = new Dictionary<string, object?> { ["Name"] = name, ["StageName"] = stage, ["CloseDate"] = close };
            if (amount is not null) args["Amount"] = amount;
            if (owner is not null) args["OwnerId"] = owner;
            return (await tenant.CallOkAsync("create_opportunity", args)).Str("Id");
        }
        string a1 = await Opportunity("A1", "Prospecting", "2031-01-15", 10000);              // weighted 1000
        string a2 = await Opportunity("A2", "Negotiation/Review", "2031-02-10", 20000, tom);  // weighted 18000
        await Opportunity("A3", "Prospecting", "2031-05-01", 50000);                          // after the window
        await Opportunity("A4", "Qualification", "2031-03-31", null);                         // no amount: counted, never a top deal
        await Opportunity("W1", "Closed Won", "2031-02-01", 7000);
        await Opportunity("W2", "Closed Won", "2030-12-31", 9000);                            // before the window

        // The window narrows the open buckets and is the won/lost period.
        var window = await tenant.CallOkAsync("pipeline_summary", new { closeFrom = "2031-01-01", closeTo = "2031-03-31", top = 2 });
        AssertJson(
            $$$"""
            {"closeFrom":"2031-01-01","closeTo":"2031-03-31","period":{"from":"2031-01-01","to":"2031-03-31"},"open":{"count":3,"amount":30000,"weightedAmount":19000},
            "byStage":[{"stage":"Prospecting","count":1,"amount":10000,"weightedAmount":1000},{"stage":"Qualification","count":1,"amount":0,"weightedAmount":0},
            {"stage":"Negotiation/Review","count":1,"amount":20000,"weightedAmount":18000}],
            "byCloseMonth":[{"month":"2031-01","count":1,"amount":10000,"weightedAmount":1000},{"month":"2031-02","count":1,"amount":20000,"weightedAmount":18000},
            {"month":"2031-03","count":1,"amount":0,"weightedAmount":0}],
            "won":{"count":1,"amount":7000},"lost":{"count":0,"amount":0},
            "topDeals":[{"Id":"{{{a2}}}","Name":"A2","Amount":20000,"StageName":"Negotiation/Review","CloseDate":"2031-02-10","Owner":{"Id":"{{{tom}}}","Name":"Tom Smykowski"}},
            {"Id":"{{{a1}}}","Name":"A1","Amount":10000,"StageName":"Prospecting","CloseDate":"2031-01-15","Owner":{"Id":"{{{tenant.UserId}}}","Name":"Integration User"}}]}
            """.Replace("\n", "").Replace("\r", ""), window);

        // "me": the caller's deals only.
        var mine = await tenant.CallOkAsync("pipeline_summary", new { closeFrom = "2031-01-01", closeTo = "2031-03-31", ownerId = "me" });
        Assert.Equal(tenant.UserId, mine.Str("ownerId"));
        AssertJson("""{"count":2,"amount":10000,"weightedAmount":1000}""", mine.GetProperty("open"));
        AssertJson("""{"count":1,"amount":7000}""", mine.GetProperty("won"));
        var toms = await tenant.CallOkAsync("pipeline_summary", new { ownerId = tom, top = 5 });
        AssertJson("""{"count":1,"amount":20000,"weightedAmount":18000}""", toms.GetProperty("open"));
        Assert.Equal([a2], toms.GetProperty("topDeals").EnumerateArray().Select(d => d.Str("Id")));

        // Stages as the picklist spells them, in any case; Closed Won not among them, so nothing won.
        var prospecting = await tenant.CallOkAsync("pipeline_summary", new { stages = new[] { "prospecting" }, closeFrom = "2031-01-01", closeTo = "2031-12-31" });
        Assert.Equal(["Prospecting"], prospecting.GetProperty("stages").EnumerateArray().Select(s => s.GetString()));
        AssertJson("""{"count":2,"amount":60000,"weightedAmount":6000}""", prospecting.GetProperty("open"));
        AssertJson("""{"count":0,"amount":0}""", prospecting.GetProperty("won"));
        Assert.False(prospecting.TryGetProperty("topDeals", out _));

        // A SOQL date literal alone is its whole range: this quarter (nothing of the seeded deals closes in it).
        var today = DateTime.UtcNow;
        var quarterStart = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var quarter = await tenant.CallOkAsync("pipeline_summary", new { closeFrom = "THIS_QUARTER" });
        Assert.Equal((quarterStart.ToString("yyyy-MM-dd"), quarterStart.AddMonths(3).AddDays(-1).ToString("yyyy-MM-dd")), (quarter.Str("closeFrom"), quarter.Str("closeTo")));
        Assert.Equal(0, quarter.GetProperty("open").GetProperty("count").GetInt32());
        var nextYears = await tenant.CallOkAsync("pipeline_summary", new { closeFrom = "TODAY", closeTo = "NEXT_N_YEARS:10" });
        Assert.Equal(4, nextYears.GetProperty("open").GetProperty("count").GetInt32());

        Assert.Equal("INVALID_ARGUMENT: closeFrom: 'soon' is neither a date nor a SOQL date literal. Send YYYY-MM-DD, e.g. 2026-10-01, or a literal such as THIS_QUARTER, NEXT_QUARTER or NEXT_N_MONTHS:3.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { closeFrom = "soon" })));
        Assert.Equal("INVALID_ARGUMENT: closeFrom (2031-04-01) is after closeTo (2031-03-31). Send closeFrom on or before closeTo.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { closeFrom = "2031-04-01", closeTo = "2031-03-31" })));
        Assert.StartsWith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: stages: 'Won' is not an opportunity stage. Send some of: Prospecting, ",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { stages = new[] { "Won" } })));
        Assert.Equal("MALFORMED_ID: ownerId: 'tom' is not a User Id. Send \"me\" or a User Id (005…) from find_records with object User.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { ownerId = "tom" })));
        Assert.Equal($"NOT_FOUND: ownerId: no User '{other.UserId}' in this org. Send \"me\" or a User Id from find_records with object User.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { ownerId = other.UserId })));
        Assert.StartsWith("INVALID_ARGUMENT: top must be between 0 and 50",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { top = 51 })));
    }

    [Fact]
    public async Task PipelineSummary_BadArguments_ErrorsSayWhatToSend()
    {
        var tenant = await server.CreateTenantAsync("Pipeline errors");
        var other = await server.CreateTenantAsync("Pipeline errors other");
        string theirAccount = (await other.CallOkAsync("create_account", new { Name = "Theirs" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Person" })).Str("Id");

        Assert.Equal("MALFORMED_ID: accountId: 'abc' is not a valid record Id. Send the 15- or 18-character Id of the Account.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { accountId = "abc" })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: accountId must be an Account Id (001…); '{contact}' is the Id of a Contact.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { accountId = contact })));
        Assert.Equal($"NOT_FOUND: no account '{theirAccount}' in this org. Check the Id, or search for the record first.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { accountId = theirAccount })));
        Assert.Equal("INVALID_ARGUMENT: from: '2030/04/01' is not a date. Send YYYY-MM-DD, e.g. 2026-04-01, or leave it out for the current quarter.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { from = "2030/04/01" })));
        Assert.StartsWith("INVALID_ARGUMENT: from (2030-07-01) is after to (2030-06-30). Send from on or before to;",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { from = "2030-07-01", to = "2030-06-30" })));
        Assert.Equal("INVALID_TYPE: pipeline_summary: 'to' must be a string; got number 2030.",
            Mcp.ErrorText(await tenant.CallAsync("pipeline_summary", new { to = 2030 })));
    }

    [Fact]
    public async Task ListTools_SearchAndPipeline_ReadOnlyWithSchemas()
    {
        var tenant = await server.CreateTenantAsync("Search tools");
        // pipeline_summary is covered by forecast in the default list; ?toolsets=all lists both.
        await using var client = await Mcp.ConnectAsync(new Uri(server.McpUri + "?toolsets=all"), tenant.ApiKey);
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var search = tools.Single(t => t.Name == "search_crm").ProtocolTool;
        var pipeline = tools.Single(t => t.Name == "pipeline_summary").ProtocolTool;
        Assert.True(search.Annotations!.ReadOnlyHint);
        Assert.True(pipeline.Annotations!.ReadOnlyHint);
        AssertJson("""["text"]""", search.InputSchema.GetProperty("required"));
        // Tasks and Events are searched by meaning (mode auto or semantic).
        AssertJson("""{"type":"string","enum":["Account","Contact","Lead","Opportunity","Task","Event"]}""", search.InputSchema.GetProperty("properties").GetProperty("objects").GetProperty("items"));
        Assert.Equal(200, search.InputSchema.GetProperty("properties").GetProperty("limit").GetProperty("maximum").GetInt32());
        AssertJson("""{"type":"string","enum":["auto","keyword","semantic"]}""", search.InputSchema.GetProperty("properties").GetProperty("mode"));
        Assert.Equal(["accountId", "from", "to", "closeFrom", "closeTo", "ownerId", "stages", "top"], pipeline.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray());
        var forecast = tools.Single(t => t.Name == "forecast").ProtocolTool;
        Assert.True(forecast.Annotations!.ReadOnlyHint);
        Assert.Equal(["period", "from", "to", "ownerId"], forecast.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray());
    }

    static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"expected {expected}\n     got {actual.GetRawText()}");

    static Task<JsonElement> Search(TestTenant tenant, object arguments) => tenant.CallOkAsync("search_crm", arguments);

    static (string Id, string Field)[] Hits(JsonElement found) =>
        found.GetProperty("records").EnumerateArray().Select(r => (r.Str("Id"), r.Str("matchedField"))).ToArray();

    SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000");
        return connection;
    }

    /// <summary>
    /// Runs one statement written in SQLite's dialect straight against the server's database. On
    /// PostgreSQL its two differences are spelled that way: @ parameter markers (the tenant a uuid)
    /// and boolean IsDeleted.
    /// </summary>
    void Sql(string sql, params (string Name, object Value)[] parameters)
    {
        if (server.Database is { } database)
        {
            using var pg = new Npgsql.NpgsqlConnection(database);
            pg.Open();
            using var pgCommand = pg.CreateCommand();
            pgCommand.CommandText = sql.Replace("$", "@").Replace("IsDeleted = 1", "IsDeleted = true").Replace("IsDeleted = 0", "IsDeleted = false");
            foreach (var (name, value) in parameters)
                pgCommand.Parameters.AddWithValue(name[1..], name == "$tenant" ? Guid.Parse((string)value) : value);
            Assert.Equal(1, pgCommand.ExecuteNonQuery());
            return;
        }
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
