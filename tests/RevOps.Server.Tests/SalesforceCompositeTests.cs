using System.Net;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Composite all-or-none requests that work on records they create themselves.</summary>
public sealed class SalesforceCompositeTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<JsonElement> PostAsync(TestTenant tenant, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tenant.ApiKey);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }

    [Fact]
    public async Task AllOrNone_UpdatesAndDeletesRecordsCreatedEarlierInTheSameRequest()
    {
        var tenant = await server.CreateTenantAsync("Composite chain");
        var result = await PostAsync(tenant, "services/data/v60.0/composite", """
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"acct","body":{"Name":"Chain Co"}},
              {"method":"POST","url":"/services/data/v60.0/sobjects/Contact","referenceId":"temp","body":{"LastName":"Temp","AccountId":"@{acct.id}"}},
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/@{acct.id}","referenceId":"rename","body":{"Name":"Chain Corp","Industry":"Banking"}},
              {"method":"DELETE","url":"/services/data/v60.0/sobjects/Contact/@{temp.id}","referenceId":"drop"}
            ]}
            """);
        var responses = result.GetProperty("compositeResponse").EnumerateArray().ToArray();
        Assert.Equal([201, 201, 204, 204], responses.Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        string accountId = responses[0].GetProperty("body").Str("id");
        string contactId = responses[1].GetProperty("body").Str("id");

        var account = await tenant.CallOkAsync("get_record", new { Id = accountId });
        Assert.Equal("Chain Corp", account.Str("Name"));
        Assert.Equal("Banking", account.Str("Industry"));
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = contactId })));

        // A failure anywhere leaves nothing behind, records created earlier in the request included.
        var failed = await PostAsync(tenant, "services/data/v60.0/composite", """
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"a","body":{"Name":"Ghost"}},
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/@{a.id}","referenceId":"b","body":{"Rating":"Lukewarm"}}
            ]}
            """);
        var codes = failed.GetProperty("compositeResponse").EnumerateArray().Select(r => r.GetProperty("body")[0].Str("errorCode")).ToArray();
        Assert.Equal(["PROCESSING_HALTED", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"], codes);
        var ghosts = await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Name = "Ghost" } });
        Assert.Equal(0, ghosts.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SoapConvertLead_ConvertsWithTheApiKeyAsSession_AndRefusesDtds()
    {
        var tenant = await server.CreateTenantAsync("Soap convert");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Soap", Company = "Soapworks" } })).Str("Id");
        async Task<(HttpStatusCode, string)> PostXmlAsync(string xml)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "services/Soap/u/60.0")) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        string Envelope(string session) => $"""
            <?xml version="1.0" encoding="utf-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com">
              <soapenv:Header><SessionHeader><sessionId>{session}</sessionId></SessionHeader></soapenv:Header>
              <soapenv:Body><convertLead><leadConverts><leadId>{leadId}</leadId><convertedStatus>Closed - Converted</convertedStatus><doNotCreateOpportunity>true</doNotCreateOpportunity></leadConverts></convertLead></soapenv:Body>
            </soapenv:Envelope>
            """;

        var (badStatus, bad) = await PostXmlAsync(Envelope("revops_live_wrong"));
        Assert.Equal(HttpStatusCode.InternalServerError, badStatus); // Salesforce's SOAP answers faults with 500; jsforce expects it.
        Assert.Contains("<faultcode>sf:INVALID_SESSION_ID</faultcode>", bad);

        var (status, ok) = await PostXmlAsync(Envelope(tenant.ApiKey));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<success>true</success>", ok);
        Assert.Contains("<opportunityId xsi:nil=\"true\"/>", ok);
        Assert.DoesNotContain("<errors>", ok);
        var lead = await tenant.CallOkAsync("get_record", new { Id = leadId });
        Assert.True(lead.GetProperty("IsConverted").GetBoolean());
        Assert.Contains($"<contactId>{lead.Str("ConvertedContactId")}</contactId>", ok);

        var (dtdStatus, dtd) = await PostXmlAsync("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
        Assert.Equal(HttpStatusCode.InternalServerError, dtdStatus);
        Assert.Contains("INVALID_REQUEST", dtd);
        Assert.DoesNotContain("root:", dtd);
    }

    const string TreePath = "services/data/v60.0/composite/tree/";

    async Task<(HttpStatusCode Status, JsonElement Body)> TreeAsync(TestTenant tenant, string type, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, TreePath + type)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tenant.ApiKey);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone());
    }

    static (string Reference, string? Id)[] Results(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => (r.Str("referenceId"), r.TryGetProperty("id", out var id) ? id.GetString() : null)).ToArray();

    static (string Reference, string Code, string Message)[] Errors(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => (r.Str("referenceId"), r.GetProperty("errors")[0].Str("statusCode"), r.GetProperty("errors")[0].Str("message"))).ToArray();

    [Fact]
    public async Task Tree_CreatesAccountsWithContactsOpportunitiesAndTasks_InOneTransaction_ParentsFirst()
    {
        var tenant = await server.CreateTenantAsync("Tree create");
        int before = ChangeLogFile.Read(server, tenant.TenantId).Count;
        var (status, body) = await TreeAsync(tenant, "Account", """
            {"records":[
              {"attributes":{"type":"Account","referenceId":"acme"},"Name":"Acme Tree","Industry":"Banking",
               "Contacts":{"records":[
                 {"attributes":{"type":"Contact","referenceId":"ada"},"LastName":"Lovelace","FirstName":"Ada",
                  "Tasks":{"records":[{"attributes":{"type":"Task","referenceId":"call_ada"},"Subject":"Intro call"}]}},
                 {"attributes":{"type":"Contact","referenceId":"alan"},"LastName":"Turing"}]},
               "Opportunities":{"records":[
                 {"attributes":{"type":"Opportunity","referenceId":"deal"},"Name":"Acme deal","StageName":"Prospecting","CloseDate":"2027-01-31","Amount":5000,
                  "Tasks":{"records":[{"attributes":{"type":"Task","referenceId":"deal_task"},"Subject":"Send quote"}]}}]},
               "Tasks":{"records":[{"attributes":{"type":"Task","referenceId":"acct_task"},"Subject":"Account review"}]}},
              {"attributes":{"type":"Account","referenceId":"globex"},"Name":"Globex Tree"}
            ]}
            """);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.False(body.GetProperty("hasErrors").GetBoolean());
        var results = Results(body);
        // Level by level, as Salesforce answers: the roots, then their children, then the grandchildren.
        Assert.Equal(["acme", "globex", "ada", "alan", "deal", "acct_task", "call_ada", "deal_task"], results.Select(r => r.Reference));
        var id = results.ToDictionary(r => r.Reference, r => r.Id!);
        Assert.All(new[] { "acme", "globex" }, r => Assert.StartsWith("001", id[r]));

        var ada = await tenant.CallOkAsync("get_record", new { Id = id["ada"] });
        Assert.Equal(("Ada Lovelace", id["acme"]), (ada.Str("Name"), ada.Str("AccountId")));
        Assert.Equal(id["acme"], (await tenant.CallOkAsync("get_record", new { Id = id["alan"] })).Str("AccountId"));
        var deal = await tenant.CallOkAsync("get_record", new { Id = id["deal"] });
        Assert.Equal(("Acme deal", id["acme"], 5000d), (deal.Str("Name"), deal.Str("AccountId"), deal.GetProperty("Amount").GetDouble()));
        var call = await tenant.CallOkAsync("get_record", new { Id = id["call_ada"] });
        Assert.Equal((id["ada"], id["acme"]), (call.Str("WhoId"), call.Str("AccountId")));
        var quote = await tenant.CallOkAsync("get_record", new { Id = id["deal_task"] });
        Assert.Equal((id["deal"], id["acme"]), (quote.Str("WhatId"), quote.Str("AccountId")));
        Assert.Equal(id["acme"], (await tenant.CallOkAsync("get_record", new { Id = id["acct_task"] })).Str("WhatId"));

        // Every record through the change log, created with its link, in one request.
        var rows = ChangeLogFile.Read(server, tenant.TenantId).Skip(before).ToArray();
        Assert.Equal(results.Select(r => r.Id), rows.Select(r => r.RecordId));
        Assert.All(rows, r => Assert.Equal(("created", rows[0].RequestId), (r.Operation, r.RequestId)));
        Assert.Equal(id["acme"], rows.Single(r => r.RecordId == id["ada"]).Changes.GetProperty("AccountId").Str("after"));
    }

    [Fact]
    public async Task Tree_OneInvalidRecord_WritesNothing_AndNamesItsReference()
    {
        var tenant = await server.CreateTenantAsync("Tree invalid");
        int before = ChangeLogFile.Read(server, tenant.TenantId).Count;
        var (status, body) = await TreeAsync(tenant, "Account", """
            {"records":[{"attributes":{"type":"Account","referenceId":"ok"},"Name":"Half Built",
              "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"good"},"LastName":"Fine"},
                                     {"attributes":{"type":"Contact","referenceId":"bad"},"FirstName":"NoLastName"}]}}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("hasErrors").GetBoolean());
        var error = Assert.Single(Errors(body));
        Assert.Equal(("bad", "REQUIRED_FIELD_MISSING"), (error.Reference, error.Code));
        Assert.Contains("LastName", error.Message);
        Assert.Equal(before, ChangeLogFile.Read(server, tenant.TenantId).Count);
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Account" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Tree_BadShapes_AreRefusedPerReference_TooManyOrTooDeepRefusedWhole()
    {
        var tenant = await server.CreateTenantAsync("Tree shapes");
        async Task<(string Reference, string Code, string Message)[]> Refused(string type, string json)
        {
            var (status, body) = await TreeAsync(tenant, type, json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.True(body.GetProperty("hasErrors").GetBoolean(), body.GetRawText());
            return Errors(body);
        }

        Assert.Equal([("c1", "INVALID_TYPE", "Account[0] has type 'Contact' where the tree calls for Account. Send attributes.type \"Account\".")],
            (await Refused("Account", """{"records":[{"attributes":{"type":"Contact","referenceId":"c1"},"LastName":"X"}]}""")).Select(e => (e.Reference.Length > 0 ? "c1" : "", e.Code, e.Message)));
        Assert.Equal([("a1", "INVALID_FIELD", "a1: 'Deals' is not a child relationship of Account. Nest children under ChildAccounts, Contacts, Opportunities, Tasks, Events.")],
            await Refused("Account", """{"records":[{"attributes":{"type":"Account","referenceId":"a1"},"Name":"X","Deals":{"records":[]}}]}"""));
        Assert.Equal([("a1", "INVALID_FIELD", "Duplicate referenceId 'a1': each record of the request needs its own.")],
            await Refused("Account", """{"records":[{"attributes":{"type":"Account","referenceId":"a1"},"Name":"X"},{"attributes":{"type":"Account","referenceId":"a1"},"Name":"Y"}]}"""));
        Assert.Equal([("Account[0]", "INVALID_FIELD", "Account[0] needs attributes.referenceId, unique in the request (letters, digits and underscores, starting with a letter or digit), e.g. \"ref1\".")],
            await Refused("Account", """{"records":[{"attributes":{"type":"Account"},"Name":"X"}]}"""));
        Assert.Equal([("c1", "INVALID_FIELD", "c1: AccountId is set by the tree to its parent's Id. Leave it out, or send the record outside the tree.")],
            await Refused("Account", """{"records":[{"attributes":{"type":"Account","referenceId":"a1"},"Name":"X","Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"c1"},"LastName":"Y","AccountId":"001000000000001AAA"}]}}]}"""));

        // Six levels of child accounts: one too many.
        string Level(int depth) => depth == 6
            ? """{"attributes":{"type":"Account","referenceId":"l6"},"Name":"L6"}"""
            : $$$"""{"attributes":{"type":"Account","referenceId":"l{{{depth}}}"},"Name":"L{{{depth}}}","ChildAccounts":{"records":[{{{Level(depth + 1)}}}]}}""";
        Assert.Equal([("l5", "INVALID_FIELD", "l5: a tree goes at most 5 levels deep; ChildAccounts would be level 6. Create them in another request.")],
            await Refused("Account", $$"""{"records":[{{Level(1)}}]}"""));

        // More than 200 records in all (here 1 account with 200 contacts) is refused whole.
        string contacts = string.Join(",", Enumerable.Range(0, 200).Select(i => $$"""{"attributes":{"type":"Contact","referenceId":"c{{i}}"},"LastName":"C{{i}}"}"""));
        var (status, body) = await TreeAsync(tenant, "Account", $$$"""{"records":[{"attributes":{"type":"Account","referenceId":"big"},"Name":"Big","Contacts":{"records":[{{{contacts}}}]}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("INVALID_BATCH_REQUEST", "A tree holds at most 200 records in all; this one holds more. Send the rest in another request."), (body[0].Str("errorCode"), body[0].Str("message")));

        var (unknownStatus, unknown) = await TreeAsync(tenant, "Deal", """{"records":[{"attributes":{"type":"Deal","referenceId":"d"},"Name":"X"}]}""");
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (unknownStatus, unknown[0].Str("errorCode")));
        var (noRecordsStatus, noRecords) = await TreeAsync(tenant, "Account", """{"record":[]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "JSON_PARSER_ERROR"), (noRecordsStatus, noRecords[0].Str("errorCode")));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Account" })).GetProperty("totalSize").GetInt32());
        Assert.DoesNotContain(ChangeLogFile.Read(server, tenant.TenantId), r => r.Object != "User");
    }

    [Fact]
    public async Task Tree_ChildReferencingAnotherTenantsRecord_FailsAndWritesNothing()
    {
        var tenant = await server.CreateTenantAsync("Tree tenant");
        var other = await server.CreateTenantAsync("Tree other tenant");
        string theirs = (await other.CallOkAsync("create_contact", new { LastName = "Theirs" })).Str("Id");
        string theirAccount = (await other.CallOkAsync("create_account", new { Name = "Their account" })).Str("Id");

        var (status, body) = await TreeAsync(tenant, "Account", $$$"""
            {"records":[{"attributes":{"type":"Account","referenceId":"mine"},"Name":"Mine","ParentId":"{{{theirAccount}}}"},
                        {"attributes":{"type":"Account","referenceId":"mine2"},"Name":"Mine 2",
                         "Tasks":{"records":[{"attributes":{"type":"Task","referenceId":"spy"},"Subject":"Spy","WhoId":"{{{theirs}}}"}]}}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([("mine", "INVALID_CROSS_REFERENCE_KEY"), ("spy", "INVALID_CROSS_REFERENCE_KEY")], Errors(body).Select(e => (e.Reference, e.Code)));
        Assert.DoesNotContain("Their account", body.GetRawText());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Account" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await other.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Tree_HostileInput_StoredVerbatimOrRefused_NeverInterpreted()
    {
        var tenant = await server.CreateTenantAsync("Tree hostile");
        string evil = "Robert'); DROP TABLE account;-- <script>alert(1)</script> Ünïcødé 🚀";
        var (status, body) = await TreeAsync(tenant, "Account", JsonSerializer.Serialize(new
        {
            records = new object[] { new Dictionary<string, object> { ["attributes"] = new { type = "Account", referenceId = "x1" }, ["Name"] = evil } },
        }));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(evil, (await tenant.CallOkAsync("get_record", new { Id = Results(body)[0].Id })).Str("Name"));

        // References that are paths, SQL or far too long are refused with the rule, and echoed only cut short.
        foreach (var reference in new[] { "../../tenants", "a' OR '1'='1", new string('r', 5000), "" })
        {
            var (refusedStatus, refused) = await TreeAsync(tenant, "Account", JsonSerializer.Serialize(new
            {
                records = new object[] { new Dictionary<string, object> { ["attributes"] = new { type = "Account", referenceId = reference }, ["Name"] = "X" } },
            }));
            Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
            var error = Assert.Single(Errors(refused));
            Assert.Equal("INVALID_FIELD", error.Code);
            Assert.Contains("must be letters, digits and underscores, starting with a letter or digit, at most 80 characters.", error.Message);
            Assert.True(refused.GetRawText().Length < 1000, "the refusal echoes the whole reference");
        }
        // Records that are not objects, and a records that is not an array.
        var (scalarStatus, scalar) = await TreeAsync(tenant, "Account", """{"records":[42]}""");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_TYPE"), (scalarStatus, Errors(scalar)[0].Code));
        var (objectStatus, notArray) = await TreeAsync(tenant, "Account", """{"records":{"Name":"X"}}""");
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_BATCH_REQUEST"), (objectStatus, notArray[0].Str("errorCode")));
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Account" })).GetProperty("totalSize").GetInt32());
    }
}
