using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// The GraphQL endpoint under hostile input: deep and wide documents, huge first, introspection
/// abuse, alias and fragment bombs, injection in where, broken bodies. No 5xx and no
/// UNKNOWN_EXCEPTION, every limit answers with its error, and the victim's data does not change.
/// </summary>
public sealed class GraphQLHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string Path = "/services/data/v60.0/graphql";

    static string Body(string query, object? variables = null) => JsonSerializer.Serialize(new { query, variables });

    /// <summary>Expect: null when any well-formed answer will do, "" when an error must come back, else a word the error must hold.</summary>
    static IEnumerable<(string Label, string Body, string? Expect)> Inputs(VictimDataset victim)
    {
        string node = "edges { node { Id Name { value } } }";
        yield return ("deep braces", Body("query { " + new string('{', 20_000) + new string('}', 20_000) + " }"), null);
        yield return ("deep parents", Body("query { uiapi { query { Contact { edges { node { " + string.Concat(Enumerable.Repeat("ReportsTo { ", 200)) + "Id" + new string('}', 200) + " } } } } } }"), "depth");
        yield return ("deep children", Body("query { uiapi { query { Account { edges { node { " + string.Concat(Enumerable.Repeat("ChildAccounts { edges { node { ", 30)) + "Id" + string.Concat(Enumerable.Repeat(" } } }", 30)) + " } } } } } }"), "depth");
        foreach (string first in new[] { "2001", "2147483647", "-1", "0" })
            yield return ($"first {first}", Body($"query {{ uiapi {{ query {{ Account(first: {first}) {{ {node} }} }} }} }}"), "first must be between 1 and 2000");
        yield return ("first too big for Int", Body($"query {{ uiapi {{ query {{ Account(first: 99999999999) {{ {node} }} }} }} }}"), null);
        yield return ("nested first product", Body("query { uiapi { query { Account(first: 2000) { edges { node { Contacts(first: 2000) { edges { node { Id } } } } } } } } }"), "complexity");
        yield return ("alias bomb", Body("query { " + string.Join(' ', Enumerable.Range(0, 100).Select(i => $"a{i}: uiapi {{ query {{ Account(first: 2000) {{ {node} }} }} }}")) + " }"), "complexity");
        yield return ("introspection", Body("query { __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }"), null);
        yield return ("introspection deep ofType", Body("query { __schema { types { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 40)) + "name" + new string('}', 40) + " } } } } }"), "depth");
        yield return ("introspection aliased", Body("query { " + string.Join(' ', Enumerable.Range(0, 50).Select(i => $"s{i}: __schema {{ types {{ name fields {{ name }} }} }}")) + " }"), "at most 10 __schema");
        yield return ("__type cycle", Body("query { __type(name: \"Account\") { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } }"), null);
        yield return ("fragment cycle", Body("query { uiapi { ...A } } fragment A on UIAPI { ...B } fragment B on UIAPI { ...A }"), "");
        yield return ("wide fields", Body("query { uiapi { query { Account { edges { node { " + string.Concat(Enumerable.Repeat("Name { value } ", 5000)) + " } } } } } }"), "at most 1000 fields");
        foreach (string value in new[] { "' OR 1=1 --", "x'); DROP TABLE accounts; --", "\\' OR Name LIKE '%", "%", "_", "\0", new string('%', 5000), "'; SELECT * FROM tenants; --", victim["AccountName"] + "' OR ''='" })
        {
            yield return ("where eq injection", Body("query($v: String) { uiapi { query { Account(where: { Name: { eq: $v } }) { totalCount } } } }", new { v = value }), null);
            yield return ("where like injection", Body("query($v: String) { uiapi { query { Account(where: { Name: { like: $v } }) { totalCount } } } }", new { v = value }), null);
            yield return ("where in injection", Body("query($v: [String]) { uiapi { query { Contact(where: { Email: { in: $v } }) { totalCount } } } }", new { v = new[] { value, value } }), null);
            yield return ("where Id injection", Body("query($v: ID) { uiapi { query { Account(where: { Id: { eq: $v } }) { totalCount } } } }", new { v = value }), null);
            yield return ("mutation field injection", Body("mutation($v: String) { uiapi { AccountUpdate(input: { Id: \"001000000000000AAA\", Account: { Name: $v } }) { success } } }", new { v = value }), "");
        }
        yield return ("where huge in", Body("query($v: [String]) { uiapi { query { Account(where: { Name: { in: $v } }) { totalCount } } } }", new { v = Enumerable.Range(0, 5000).Select(i => $"n{i}").ToArray() }), "at most 1000 values");
        yield return ("where deep not", Body("query { uiapi { query { Account(where: " + string.Concat(Enumerable.Repeat("{ not: ", 100)) + "{ Name: { eq: \"x\" } }" + new string('}', 100) + ") { totalCount } } } }"), null);
        string deepVariables = "{\"query\":\"query($w: Account_Filter) { uiapi { query { Account(where: $w) { totalCount } } } }\",\"variables\":{\"w\":" + string.Concat(Enumerable.Repeat("{\"not\":", 60)) + "{}" + new string('}', 60) + "}}";
        yield return ("where deep variables", deepVariables, null);
        yield return ("where wrong types", Body("query { uiapi { query { Account(where: { AnnualRevenue: { eq: \"lots\" } }) { totalCount } } } }"), "");
        yield return ("where huge number", Body("query { uiapi { query { Account(where: { AnnualRevenue: { gt: 1e308 } }) { totalCount } } } }"), "outside the numbers");
        yield return ("where bad date", Body("query { uiapi { query { Account(where: { CreatedDate: { gt: { value: \"yesterday-ish\" } } }) { totalCount } } } }"), "is not a date and time");
        yield return ("orderBy unsortable", Body("query { uiapi { query { Account(orderBy: { Description: { order: ASC } }) { totalCount } } } }"), "");
        yield return ("bad cursor", Body("query { uiapi { query { Account(after: \"" + new string('A', 10_000) + "\") { totalCount } } } }"), "is not a cursor");
        yield return ("variables not an object", "{\"query\":\"query { uiapi { query { Account { totalCount } } } }\",\"variables\":[1,2]}", null);
        yield return ("query not a string", "{\"query\":42}", null);
        yield return ("body an array", "[{\"query\":\"{ uiapi { query { Account { totalCount } } } }\"}]", null);
        yield return ("empty body", "", null);
        yield return ("unknown operation", Body("query A { uiapi { query { Account { totalCount } } } }").Replace("}\"", "}\",\"operationName\":\"B\""), null);
        yield return ("mutation other tenant id", Body("mutation($id: ID!) { uiapi { AccountDelete(input: { Id: $id }) { Id } } }", new { id = victim["Account"] }), "");
        yield return ("subscription", Body("subscription { uiapi { query { Account { totalCount } } } }"), "Subscriptions are not supported");
        yield return ("wide fragments", Body("query { uiapi { query { Account { edges { node { ...F } } } } } } fragment F on Account { " + string.Concat(Enumerable.Repeat("Id ", 3000)) + "}"), "at most 1000 fields");
    }

    [Fact]
    public async Task HostileDocuments_NoServerErrors_LimitsEnforced_NoStateChange()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = await VictimDataset.CreateAsync(server, "GraphQL victim");
        var prober = await server.CreateTenantAsync("GraphQL prober");
        var http = new RawHttp(server);
        var before = StoreSnapshot.Take(server, victim.Tenant.TenantId, prober.TenantId);
        var inputs = Inputs(victim).ToList();
        var failures = new ConcurrentQueue<string>();

        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (input, token) =>
        {
            foreach (string key in new[] { victim.Tenant.ApiKey, prober.ApiKey })
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                bool asVictim = key == victim.Tenant.ApiKey;
                if (asVictim && input.Label.StartsWith("mutation", StringComparison.Ordinal)) continue;
                var response = await http.SendAsync(HttpMethod.Post, Path, key, Encoding.UTF8.GetBytes(input.Body), token);
                if (JsonRpc.Fault(response) is { } fault) failures.Enqueue($"{input.Label}: {fault}: {Clip(response.Body)}");
                else if (response.Status is not (200 or 400 or 413)) failures.Enqueue($"{input.Label}: HTTP {response.Status}: {Clip(response.Body)}");
                else if (input.Expect is { } expect && !(response.Body.Contains("\"errors\"", StringComparison.Ordinal) && response.Body.Contains(expect, StringComparison.OrdinalIgnoreCase)))
                    failures.Enqueue($"{input.Label}: expected an error with '{expect}': {Clip(response.Body)}");
                TestContext.Current.TestOutputHelper!.WriteLine($"{input.Label}: {response.Status} in {clock.ElapsedMilliseconds} ms");
                if (!asVictim && LeakCheck.Leaks(victim, response.Body, input.Body, markers: true) is { Count: > 0 } leaks)
                    failures.Enqueue($"{input.Label}: leaked {string.Join(", ", leaks)}");
            }
        });

        var after = StoreSnapshot.Take(server, victim.Tenant.TenantId, prober.TenantId);
        TestContext.Current.TestOutputHelper!.WriteLine($"GraphQL hostile: {inputs.Count} inputs, {failures.Count} failures");
        Assert.True(failures.IsEmpty, $"{failures.Count} failures:\n" + string.Join("\n", failures));
        Assert.Equal(before.VictimHash, after.VictimHash);
        Assert.Empty(after.ChangedSince(before));
    }

    static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
