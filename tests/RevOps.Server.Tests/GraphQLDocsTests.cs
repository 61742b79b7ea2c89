using System.Net;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests;

/// <summary>docs/graphql.md's examples run as written: every ```graphql block, in order, against a tenant with accounts and contacts.</summary>
public sealed partial class GraphQLDocsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task EveryExampleInTheDoc_RunsWithoutErrors()
    {
        var tenant = await server.CreateTenantAsync("gql docs");
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        string id = await rest.CreateAsync("Account", new { Name = "Initech", Industry = "Technology", Phone = "555-0100" });
        await rest.CreateAsync("Contact", new { LastName = "Smith", Email = "ada@example.com", Phone = "555-0101", AccountId = id });
        await rest.CreateAsync("Account", new { Name = "Umbrella", Industry = "Energy" });

        var examples = GraphQLBlock().Matches(await File.ReadAllTextAsync(DocPath(), TestContext.Current.CancellationToken)).Select(m => m.Groups[1].Value).ToList();
        Assert.True(examples.Count >= 7, $"found {examples.Count} examples");
        foreach (string example in examples)
        {
            object? variables = example.Contains("$id", StringComparison.Ordinal) ? new { id } : null;
            var answer = await GraphQLClient.PostAsync(server, tenant.ApiKey, example, variables);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.False(answer.HasErrors, example + "\n" + answer.Body);
            Assert.Equal(System.Text.Json.JsonValueKind.Object, answer.Data.GetProperty("uiapi").ValueKind);
        }
    }

    static string DocPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "graphql.md"))) return Path.Combine(dir.FullName, "docs", "graphql.md");
        throw new FileNotFoundException("docs/graphql.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```graphql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex GraphQLBlock();
}
