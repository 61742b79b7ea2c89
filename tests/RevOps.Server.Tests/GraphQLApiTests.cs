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
}
