using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Issue 7 (c): at least 10,000 generated malformed or hostile inputs over MCP and REST get no 5xx,
/// no JSON-RPC internal error and no UNKNOWN_EXCEPTION, and change no stored data. Reads run as the
/// victim tenant (its data is in the snapshot); anything that could be a valid write runs as a scratch
/// tenant whose rows the snapshot leaves out.
/// </summary>
public sealed class HostileCorpusTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task GeneratedCorpus_NoServerErrorsAndNoStateChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = await VictimDataset.CreateAsync(server, "Corpus victim");
        var scratch = await server.CreateTenantAsync("Corpus scratch");
        var http = new RawHttp(server);
        var tools = DiscoveredTool.FromListResult(JsonRpc.Result(await http.ListEveryToolAsync(victim.Tenant.ApiKey, ct)));
        var corpus = HostileCorpus.Generate(tools, DiscoveredRoute.From(server), victim.Ids);
        var before = StoreSnapshot.Take(server, victim.Tenant.TenantId, scratch.TenantId);

        var faults = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (input, token) =>
        {
            var response = await http.SendAsync(new HttpMethod(input.Method), input.Path, input.AsScratch ? scratch.ApiKey : victim.Tenant.ApiKey, input.Body, token);
            if (JsonRpc.Fault(response) is { } fault && !IsSoapClientFault(input, response))
                faults.Enqueue($"{input.Label}: {input.Method} {Clip(input.Path)} {Clip(input.Body is null ? "" : System.Text.Encoding.UTF8.GetString(input.Body))} -> {fault}: {Clip(response.Body)}");
        });

        var after = StoreSnapshot.Take(server, victim.Tenant.TenantId, scratch.TenantId);
        var changed = after.ChangedSince(before);
        int stateChanges = changed.Count + (after.VictimHash == before.VictimHash ? 0 : 1);
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"hostile corpus (seed {HostileCorpus.Seed}): inputs tried {corpus.Count}, 5xx/internal errors seen {faults.Count}, state changes {stateChanges} ({string.Join(", ", changed)}), {clock.Elapsed.TotalSeconds:F1} s");
        var byLabel = faults.GroupBy(f => f[..f.IndexOf(':', StringComparison.Ordinal)]).Select(g => $"{g.Key}: {g.Count()}, e.g. {g.First()}");
        Assert.True(faults.IsEmpty, $"{faults.Count} faults:\n" + string.Join("\n", byLabel));
        Assert.True(corpus.Count >= 10_000, $"only {corpus.Count} inputs");
        Assert.Equal(0, stateChanges);
        Assert.Equal(before.VictimRows, after.VictimRows);
    }

    /// <summary>SOAP answers every fault with HTTP 500, as Salesforce does and jsforce expects; a client fault there is not a server error.</summary>
    static bool IsSoapClientFault(HostileInput input, RawResponse response) =>
        input.Path.StartsWith("/services/Soap/", StringComparison.Ordinal) && response.Status == 500
        && response.Body.Contains("<soapenv:Fault>", StringComparison.Ordinal) && !response.Body.Contains("<faultcode>soapenv:Server</faultcode>", StringComparison.Ordinal);

    static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
