using System.Net;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Issue 19, duplicates on every path: each rule (email either way between Leads and Contacts, name at the same
/// Account or Company, phone by its national digits, Account name without its legal suffix, website domain) on
/// create_record, bulk_write (report, skip, block, all-or-none, duplicates within the batch), REST collections and
/// composite (Sforce-Duplicate-Rule-Header), and the tenant's own rules set through the admin API and the CLI.
/// </summary>
public sealed class DuplicateRulesTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static string Dupes(JsonElement result) => result.TryGetProperty("possibleDuplicates", out var list)
        ? string.Join(" | ", list.EnumerateArray().Select(d => $"{d.Str("rule")} {d.Str("object")} {d.Str("Id")} {d.Str("Name")} = {d.Str("value")}"))
        : "";

    Task<JsonElement> CreateAsync(TestTenant tenant, string obj, object fields, string? onDuplicate = null) =>
        tenant.CallOkAsync("create_record", onDuplicate is null ? new { @object = obj, fields } : new { @object = obj, fields, on_duplicate = onDuplicate });

    async Task<JsonElement> CountAsync(TestTenant tenant, string obj, object where) =>
        (await tenant.CallOkAsync("find_records", new { @object = obj, where, limit = 1 })).GetProperty("totalSize");

    [Fact]
    public async Task CreateRecord_EachRuleFires_NamingTheRuleTheRecordAndTheValue()
    {
        var tenant = await server.CreateTenantAsync("Dupes rules");
        string globex = (await CreateAsync(tenant, "Account", new { Name = "Globex Corporation", Website = "https://www.globex.com/about" })).Str("Id");
        string hank = (await CreateAsync(tenant, "Contact", new { FirstName = "Hank", LastName = "Scorpio", Email = "hank@globex.com", Phone = "+1 (415) 555-0100", AccountId = globex })).Str("Id");

        var byEmail = await CreateAsync(tenant, "Lead", new { LastName = "Other", Company = "Elsewhere", Email = "Hank@Globex.COM" });
        Assert.Equal($"email Contact {hank} Hank Scorpio = hank@globex.com", Dupes(byEmail));
        Assert.StartsWith("00Q", byEmail.Str("Id"));

        var byName = await CreateAsync(tenant, "Contact", new { FirstName = "hank", LastName = "SCORPIO", Email = "h.scorpio@globex.net", AccountId = globex });
        Assert.Equal($"name_account Contact {hank} Hank Scorpio = Hank Scorpio, Globex Corporation", Dupes(byName));

        var byPhone = await CreateAsync(tenant, "Lead", new { LastName = "Caller", Company = "Phones Ltd", MobilePhone = "415.555.0100" });
        Assert.Equal($"phone Contact {hank} Hank Scorpio = +1 (415) 555-0100", Dupes(byPhone));

        // A Lead with a Contact's name at the Contact's Account's name is the same person too.
        var leadAtAccount = await CreateAsync(tenant, "Lead", new { FirstName = "Hank", LastName = "Scorpio", Company = "globex corporation" });
        Assert.Contains($"name_account Contact {hank} Hank Scorpio = Hank Scorpio, Globex Corporation", Dupes(leadAtAccount));

        var byAccountName = await CreateAsync(tenant, "Account", new { Name = "GLOBEX, Inc." });
        Assert.Equal($"name Account {globex} Globex Corporation = Globex Corporation", Dupes(byAccountName));

        var byWebsite = await CreateAsync(tenant, "Account", new { Name = "Initech", Website = "globex.com" });
        Assert.Equal($"website Account {globex} Globex Corporation = https://www.globex.com/about", Dupes(byWebsite));

        var unique = await CreateAsync(tenant, "Contact", new { LastName = "Nobody", Email = "nobody@else.test", Phone = "555 0199 123" });
        Assert.False(unique.TryGetProperty("possibleDuplicates", out _));

        // block refuses and writes nothing; skip writes nothing and says so; report writes.
        var blocked = Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "Again", Email = "hank@globex.com", on_duplicate = "block" }));
        Assert.StartsWith($"DUPLICATES_DETECTED: Contact not created: it may duplicate Contact {hank} (Hank Scorpio) by email 'hank@globex.com'", blocked);
        var skipped = await tenant.CallOkAsync("create_contact", new { LastName = "Again", Email = "hank@globex.com", on_duplicate = "skip" });
        Assert.True(skipped.GetProperty("skipped").GetBoolean());
        Assert.False(skipped.TryGetProperty("Id", out _));
        Assert.Equal($"email Contact {hank} Hank Scorpio = hank@globex.com | email Lead {byEmail.Str("Id")} Other = Hank@Globex.COM", Dupes(skipped));
        Assert.Equal(0, (await CountAsync(tenant, "Contact", new { LastName = "Again" })).GetInt32());
        var allowed = await tenant.CallOkAsync("create_contact", new { LastName = "Again", Email = "hank@globex.com", on_duplicate = "allow" });
        Assert.StartsWith("003", allowed.Str("Id"));

        var bad = Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "Bad", on_duplicate = "ignore" }));
        Assert.Equal("INVALID_ARGUMENT: on_duplicate must be report, skip or block; got 'ignore'.", bad);
    }

    static object[] Leads(string tag, int count, int dupAt, string dupEmail) =>
        Enumerable.Range(0, count).Select(i => (object)new { LastName = $"Lead {i}", Company = $"Co {tag}", Email = i == dupAt ? dupEmail : $"lead{i}.{tag}@leads.test" }).ToArray();

    [Fact]
    public async Task BulkWrite_30Leads_OneWithAContactsEmail_ReportedSkippedOrBlocked()
    {
        var tenant = await server.CreateTenantAsync("Dupes bulk");
        string contact = (await tenant.CallOkAsync("create_contact", new { FirstName = "Marge", LastName = "Existing", Email = "marge@springfield.test" })).Str("Id");

        var report = await tenant.CallOkAsync("bulk_write", new { @object = "Lead", operation = "create", records = Leads("report", 30, 17, "MARGE@springfield.test"), on_duplicate = "report" });
        Assert.Equal((30, 0), (report.GetProperty("succeeded").GetInt32(), report.GetProperty("failed").GetInt32()));
        var reported = Assert.Single(report.GetProperty("duplicates").EnumerateArray());
        Assert.Equal((17, "written"), (reported.GetProperty("index").GetInt32(), reported.Str("outcome")));
        Assert.Equal($"email Contact {contact} Marge Existing = marge@springfield.test", Dupes(reported));

        var skip = await tenant.CallOkAsync("bulk_write", new { @object = "Lead", operation = "create", records = Leads("skip", 30, 17, "marge@springfield.test"), on_duplicate = "skip" });
        Assert.Equal((29, 1, 0), (skip.GetProperty("succeeded").GetInt32(), skip.GetProperty("skipped").GetInt32(), skip.GetProperty("failed").GetInt32()));
        Assert.Equal(JsonValueKind.Null, skip.GetProperty("ids")[17].ValueKind);
        var skippedOne = Assert.Single(skip.GetProperty("duplicates").EnumerateArray());
        Assert.Equal((17, "skipped"), (skippedOne.GetProperty("index").GetInt32(), skippedOne.Str("outcome")));
        Assert.Contains($"email Contact {contact} Marge Existing = marge@springfield.test", Dupes(skippedOne));
        Assert.Equal(29, (await CountAsync(tenant, "Lead", new { Company = "Co skip" })).GetInt32());

        var block = await tenant.CallOkAsync("bulk_write", new { @object = "Lead", operation = "create", records = Leads("block", 30, 17, "marge@springfield.test"), on_duplicate = "block" });
        Assert.Equal((29, 1), (block.GetProperty("succeeded").GetInt32(), block.GetProperty("failed").GetInt32()));
        var error = Assert.Single(block.GetProperty("errors").EnumerateArray());
        Assert.Equal((17, "DUPLICATES_DETECTED"), (error.GetProperty("index").GetInt32(), error.Str("code")));
        Assert.Contains($"Contact {contact} (Marge Existing) by email 'marge@springfield.test'", error.Str("message"));
        Assert.Equal(29, (await CountAsync(tenant, "Lead", new { Company = "Co block" })).GetInt32());

        var atomic = await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "create", records = Leads("atomic", 30, 17, "marge@springfield.test"), on_duplicate = "block", all_or_none = true });
        Assert.True(atomic.IsError);
        var rolledBack = Mcp.Structured(atomic);
        Assert.Equal((0, 30), (rolledBack.GetProperty("succeeded").GetInt32(), rolledBack.GetProperty("failed").GetInt32()));
        Assert.Equal("DUPLICATES_DETECTED", rolledBack.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("index").GetInt32() == 17).Str("code"));
        Assert.Equal(0, (await CountAsync(tenant, "Lead", new { Company = "Co atomic" })).GetInt32());
    }

    [Fact]
    public async Task BulkWrite_TwoRowsWithOneEmail_TheSecondIsADuplicateOfTheFirst()
    {
        var tenant = await server.CreateTenantAsync("Dupes in batch");
        var records = new object[] { new { LastName = "First", Email = "twin@batch.test" }, new { LastName = "Second", Email = "TWIN@batch.test" }, new { LastName = "Third", Email = "solo@batch.test" } };
        var skip = await tenant.CallOkAsync("bulk_write", new { @object = "Contact", operation = "create", records, on_duplicate = "skip" });
        string first = skip.GetProperty("ids")[0].GetString()!;
        Assert.Equal((2, 1), (skip.GetProperty("succeeded").GetInt32(), skip.GetProperty("skipped").GetInt32()));
        var twin = Assert.Single(skip.GetProperty("duplicates").EnumerateArray());
        Assert.Equal((1, "skipped"), (twin.GetProperty("index").GetInt32(), twin.Str("outcome")));
        Assert.Equal($"email Contact {first} First = twin@batch.test", Dupes(twin));

        // All-or-none: the batch's own earlier row counts the same way.
        var atomic = await tenant.CallOkAsync("bulk_write", new { @object = "Lead", operation = "create", all_or_none = true,
            records = new object[] { new { LastName = "Pair", Company = "Twins", Phone = "415 555 0199" }, new { LastName = "Other", Company = "Twins", Phone = "+1-415-555-0199" } } });
        string pair = atomic.GetProperty("ids")[0].GetString()!;
        var reported = Assert.Single(atomic.GetProperty("duplicates").EnumerateArray());
        Assert.Equal((1, "written"), (reported.GetProperty("index").GetInt32(), reported.Str("outcome")));
        Assert.Equal($"phone Lead {pair} Pair = 415 555 0199", Dupes(reported));
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> RestAsync(TestTenant tenant, HttpMethod method, string path, string json, string? duplicateHeader = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tenant.ApiKey);
        if (duplicateHeader is not null) request.Headers.TryAddWithoutValidation("Sforce-Duplicate-Rule-Header", duplicateHeader);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone());
    }

    static string Collection(bool allOrNone, string tag, string dupEmail) => JsonSerializer.Serialize(new
    {
        allOrNone,
        records = new object[]
        {
            new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["LastName"] = "Fresh", ["Company"] = tag, ["Email"] = $"fresh.{tag}@rest.test" },
            new Dictionary<string, object> { ["attributes"] = new { type = "Lead" }, ["LastName"] = "Copy", ["Company"] = tag, ["Email"] = dupEmail },
        },
    });

    [Fact]
    public async Task Collections_AllowSaveFalse_RefusesTheDuplicate_AndAllOrNoneRollsBackAll()
    {
        var tenant = await server.CreateTenantAsync("Dupes collections");
        string contact = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ned", LastName = "Flanders", Email = "ned@rest.test" })).Str("Id");
        const string path = "services/data/v60.0/composite/sobjects";

        var (status, some) = await RestAsync(tenant, HttpMethod.Post, path, Collection(false, "partial", "ned@rest.test"), "allowSave=false");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(some[0].GetProperty("success").GetBoolean());
        Assert.False(some[1].GetProperty("success").GetBoolean());
        var error = some[1].GetProperty("errors")[0];
        Assert.Equal("DUPLICATES_DETECTED", error.Str("statusCode"));
        var duplicateResult = error.GetProperty("duplicateResult");
        Assert.Equal(("email", "Lead", false), (duplicateResult.Str("duplicateRule"), duplicateResult.Str("duplicateRuleEntityType"), duplicateResult.GetProperty("allowSave").GetBoolean()));
        var match = duplicateResult.GetProperty("matchResults")[0];
        Assert.Equal(("Contact", 1), (match.Str("entityType"), match.GetProperty("size").GetInt32()));
        Assert.Equal(contact, match.GetProperty("matchRecords")[0].GetProperty("record").Str("Id"));
        Assert.Equal(1, (await CountAsync(tenant, "Lead", new { Company = "partial" })).GetInt32());

        var (_, all) = await RestAsync(tenant, HttpMethod.Post, path, Collection(true, "atomic", "ned@rest.test"), "allowSave=false");
        Assert.Equal(["ALL_OR_NONE_OPERATION_ROLLED_BACK", "DUPLICATES_DETECTED"], all.EnumerateArray().Select(r => r.GetProperty("errors")[0].Str("statusCode")));
        Assert.Equal(0, (await CountAsync(tenant, "Lead", new { Company = "atomic" })).GetInt32());

        // Without the header the tenant's rules (all reporting) cost nothing and block nothing; allowSave=true reports.
        var (_, plain) = await RestAsync(tenant, HttpMethod.Post, path, Collection(false, "plain", "ned@rest.test"));
        Assert.All(plain.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        Assert.False(plain[1].TryGetProperty("possibleDuplicates", out _));
        var (_, reported) = await RestAsync(tenant, HttpMethod.Post, path + "?on_duplicate=report", Collection(false, "reported", "ned@rest.test"));
        Assert.True(reported[1].GetProperty("success").GetBoolean());
        Assert.Contains($"email Contact {contact} Ned Flanders = ned@rest.test", Dupes(reported[1]));

        var (badStatus, bad) = await RestAsync(tenant, HttpMethod.Post, path, Collection(false, "bad", "ned@rest.test"), "allowSave=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("Sforce-Duplicate-Rule-Header must say allowSave=true or allowSave=false.", bad[0].Str("message"));
    }

    [Fact]
    public async Task Composite_AllowSaveFalse_RefusesTheDuplicate_WithAndWithoutAllOrNone()
    {
        var tenant = await server.CreateTenantAsync("Dupes composite");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Kwik-E-Mart LLC", Website = "http://kwikemart.test" })).Str("Id");
        string Body(bool allOrNone, string tag) => JsonSerializer.Serialize(new
        {
            allOrNone,
            compositeRequest = new object[]
            {
                new { method = "POST", url = "/services/data/v60.0/sobjects/Account", referenceId = "fresh", body = new { Name = "Fresh " + tag } },
                new { method = "POST", url = "/services/data/v60.0/sobjects/Account", referenceId = "copy", body = new { Name = "kwik-e-mart, inc.", Description = tag } },
            },
        });
        var (_, each) = await RestAsync(tenant, HttpMethod.Post, "services/data/v60.0/composite", Body(false, "each"), "allowSave=false");
        var responses = each.GetProperty("compositeResponse").EnumerateArray().ToArray();
        Assert.Equal([201, 400], responses.Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        var refusal = responses[1].GetProperty("body")[0];
        Assert.Equal("DUPLICATES_DETECTED", refusal.Str("errorCode"));
        Assert.Equal(account, refusal.GetProperty("duplicateResult").GetProperty("matchResults")[0].GetProperty("matchRecords")[0].GetProperty("record").Str("Id"));

        var (_, atomic) = await RestAsync(tenant, HttpMethod.Post, "services/data/v60.0/composite", Body(true, "atomic"), "allowSave=false");
        Assert.Equal(["PROCESSING_HALTED", "DUPLICATES_DETECTED"], atomic.GetProperty("compositeResponse").EnumerateArray().Select(r => r.GetProperty("body")[0].Str("errorCode")));
        Assert.Equal(0, (await CountAsync(tenant, "Account", new { Name = "Fresh atomic" })).GetInt32());
    }

    [Fact]
    public async Task AdminApi_SetsTheTenantsRules_WhichRestAndMcpFollowUnlessTheCallOverrides()
    {
        var tenant = await server.CreateTenantAsync("Dupes admin");
        var rules = await ApiClient.GetAsync(server, "/api/duplicate-rules", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, rules.Status);
        Assert.Equal("email=report[Contact,Lead] name_account=report[Contact,Lead] phone=report[Contact,Lead] name=report[Account] website=report[Account]", Describe(rules.Body));

        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Burns", Email = "monty@plant.test", Phone = "555-0113-000" })).Str("Id");
        var set = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/duplicate-rules", tenant.ApiKey, """{"email": "block", "Phone": "OFF"}""");
        Assert.Equal(HttpStatusCode.OK, set.Status);
        Assert.Equal("email=block[Contact,Lead] name_account=report[Contact,Lead] phone=off[Contact,Lead] name=report[Account] website=report[Account]", Describe(set.Body));

        // REST without a header now checks (a rule blocks) and refuses.
        var (status, refused) = await RestAsync(tenant, HttpMethod.Post, "services/data/v60.0/sobjects/Lead", """{"LastName":"Smithers","Company":"Plant","Email":"MONTY@plant.test"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("DUPLICATES_DETECTED", refused[0].Str("errorCode"));
        Assert.Equal(contact, refused[0].GetProperty("duplicateResult").GetProperty("matchResults")[0].GetProperty("matchRecords")[0].GetProperty("record").Str("Id"));
        // MCP too, unless the call says report; the phone rule is off, so a shared phone is not listed.
        Assert.StartsWith("DUPLICATES_DETECTED: ", Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Lead", fields = new { LastName = "Smithers", Company = "Plant", Email = "monty@plant.test" } })));
        var overridden = await CreateAsync(tenant, "Lead", new { LastName = "Smithers", Company = "Plant", Email = "monty@plant.test", Phone = "555-0113-000" }, "report");
        Assert.Equal($"email Contact {contact} Burns = monty@plant.test", Dupes(overridden));

        // Hostile or wrong bodies change nothing and say what to send.
        foreach (var (body, message) in new[]
        {
            ("not json", "The body must be JSON like {\"phone\": \"block\", \"website\": \"off\"}."),
            ("[\"email\"]", "The body must be a JSON object of rules and actions, like {\"phone\": \"block\", \"website\": \"off\"}."),
            ("{}", "REQUIRED_FIELD_MISSING: Send at least one rule and its action, e.g. {\"phone\": \"block\"}. Rules: email, name_account, phone, name, website."),
            ("{\"email\": \"report\", \"fax\": \"block\"}", "'fax' is not a duplicate rule. Send one of: email, name_account, phone, name, website."),
            ("{\"email\": \"\\ud800\"}", "The body holds text that is not valid Unicode. Send JSON like {\"phone\": \"block\", \"website\": \"off\"}."),
            ("{\"email\": 1}", "The action of 'email' must be \"off\", \"report\" or \"block\" (a string)."),
            ("{\"email\": \"'; DROP TABLE duplicate_rules; --\"}", "The action for rule email must be off, report or block; got ''; DROP TABLE duplicate_rules; --'."),
            ("{\"" + new string('x', 5000) + "\": \"block\"}", $"'{new string('x', 40)}…' is not a duplicate rule. Send one of: email, name_account, phone, name, website."),
        })
        {
            var reply = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/duplicate-rules", tenant.ApiKey, body);
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal(message.StartsWith("REQUIRED_") ? message : "INVALID_ARGUMENT: " + message, reply.Error());
        }
        var unchanged = await ApiClient.GetAsync(server, "/api/duplicate-rules", tenant.ApiKey);
        Assert.Equal(Describe(set.Body), Describe(unchanged.Body));
        var anonymous = await ApiClient.GetAsync(server, "/api/duplicate-rules", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    static string Describe(JsonElement rules) => string.Join(" ", rules.GetProperty("rules").EnumerateArray()
        .Select(r => $"{r.Str("rule")}={r.Str("action")}[{string.Join(",", r.GetProperty("objects").EnumerateArray().Select(o => o.GetString()))}]"));

    [Fact]
    public async Task Cli_SetsARule_AndTheServerFollowsWithinItsRefreshTime()
    {
        var tenant = await server.CreateTenantAsync("Dupes cli");
        string account = (await CreateAsync(tenant, "Account", new { Name = "Vandelay Industries", Website = "vandelay.test" })).Str("Id");
        Assert.Equal($"website Account {account} Vandelay Industries = vandelay.test", Dupes(await CreateAsync(tenant, "Account", new { Name = "Art Imports", Website = "https://vandelay.test/" })));

        var set = await Cli.RunAsync("duplicates", "set", "--tenant", tenant.TenantId, "--rule", "website", "--action", "block", "--data", server.DataDirectory);
        Assert.True(set.ExitCode == 0, set.StdErr);
        Assert.Matches(@"website\s*│\s*block\s*│\s*Account", set.StdOut);
        var shown = await Cli.RunAsync("duplicates", "rules", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.Matches(@"website\s*│\s*block", shown.StdOut);
        Assert.Matches(@"email\s*│\s*report\s*│\s*Contact, Lead", shown.StdOut);

        // The server reads rules again within 5 s (DuplicateService.RefreshAfter); a dry run shows the verdict without writing.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? error = null;
        while (DateTime.UtcNow < deadline)
        {
            var result = await tenant.CallAsync("create_record", new { @object = "Account", fields = new { Name = "Kramerica", Website = "www.vandelay.test" }, dry_run = true });
            if (result.IsError == true) { error = Mcp.Text(result); break; }
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        Assert.StartsWith($"DUPLICATES_DETECTED: Account not created: it may duplicate Account {account} (Vandelay Industries) by website 'vandelay.test'", error);

        var wrong = await Cli.RunAsync("duplicates", "set", "--tenant", tenant.TenantId, "--rule", "fax", "--action", "block", "--data", server.DataDirectory);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("error: 'fax' is not a duplicate rule. Send one of: email, name_account, phone, name, website.", wrong.StdErr.Trim());
        var nobody = await Cli.RunAsync("duplicates", "rules", "--tenant", Guid.NewGuid().ToString(), "--data", server.DataDirectory);
        Assert.Equal(1, nobody.ExitCode);
    }
}
