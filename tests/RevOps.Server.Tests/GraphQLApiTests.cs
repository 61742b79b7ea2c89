using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Salesforce's GraphQL API (UI API shape) against the real server: queries, filters, paging, relationships, mutations, limits and errors.</summary>
public sealed class GraphQLApiTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string Tree = "services/data/v60.0/composite/tree/Account";

    /// <summary>Accounts A000… with <paramref name="contactsEach"/> contacts each, through composite/tree (200 records a request).</summary>
    async Task<List<string>> SeedAsync(TestTenant tenant, int accounts, int contactsEach, Func<int, string>? industry = null)
    {
        var ids = new List<string>();
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        int perRequest = 200 / (1 + contactsEach);
        for (int start = 0; start < accounts; start += perRequest)
        {
            var records = Enumerable.Range(start, Math.Min(perRequest, accounts - start)).Select(i => new Dictionary<string, object?>
            {
                ["attributes"] = new { type = "Account", referenceId = $"a{i}" },
                ["Name"] = $"A{i:D3}",
                ["Industry"] = industry?.Invoke(i) ?? "Technology",
                ["AnnualRevenue"] = 1000.0 * i,
                ["Contacts"] = new
                {
                    records = Enumerable.Range(0, contactsEach).Select(j => new Dictionary<string, object?>
                    {
                        ["attributes"] = new { type = "Contact", referenceId = $"c{i}_{j}" },
                        ["LastName"] = $"C{i:D3}-{j}",
                    }).ToArray(),
                },
            }).ToArray();
            var (status, body) = await rest.SendAsync(HttpMethod.Post, Tree, new { records });
            Assert.Equal(HttpStatusCode.Created, status);
            ids.AddRange(body.GetProperty("results").EnumerateArray().Where(r => r.Str("referenceId").StartsWith('a')).Select(r => r.Str("id")));
        }
        return ids;
    }

    [Fact]
    public async Task Query_AccountsWithOwnerAndContacts_ReturnsValuesInUiApiShape()
    {
        var tenant = await server.CreateTenantAsync("gql shape");
        await SeedAsync(tenant, 3, 2);

        var answer = await GraphQLClient.PostAsync(server, tenant.ApiKey, """
            query { uiapi { query { Account(where: { Industry: { eq: "Technology" } }, orderBy: { Name: { order: DESC } }, first: 2) {
              edges { node { Id Name { value displayValue } AnnualRevenue { value displayValue } Owner { Name { value } }
                Contacts(orderBy: { LastName: { order: ASC } }) { edges { node { LastName { value } } } totalCount } } cursor }
              pageInfo { hasNextPage endCursor } totalCount } } } }
            """);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(answer.HasErrors, answer.Body.ToString());
        var nodes = answer.Nodes("Account").ToList();
        Assert.Equal(["A002", "A001"], nodes.Select(n => n.Value("Name")));
        Assert.Equal(JsonValueKind.Null, nodes[0].GetProperty("Name").GetProperty("displayValue").ValueKind);
        Assert.Equal(2000.0, nodes[0].GetProperty("AnnualRevenue").GetProperty("value").GetDouble());
        Assert.Equal("$2,000.00", nodes[0].GetProperty("AnnualRevenue").GetProperty("displayValue").GetString());
        Assert.Equal("Integration User", nodes[0].GetProperty("Owner").Value("Name"));
        Assert.Equal(["C002-0", "C002-1"], nodes[0].GetProperty("Contacts").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").Value("LastName")));
        Assert.Equal(2, nodes[0].GetProperty("Contacts").GetProperty("totalCount").GetInt32());
        var connection = answer.Connection("Account");
        Assert.Equal(3, connection.GetProperty("totalCount").GetInt32());
        Assert.True(connection.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        var next = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            "query($after: String) { uiapi { query { Account(orderBy: { Name: { order: DESC } }, first: 2, after: $after) { edges { node { Name { value } } } pageInfo { hasNextPage } } } } }",
            new { after = connection.GetProperty("pageInfo").Str("endCursor") });
        Assert.Equal(["A000"], next.Nodes("Account").Select(n => n.Value("Name")));
        Assert.False(next.Connection("Account").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
    }

    [Fact]
    public async Task Query_HundredAccountsWithContacts_RunsTheSameBoundedNumberOfStatementsAsTen()
    {
        var tenant = await server.CreateTenantAsync("gql n+1");
        await SeedAsync(tenant, 100, 2);
        const string Query = "query($n: Int) { uiapi { query { Account(first: $n, orderBy: { Name: { order: ASC } }) { edges { node { Name { value } Owner { Name { value } } Contacts { edges { node { Name { value } Email { value } } } } } } totalCount } } } }";

        var hundred = await GraphQLClient.PostAsync(server, tenant.ApiKey, Query, new { n = 100 });
        var ten = await GraphQLClient.PostAsync(server, tenant.ApiKey, Query, new { n = 10 });

        Assert.False(hundred.HasErrors, hundred.Body.ToString());
        var nodes = hundred.Nodes("Account").ToList();
        Assert.Equal(100, nodes.Count);
        Assert.All(nodes, n => Assert.Equal(2, n.GetProperty("Contacts").GetProperty("edges").GetArrayLength()));
        Assert.Equal("C099-1", nodes[99].GetProperty("Contacts").GetProperty("edges")[1].GetProperty("node").Value("Name"));
        // The accounts' count and page (the owner joined in); then, for every account's contacts at once, the
        // parents' count and Ids and one statement for their children.
        Assert.Equal(5, hundred.Statements);
        Assert.Equal(hundred.Statements, ten.Statements);
    }

    [Fact]
    public async Task Where_EveryOperator_SelectsTheRowsSoqlWould()
    {
        var tenant = await server.CreateTenantAsync("gql where");
        await SeedAsync(tenant, 6, 0, i => i % 2 == 0 ? "Technology" : "Energy");

        async Task<string[]> NamesAsync(string where)
        {
            var answer = await GraphQLClient.PostAsync(server, tenant.ApiKey,
                $"query {{ uiapi {{ query {{ Account(where: {where}, orderBy: {{ Name: {{ order: ASC }} }}) {{ edges {{ node {{ Name {{ value }} }} }} }} }} }} }}");
            Assert.False(answer.HasErrors, where + ": " + answer.Body);
            return answer.Nodes("Account").Select(n => n.Value("Name")).ToArray();
        }

        Assert.Equal(["A001", "A003", "A005"], await NamesAsync("""{ Industry: { ne: "Technology" } }"""));
        Assert.Equal(["A004", "A005"], await NamesAsync("{ AnnualRevenue: { gt: 3000 } }"));
        Assert.Equal(["A003", "A004", "A005"], await NamesAsync("{ AnnualRevenue: { gte: 3000 } }"));
        Assert.Equal(["A000", "A001"], await NamesAsync("{ AnnualRevenue: { lt: 2000 } }"));
        Assert.Equal(["A000", "A001", "A002"], await NamesAsync("{ AnnualRevenue: { lte: 2000.0 } }"));
        Assert.Equal(["A001", "A002"], await NamesAsync("""{ Name: { in: ["A001", "a002", "none"] } }"""));
        Assert.Equal(["A000", "A003", "A004", "A005"], await NamesAsync("""{ Name: { nin: ["A001", "A002"] } }"""));
        Assert.Equal(["A003"], await NamesAsync("""{ Name: { like: "%3" } }"""));
        Assert.Equal(["A000", "A002"], await NamesAsync("""{ and: [{ Industry: { eq: "Technology" } }, { AnnualRevenue: { lt: 4000 } }] }"""));
        Assert.Equal(["A000", "A005"], await NamesAsync("""{ or: [{ Name: { eq: "A000" } }, { Name: { eq: "A005" } }] }"""));
        Assert.Equal(["A001", "A002", "A003", "A004", "A005"], await NamesAsync("""{ not: { Name: { eq: "A000" } } }"""));
        Assert.Equal(["A000", "A001", "A002", "A003", "A004", "A005"], await NamesAsync("""{ Owner: { Name: { eq: "Integration User" } } }"""));
        Assert.Empty(await NamesAsync("""{ Owner: { Name: { eq: "Nobody" } } }"""));
        Assert.Equal(["A000", "A001", "A002", "A003", "A004", "A005"], await NamesAsync("{ CreatedDate: { eq: { literal: TODAY } } }"));
        Assert.Empty(await NamesAsync("""{ CreatedDate: { lt: { value: "2001-01-01T00:00:00Z" } } }"""));
        Assert.Empty(await NamesAsync("{ Website: { ne: null } }"));
    }

    [Fact]
    public async Task Where_ValueWithSoqlAndSqlSyntax_IsComparedAsText()
    {
        var tenant = await server.CreateTenantAsync("gql injection");
        await SeedAsync(tenant, 2, 0);
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        string hostile = "x' OR Name != 'y\\' OR 1=1 --; DROP TABLE accounts";
        await rest.CreateAsync("Account", new { Name = hostile });

        foreach (string value in new[] { "' OR Name != '", "A000' OR Name LIKE '%", "%' OR '1'='1", "\\' OR 1=1 --", hostile })
        {
            var answer = await GraphQLClient.PostAsync(server, tenant.ApiKey,
                "query($v: String) { uiapi { query { Account(where: { Name: { eq: $v } }) { edges { node { Name { value } } } totalCount } } } }", new { v = value });
            Assert.False(answer.HasErrors, answer.Body.ToString());
            Assert.True((value == hostile ? 1 : 0) == answer.Connection("Account").GetProperty("totalCount").GetInt32(), value + ": " + answer.Body);
        }
        var like = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            "query($v: String) { uiapi { query { Account(where: { Name: { like: $v } }) { totalCount } } } }", new { v = "%'y\\' OR 1=1 --%" });
        Assert.Equal(1, like.Connection("Account").GetProperty("totalCount").GetInt32());
        var all = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { query { Account { totalCount } } } }");
        Assert.Equal(3, all.Connection("Account").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task CustomField_DefinedAfterFirstQuery_AppearsInTheSchemaFilterAndMutations()
    {
        var tenant = await server.CreateTenantAsync("gql custom");
        await SeedAsync(tenant, 1, 0);
        var before = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { query { Account { edges { node { Tier__c { value } } } } } } }");
        Assert.Equal("ValidationError", before.Error.GetProperty("extensions").Str("ErrorType"));
        Assert.Contains("Tier__c", before.Error.Str("message"));

        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver" } });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Seats__c", type = "Number" });
        var created = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """mutation { uiapi { AccountCreate(input: { Account: { Name: "Custom Co", Tier__c: "Gold", Seats__c: 12 } }) { Record { Id Name { value } Tier__c { value displayValue } Seats__c { value } } } } }""");
        Assert.False(created.HasErrors, created.Body.ToString());
        var record = created.Data.GetProperty("uiapi").GetProperty("AccountCreate").GetProperty("Record");
        Assert.Equal("Gold", record.Value("Tier__c"));
        Assert.Equal(12, record.GetProperty("Seats__c").GetProperty("value").GetDouble());

        var filtered = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """query { uiapi { query { Account(where: { Tier__c: { eq: "Gold" }, Seats__c: { gte: 10 } }) { edges { node { Name { value } } } } } } }""");
        Assert.Equal(["Custom Co"], filtered.Nodes("Account").Select(n => n.Value("Name")));
        var info = await GraphQLClient.PostAsync(server, tenant.ApiKey, """query { uiapi { objectInfos(apiNames: ["Account"]) { ApiName fields { ApiName dataType custom } } } }""");
        var tier = info.Data.GetProperty("uiapi").GetProperty("objectInfos")[0].GetProperty("fields").EnumerateArray().Single(f => f.Str("ApiName") == "Tier__c");
        Assert.Equal("picklist", tier.Str("dataType"));
        Assert.True(tier.GetProperty("custom").GetBoolean());
    }

    [Fact]
    public async Task Mutations_CreateUpdateDelete_GoThroughTheDomain()
    {
        var tenant = await server.CreateTenantAsync("gql mutations");
        var created = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """mutation { uiapi { AccountCreate(input: { Account: { Name: "Made By GraphQL", Industry: "Energy" } }) { Record { Id Name { value } Industry { value } } } } }""");
        Assert.False(created.HasErrors, created.Body.ToString());
        string id = created.Data.GetProperty("uiapi").GetProperty("AccountCreate").GetProperty("Record").Str("Id");
        Assert.StartsWith("001", id);

        var updated = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            "mutation($id: ID!) { uiapi { AccountUpdate(input: { Id: $id, Account: { Industry: \"Banking\", Phone: null } }) { success Record { Industry { value } } } } }", new { id });
        Assert.False(updated.HasErrors, updated.Body.ToString());
        Assert.True(updated.Data.GetProperty("uiapi").GetProperty("AccountUpdate").GetProperty("success").GetBoolean());
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        Assert.Equal("Banking", (await rest.GetAsync("Account", id)).Str("Industry"));

        var invalid = await GraphQLClient.PostAsync(server, tenant.ApiKey, """mutation { uiapi { ContactCreate(input: { Contact: { FirstName: "No Last" } }) { Record { Id } } } }""");
        Assert.Equal("REQUIRED_FIELD_MISSING", invalid.Error.GetProperty("extensions").Str("errorCode"));
        Assert.Equal("DataFetchingException", invalid.Error.GetProperty("extensions").Str("ErrorType"));
        Assert.Equal(["uiapi", "ContactCreate"], invalid.Error.GetProperty("path").EnumerateArray().Select(p => p.GetString()));

        var deleted = await GraphQLClient.PostAsync(server, tenant.ApiKey, "mutation($id: ID!) { uiapi { AccountDelete(input: { Id: $id }) { Id } } }", new { id });
        Assert.Equal(id, deleted.Data.GetProperty("uiapi").GetProperty("AccountDelete").Str("Id"));
        var gone = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { query { Account { totalCount } } } }");
        Assert.Equal(0, gone.Connection("Account").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Mutation_WithReadOnlyKey_IsRefusedAndChangesNothing()
    {
        var tenant = await server.CreateTenantAsync("gql scopes");
        var key = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, """{"scope":"read"}""");
        string readKey = key.Body.Str("api_key");
        var refused = await GraphQLClient.PostAsync(server, readKey, """mutation { uiapi { AccountCreate(input: { Account: { Name: "Nope" } }) { Record { Id } } } }""");
        Assert.Equal("INSUFFICIENT_ACCESS", refused.Error.GetProperty("extensions").Str("errorCode"));
        var read = await GraphQLClient.PostAsync(server, readKey, "query { uiapi { query { Account { totalCount } } } }");
        Assert.Equal(0, read.Connection("Account").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task ObjectInfos_ListsFieldsAndChildRelationships()
    {
        var tenant = await server.CreateTenantAsync("gql objectinfos");
        var answer = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """query { uiapi { objectInfos(apiNames: ["Contact", "Nope"]) { ApiName labelPlural keyPrefix fields { ApiName dataType relationshipName referenceToInfos { ApiName } } childRelationships { relationshipName childObjectApiName fieldName } } } }""");
        var contact = answer.Data.GetProperty("uiapi").GetProperty("objectInfos")[0];
        Assert.Equal("Contact", contact.Str("ApiName"));
        Assert.Equal("003", contact.Str("keyPrefix"));
        var account = contact.GetProperty("fields").EnumerateArray().Single(f => f.Str("ApiName") == "AccountId");
        Assert.Equal("reference", account.Str("dataType"));
        Assert.Equal("Account", account.Str("relationshipName"));
        Assert.Equal("Account", account.GetProperty("referenceToInfos")[0].Str("ApiName"));
        Assert.Contains(contact.GetProperty("childRelationships").EnumerateArray(), r => r.Str("relationshipName") == "Tasks" && r.Str("fieldName") == "WhoId");
        Assert.Equal("INVALID_TYPE", answer.Error.GetProperty("extensions").Str("errorCode"));
        Assert.StartsWith("'Nope' is not an object.", answer.Error.Str("message"));
    }

    [Fact]
    public async Task Errors_BadArgumentsAndDocuments_AnswerInGraphQLShapeWithCodes()
    {
        var tenant = await server.CreateTenantAsync("gql errors");
        var huge = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { query { Account(first: 5000) { edges { node { Id } } } } } }");
        Assert.Equal(HttpStatusCode.OK, huge.Status);
        Assert.Equal("first must be between 1 and 2000; got 5000. Page with after: pageInfo.endCursor.", huge.Error.Str("message"));
        Assert.Equal("INVALID_ARGUMENT", huge.Error.GetProperty("extensions").Str("errorCode"));
        Assert.Equal(JsonValueKind.Null, huge.Data.GetProperty("uiapi").GetProperty("query").GetProperty("Account").ValueKind);

        var cursor = await GraphQLClient.PostAsync(server, tenant.ApiKey, """query { uiapi { query { Account(after: "bogus") { totalCount } } } }""");
        Assert.Equal("after 'bogus' is not a cursor of this API; pass pageInfo.endCursor from the previous page.", cursor.Error.Str("message"));

        var unknown = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { query { Account { edges { node { Nmae { value } } } } } } }");
        Assert.Equal("ValidationError", unknown.Error.GetProperty("extensions").Str("ErrorType"));
        Assert.StartsWith("Cannot query field 'Nmae' on type 'Account'.", unknown.Error.Str("message"));
        Assert.Equal(1, unknown.Error.GetProperty("locations")[0].GetProperty("line").GetInt32());

        var syntax = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { ");
        Assert.Equal("InvalidSyntax", syntax.Error.GetProperty("extensions").Str("ErrorType"));

        var notJson = await GraphQLClient.SendAsync(server, tenant.ApiKey, "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Equal("JSON_PARSER_ERROR", notJson.Error.GetProperty("extensions").Str("errorCode"));
        var noQuery = await GraphQLClient.SendAsync(server, tenant.ApiKey, """{"variables":{}}""");
        Assert.Equal(HttpStatusCode.BadRequest, noQuery.Status);
        Assert.Equal("MALFORMED_QUERY", noQuery.Error.GetProperty("extensions").Str("errorCode"));

        var emptyIn = await GraphQLClient.PostAsync(server, tenant.ApiKey, "query { uiapi { query { Account(where: { Name: { in: [] } }) { totalCount } } } }");
        Assert.Equal("Name: in needs a list of at least one value.", emptyIn.Error.Str("message"));
        var badId = await GraphQLClient.PostAsync(server, tenant.ApiKey, """query { uiapi { query { Account(where: { Id: { eq: "nope" } }) { totalCount } } } }""");
        Assert.Equal("invalid ID field: nope", badId.Error.Str("message"));
    }

    [Fact]
    public async Task Limits_DeepAndCostlyQueries_AreRefusedBeforeRunning()
    {
        var tenant = await server.CreateTenantAsync("gql limits");
        var costly = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            "query { uiapi { query { Account(first: 2000) { edges { node { Contacts(first: 2000) { edges { node { Name { value } } } } } } } } } }");
        Assert.True("ValidationError" == costly.Error.GetProperty("extensions").Str("ErrorType"), costly.Body.ToString());
        Assert.Contains("complexity", costly.Error.Str("message"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, costly.Statements);

        string deep = "query { uiapi { query { Contact { edges { node { " + string.Concat(Enumerable.Repeat("ReportsTo { ", 22)) + "Id" + new string('}', 22) + " } } } } } }";
        var tooDeep = await GraphQLClient.PostAsync(server, tenant.ApiKey, deep);
        Assert.True("ValidationError" == tooDeep.Error.GetProperty("extensions").Str("ErrorType"), tooDeep.Body.ToString());
        Assert.Contains("depth", tooDeep.Error.Str("message"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, tooDeep.Statements);

        string sixParents = "query { uiapi { query { Contact { edges { node { " + string.Concat(Enumerable.Repeat("ReportsTo { ", 6)) + "Id" + new string('}', 6) + " } } } } } }";
        var planned = await GraphQLClient.PostAsync(server, tenant.ApiKey, sixParents);
        Assert.Equal("A field path can follow at most 5 relationships: ReportsTo.ReportsTo.ReportsTo.ReportsTo.ReportsTo.ReportsTo.Id", planned.Error.Str("message"));
        Assert.Equal("MALFORMED_QUERY", planned.Error.GetProperty("extensions").Str("errorCode"));
    }

    [Fact]
    public async Task OtherTenant_SeesNoneOfItsRecords_AndCannotChangeThem()
    {
        var acme = await server.CreateTenantAsync("gql acme");
        var globex = await server.CreateTenantAsync("gql globex");
        string id = (await SeedAsync(acme, 1, 2))[0];

        var listed = await GraphQLClient.PostAsync(server, globex.ApiKey, "query { uiapi { query { Account { totalCount } Contact { totalCount } } } }");
        Assert.Equal(0, listed.Connection("Account").GetProperty("totalCount").GetInt32());
        Assert.Equal(0, listed.Connection("Contact").GetProperty("totalCount").GetInt32());
        var byId = await GraphQLClient.PostAsync(server, globex.ApiKey,
            "query($id: ID) { uiapi { query { Contact(where: { AccountId: { eq: $id } }) { totalCount } Account(where: { Id: { eq: $id } }) { edges { node { Contacts { totalCount } } } } } } }", new { id });
        Assert.Equal(0, byId.Connection("Contact").GetProperty("totalCount").GetInt32());
        Assert.Equal(0, byId.Connection("Account").GetProperty("edges").GetArrayLength());

        var update = await GraphQLClient.PostAsync(server, globex.ApiKey,
            "mutation($id: ID!) { uiapi { AccountUpdate(input: { Id: $id, Account: { Name: \"Hacked\" } }) { success } } }", new { id });
        Assert.Equal("NOT_FOUND", update.Error.GetProperty("extensions").Str("errorCode"));
        var delete = await GraphQLClient.PostAsync(server, globex.ApiKey, "mutation($id: ID!) { uiapi { AccountDelete(input: { Id: $id }) { Id } } }", new { id });
        Assert.Equal("NOT_FOUND", delete.Error.GetProperty("extensions").Str("errorCode"));

        var own = await GraphQLClient.PostAsync(server, acme.ApiKey,
            "query { uiapi { query { Account { edges { node { Name { value } Contacts { totalCount } } } } } } }");
        var node = Assert.Single(own.Nodes("Account"));
        Assert.Equal("A000", node.Value("Name"));
        Assert.Equal(2, node.GetProperty("Contacts").GetProperty("totalCount").GetInt32());
    }
}
