using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>Custom fields of every type: defined, validated on every write, round-tripped, described, listed in tool schemas, filtered and sorted.</summary>
public sealed class CustomFieldTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static async Task DefineAllTypesAsync(TestTenant tenant)
    {
        object[] definitions =
        [
            new { @object = "Account", api_name = "Tier__c", type = "Text", length = 20, label = "Tier" },
            new { @object = "Account", api_name = "Notes__c", type = "LongTextArea" },
            new { @object = "Account", api_name = "Score__c", type = "Number", precision = 5, scale = 2 },
            new { @object = "Account", api_name = "Budget__c", type = "Currency" },
            new { @object = "Account", api_name = "Discount__c", type = "Percent", precision = 5, scale = 2 },
            new { @object = "Account", api_name = "Active__c", type = "Checkbox" },
            new { @object = "Account", api_name = "Renewal__c", type = "Date" },
            new { @object = "Account", api_name = "Last_Sync__c", type = "DateTime" },
            new { @object = "Account", api_name = "Billing_Email__c", type = "Email" },
            new { @object = "Account", api_name = "Hotline__c", type = "Phone" },
            new { @object = "Account", api_name = "Portal__c", type = "Url" },
            new { @object = "Account", api_name = "Segment__c", type = "Picklist", values = new[] { "SMB", "Mid-Market", "Enterprise" } },
            new { @object = "Account", api_name = "Regions__c", type = "MultiPicklist", values = new[] { "AMER", "EMEA", "APAC" } },
        ];
        foreach (var definition in definitions) await tenant.CallOkAsync("define_custom_field", definition);
    }

    [Fact]
    public async Task EveryType_RoundTripsExactly_ThroughCreateRecordAndTypedTools()
    {
        var tenant = await server.CreateTenantAsync("Custom types");
        await DefineAllTypesAsync(tenant);

        var created = await tenant.CallOkAsync("create_record", new
        {
            @object = "Account",
            fields = new Dictionary<string, object>
            {
                ["Name"] = "Acme",
                ["Tier__c"] = "Gold plus",
                ["Notes__c"] = "line one\nline two",
                ["Score__c"] = 123.456,
                ["Budget__c"] = 1999.999,
                ["Discount__c"] = 12.5,
                ["Active__c"] = true,
                ["Renewal__c"] = "2027-03-31",
                ["last_sync__c"] = "2026-11-25T10:00:00+02:00",
                ["Billing_Email__c"] = "ap@acme.test",
                ["Hotline__c"] = "+1 800 555 0199",
                ["Portal__c"] = "portal.acme.test",
                ["Segment__c"] = "enterprise",
                ["Regions__c"] = "apac;AMER",
            },
        });
        var read = await tenant.CallOkAsync("get_record", new { Id = created.Str("Id") });
        Assert.Equal("Gold plus", read.Str("Tier__c"));
        Assert.Equal("line one\nline two", read.Str("Notes__c"));
        Assert.Equal(123.46, read.GetProperty("Score__c").GetDouble());
        Assert.Equal(2000, read.GetProperty("Budget__c").GetDouble());
        Assert.Equal(12.5, read.GetProperty("Discount__c").GetDouble());
        Assert.True(read.GetProperty("Active__c").GetBoolean());
        Assert.Equal("2027-03-31", read.Str("Renewal__c"));
        Assert.Equal("2026-11-25T08:00:00.000+0000", read.Str("Last_Sync__c")); // stored under the defined spelling, in UTC
        Assert.Equal("ap@acme.test", read.Str("Billing_Email__c"));
        Assert.Equal("+1 800 555 0199", read.Str("Hotline__c"));
        Assert.Equal("portal.acme.test", read.Str("Portal__c"));
        Assert.Equal("Enterprise", read.Str("Segment__c"));
        Assert.Equal("AMER;APAC", read.Str("Regions__c")); // definition order, canonical case

        // The typed create tool takes them as top-level arguments too, and Checkbox defaults to false.
        var viaTool = await tenant.CallOkAsync("create_account", new Dictionary<string, object> { ["Name"] = "Globex", ["Tier__c"] = "Silver", ["Score__c"] = 7 });
        Assert.Equal("Silver", viaTool.Str("Tier__c"));
        Assert.Equal(7, viaTool.GetProperty("Score__c").GetDouble());
        Assert.False(viaTool.GetProperty("Active__c").GetBoolean());

        var cleared = await tenant.CallOkAsync("update_record", new { Id = created.Str("Id"), fields = new Dictionary<string, object?> { ["Tier__c"] = null, ["Score__c"] = 1.5 } });
        Assert.False(cleared.TryGetProperty("Tier__c", out _));
        Assert.Equal(1.5, cleared.GetProperty("Score__c").GetDouble());
    }

    [Theory]
    [InlineData("Tier__c", "\"123456789012345678901\"", "Account.Tier__c holds at most 20 characters; 21 were sent")]
    [InlineData("Score__c", "1234.5", "Account.Score__c holds at most 3 digits before the decimal point (5 in all, 2 after it); 1234.5 was sent")]
    [InlineData("Score__c", "\"lots\"", "Account.Score__c must be a number; got the string \"lots\". Send e.g. 125000.50")]
    [InlineData("Discount__c", "101", "Account.Discount__c is a percentage from 0 to 100; 101 was sent")]
    [InlineData("Active__c", "\"maybe\"", "Account.Active__c must be true or false")]
    [InlineData("Renewal__c", "\"31/03/2027\"", "Account.Renewal__c must be a date as YYYY-MM-DD; got the string \"31/03/2027\". Send e.g. \"2026-12-31\"")]
    [InlineData("Last_Sync__c", "\"yesterday\"", "Account.Last_Sync__c must be an ISO 8601 date and time")]
    [InlineData("Billing_Email__c", "\"nope\"", "Account.Billing_Email__c: 'nope' is not a valid email address. Send it as name@example.com")]
    [InlineData("Hotline__c", "\"call me\"", "Account.Hotline__c: 'call me' is not a phone number")]
    [InlineData("Portal__c", "\"not a url\"", "Account.Portal__c: 'not a url' is not a web address")]
    [InlineData("Segment__c", "\"Huge\"", "Account.Segment__c: 'Huge' is not an allowed value. Send one of: SMB, Mid-Market, Enterprise")]
    [InlineData("Regions__c", "\"AMER;MARS\"", "Account.Regions__c: 'MARS' is not an allowed value. Send values from: AMER, EMEA, APAC, separated by ';'")]
    public async Task InvalidValues_AreRefusedLikeStandardFields_AndNothingIsWritten(string field, string json, string message)
    {
        var tenant = await server.CreateTenantAsync("Custom invalid " + field);
        await DefineAllTypesAsync(tenant);
        var fields = new Dictionary<string, object> { ["Name"] = "Rejected", [field] = JsonDocument.Parse(json).RootElement.Clone() };

        var error = Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Account", fields }));
        Assert.Contains(message, error);
        var page = await tenant.CallOkAsync("find_records", new { @object = "Account" });
        Assert.Equal(0, page.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task UndefinedCustomField_IsAnError_ListingTheDefinedOnes()
    {
        var tenant = await server.CreateTenantAsync("Custom undefined");
        string none = Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "X", custom_fields = new { score__c = 1 } }));
        Assert.StartsWith("INVALID_FIELD: 'score__c' is not a custom field of Contact: Contact has no custom fields yet. Define it first with define_custom_field", none);

        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Lead_Score__c", type = "Number" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Nickname__c", type = "Text" });
        string listed = Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "X", custom_fields = new { Lead_Scor__c = 1 } }));
        Assert.Equal("INVALID_FIELD: 'Lead_Scor__c' is not a custom field of Contact. Did you mean 'Lead_Score__c'? Defined custom fields: Lead_Score__c (Number), Nickname__c (Text). To add one, call define_custom_field.", listed);
        Assert.Equal(0, (await tenant.CallOkAsync("search_contacts")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Describe_AndToolSchemas_ShowTheTenantsOwnFields_Only()
    {
        var acme = await server.CreateTenantAsync("Custom describe A");
        var other = await server.CreateTenantAsync("Custom describe B");
        await acme.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Shoe_Size__c", type = "Number", precision = 3, scale = 1, required = true, label = "Shoe size", description = "EU size" });
        await acme.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver" }, @default = "Silver" });

        var describe = await acme.CallOkAsync("describe_object", new { @object = "Contact" });
        var shoe = describe.GetProperty("fields").EnumerateArray().Single(f => f.Str("name") == "Shoe_Size__c");
        Assert.Equal("double", shoe.Str("type"));
        Assert.Equal("Shoe size", shoe.Str("label"));
        Assert.Equal(3, shoe.GetProperty("precision").GetInt32());
        Assert.Equal(1, shoe.GetProperty("scale").GetInt32());
        Assert.True(shoe.GetProperty("required").GetBoolean());
        Assert.True(shoe.GetProperty("custom").GetBoolean());
        Assert.True(shoe.GetProperty("filterable").GetBoolean());
        Assert.Equal("EU size", shoe.Str("description"));
        var tier = describe.GetProperty("fields").EnumerateArray().Single(f => f.Str("name") == "Tier__c");
        Assert.Equal(["Gold", "Silver"], tier.GetProperty("picklistValues").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("Silver", tier.Str("defaultValue"));
        var otherDescribe = await other.CallOkAsync("describe_object", new { @object = "Contact" });
        Assert.DoesNotContain(otherDescribe.GetProperty("fields").EnumerateArray(), f => f.Str("name").EndsWith("__c"));

        await using (var client = await acme.ConnectMcpAsync())
        {
            var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            var properties = tools.Single(t => t.Name == "create_contact").ProtocolTool.InputSchema.GetProperty("properties");
            Assert.Equal("number", properties.GetProperty("Shoe_Size__c").Str("type"));
            Assert.Equal(["Gold", "Silver"], properties.GetProperty("Tier__c").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
            Assert.True(tools.Single(t => t.Name == "update_contact").ProtocolTool.InputSchema.GetProperty("properties").TryGetProperty("Tier__c", out _));
        }
        await using (var client = await other.ConnectMcpAsync())
        {
            var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.False(tools.Single(t => t.Name == "create_contact").ProtocolTool.InputSchema.GetProperty("properties").TryGetProperty("Tier__c", out _));
        }

        // Required custom fields are enforced on create; defaults fill in.
        string missing = Mcp.ErrorText(await acme.CallAsync("create_contact", new { LastName = "Barefoot" }));
        Assert.Equal("REQUIRED_FIELD_MISSING: Contact.Shoe_Size__c is required. Send a value for 'Shoe_Size__c'.", missing);
        var shod = await acme.CallOkAsync("create_contact", new Dictionary<string, object> { ["LastName"] = "Shod", ["Shoe_Size__c"] = 42.5 });
        Assert.Equal(42.5, shod.GetProperty("Shoe_Size__c").GetDouble());
        Assert.Equal("Silver", shod.Str("Tier__c"));
        // Another tenant cannot write a field only Acme defined.
        Assert.Contains("is not a custom field of Contact", Mcp.ErrorText(await other.CallAsync("create_contact", new Dictionary<string, object> { ["LastName"] = "X", ["Tier__c"] = "Gold" })));
    }

    [Fact]
    public async Task FindRecords_FiltersAndSortsOnCustomFields_ThroughAnIndex()
    {
        var tenant = await server.CreateTenantAsync("Custom filter");
        await DefineAllTypesAsync(tenant);
        (string Name, double Score, string Segment, string Regions, string Renewal)[] rows =
        [
            ("Alpha", 150, "Enterprise", "AMER;EMEA", "2027-01-15"),
            ("Bravo", 90, "Enterprise", "APAC", "2027-06-30"),
            ("Charlie", 300, "SMB", "EMEA", "2026-12-01"),
            ("Delta", 120, "Enterprise", "EMEA;APAC", "2027-03-01"),
        ];
        foreach (var row in rows)
            await tenant.CallOkAsync("create_record", new
            {
                @object = "Account",
                fields = new Dictionary<string, object> { ["Name"] = row.Name, ["Score__c"] = row.Score, ["Segment__c"] = row.Segment, ["Regions__c"] = row.Regions, ["Renewal__c"] = row.Renewal },
            });

        var enterpriseOver100 = await tenant.CallOkAsync("find_records", new
        {
            @object = "Account",
            where = new Dictionary<string, object> { ["Segment__c"] = "Enterprise", ["Score__c"] = new { gte = 100 } },
            order_by = "Score__c",
            descending = true,
            fields = new[] { "Name", "Score__c" },
        });
        Assert.Equal(2, enterpriseOver100.GetProperty("totalSize").GetInt32());
        Assert.Equal(["Alpha", "Delta"], enterpriseOver100.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
        var first = enterpriseOver100.GetProperty("records")[0];
        Assert.Equal(["Id", "Name", "Score__c"], first.EnumerateObject().Select(p => p.Name).Order());

        var emea = await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Regions__c = "EMEA" }, order_by = "Renewal__c" });
        Assert.Equal(["Charlie", "Alpha", "Delta"], emea.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));

        var renewingSoon = await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Renewal__c = new { lt = "2027-03-01" } }, order_by = "Name" });
        Assert.Equal(["Alpha", "Charlie"], renewingSoon.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));

        if (server.Database is { } database)
        {
            AssertPostgresIndexServesScoreFilter(database);
            return;
        }
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_account_cf_score__c'";
        Assert.Equal("CREATE INDEX ix_account_cf_score__c ON account (tenant_id, json_extract(custom_fields, '$.Score__c'))", command.ExecuteScalar() as string);
        command.CommandText = "EXPLAIN QUERY PLAN SELECT Id FROM account WHERE tenant_id = 'x' AND IsDeleted = 0 AND json_extract(custom_fields, '$.Score__c') >= 100";
        using var plan = command.ExecuteReader();
        var steps = new List<string>();
        while (plan.Read()) steps.Add(plan.GetString(3));
        Assert.Contains(steps, s => s.Contains("ix_account_cf_score__c", StringComparison.Ordinal));
    }

    /// <summary>PostgreSQL's index over the field's typed expression, and the planner matching a filter on the field to it.</summary>
    static void AssertPostgresIndexServesScoreFilter(string database)
    {
        using var connection = new Npgsql.NpgsqlConnection(database);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_account_cf_score__c_real'";
        Assert.Equal("CREATE INDEX ix_account_cf_score__c_real ON public.account USING btree (tenant_id, revops_json_float((custom_fields -> 'Score__c'::text)))", command.ExecuteScalar() as string);
        // A handful of rows would be scanned whatever the indexes; with scans off, a matching index is what the planner must use.
        command.CommandText = "SET enable_seqscan = off; EXPLAIN SELECT Id FROM account WHERE tenant_id = '6a1d9a5e-4ac0-4f7a-9d0e-1c2b3c4d5e6f' AND NOT IsDeleted AND revops_json_float(custom_fields->'Score__c') >= 100";
        using var plan = command.ExecuteReader();
        var steps = new List<string>();
        while (plan.Read()) steps.Add(plan.GetString(0));
        Assert.Contains(steps, s => s.Contains("ix_account_cf_score__c_real", StringComparison.Ordinal));
    }

    /// <summary>On PostgreSQL each definition builds an index CONCURRENTLY; two such builds on one table at once would deadlock.</summary>
    [Fact]
    public async Task DefineCustomField_ManyAtOnceOnOneObject_AllDefinedAndFilterable()
    {
        var acme = await server.CreateTenantAsync("Custom burst A");
        var globex = await server.CreateTenantAsync("Custom burst B");
        var defines = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            acme.CallOkAsync("define_custom_field", new { @object = "Opportunity", api_name = $"Burst{i}__c", type = "Number" }),
            globex.CallOkAsync("define_custom_field", new { @object = "Opportunity", api_name = $"Burst{i}__c", type = "Text" }),
        });
        await Task.WhenAll(defines);

        await acme.CallOkAsync("create_opportunity", new { Name = "Burst deal", StageName = "Prospecting", CloseDate = "2027-01-01", Burst5__c = 42 });
        var found = await acme.CallOkAsync("find_records", new { @object = "Opportunity", where = new { Burst5__c = new { gte = 40 } } });
        Assert.Equal(["Burst deal"], found.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
        Assert.Equal(0, (await globex.CallOkAsync("find_records", new { @object = "Opportunity", where = new { Burst5__c = "42" } })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Redefinition_WidensSafely_AndRefusesIncompatibleChanges()
    {
        var tenant = await server.CreateTenantAsync("Custom redefine");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Lead", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver" } });
        await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new Dictionary<string, object> { ["LastName"] = "Ng", ["Company"] = "Initech", ["Tier__c"] = "Gold" } });

        string typeChange = Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Lead", api_name = "Tier__c", type = "Number" }));
        Assert.Equal("INVALID_ARGUMENT: Lead.Tier__c cannot be redefined: it is a Picklist field and stored values cannot become Number. Define a new field (another api_name) and copy the values over instead.", typeChange);
        string dropped = Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Lead", api_name = "Tier__c", type = "Picklist", values = new[] { "Silver", "Bronze" } }));
        Assert.Contains("values 'Gold' would be removed while records may hold them", dropped);

        var widened = await tenant.CallOkAsync("define_custom_field", new { @object = "Lead", api_name = "tier__c", type = "Picklist", values = new[] { "Gold", "Silver", "Bronze" }, label = "Customer tier" });
        Assert.Equal("Tier__c", widened.GetProperty("field").Str("name"));
        Assert.Equal(["Gold", "Silver", "Bronze"], widened.GetProperty("field").GetProperty("picklistValues").EnumerateArray().Select(v => v.GetString()));
        var bronze = await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new Dictionary<string, object> { ["LastName"] = "Lo", ["Company"] = "Hooli", ["Tier__c"] = "bronze" } });
        Assert.Equal("Bronze", bronze.Str("Tier__c"));

        Assert.Equal("INVALID_ARGUMENT: api_name 'Tier' is not a valid custom field name. Use up to 40 letters, digits and single underscores, starting with a letter and ending in __c, e.g. Lead_Score__c.",
            Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Lead", api_name = "Tier", type = "Text" })));
        Assert.Equal("INVALID_ARGUMENT: type 'Integer' is not a custom field type. Send one of: Text, LongTextArea, Number, Currency, Percent, Checkbox, Date, DateTime, Email, Phone, Url, Picklist, MultiPicklist, Lookup, MasterDetail.",
            Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Lead", api_name = "Size__c", type = "Integer" })));
        Assert.Contains("needs its values", Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Lead", api_name = "Size__c", type = "Picklist" })));
        Assert.Contains("'Widget' is not an object", Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Widget", api_name = "Size__c", type = "Text" })));
    }

    [Fact]
    public async Task DefiningFields_NeedsAnAdminKey_AndTheCliDefinesAndLists()
    {
        var tenant = await server.CreateTenantAsync("Custom cli");
        var writer = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--scope", "write", "--data", server.DataDirectory);
        using var key = JsonDocument.Parse(writer.StdOut);
        await using (var client = await tenant.ConnectMcpAsync(key.RootElement.GetProperty("api_key").GetString()))
        {
            var refused = await client.CallToolAsync("define_custom_field", new Dictionary<string, object?> { ["object"] = "Contact", ["api_name"] = "X__c", ["type"] = "Text" },
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("INSUFFICIENT_ACCESS: Defining fields changes the org's schema and needs an API key with the admin scope.", Mcp.ErrorText(refused));
        }

        var defined = await Cli.RunAsync("field", "define", "--tenant", tenant.TenantId, "--object", "Opportunity", "--name", "Competitor__c", "--type", "Picklist",
            "--values", "Initech,Hooli", "--default", "Hooli", "--data", server.DataDirectory);
        Assert.Equal(0, defined.ExitCode);
        Assert.Contains("Defined Opportunity.Competitor__c (Picklist: Initech, Hooli).", defined.StdOut);
        var bad = await Cli.RunAsync("field", "define", "--tenant", tenant.TenantId, "--object", "Opportunity", "--name", "Competitor__c", "--type", "Date", "--data", server.DataDirectory);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("cannot be redefined", bad.StdErr);
        var listed = await Cli.RunAsync("field", "list", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.Contains("Competitor__c", listed.StdOut);
        Assert.Contains("Picklist: Initech, Hooli", listed.StdOut);

        // The running server has this tenant's schema cached from the calls above; a write naming the new
        // field reads the schema again instead of refusing it, so the first try succeeds.
        var deal = await tenant.CallOkAsync("create_opportunity", new Dictionary<string, object> { ["Name"] = "Deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2027-01-31", ["Competitor__c"] = "initech" });
        Assert.Equal("Initech", deal.Str("Competitor__c"));
    }
}
