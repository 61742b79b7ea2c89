using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Issue 7 (a): tenant B sends every MCP tool and REST endpoint (discovered, not listed) tenant A's
/// Ids, names, emails, cursors and filters. B must get exactly the answer it gets for values nobody
/// holds, never one of A's markers or Ids, and A's data must not change.
/// </summary>
public sealed class CrossTenantMatrixTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task EveryToolAndEndpoint_OtherTenantsValues_AnswerAsIfAbsentAndChangeNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = await VictimDataset.CreateAsync(server, "Victim A");
        var reader = await server.CreateTenantAsync("Prober B (reads)");
        var writer = await server.CreateTenantAsync("Prober B (writes)");
        var http = new RawHttp(server);
        var tools = DiscoveredTool.FromListResult(JsonRpc.Result(await http.McpAsync(writer.ApiKey, JsonRpc.Request("tools/list", new JsonObject()), ct)));
        var routes = DiscoveredRoute.From(server);
        Assert.True(tools.Count >= ToolNames.All.Length, $"tools/list returned {tools.Count} tools");
        Assert.True(routes.Count >= 25, $"found {routes.Count} routes");
        var before = StoreSnapshot.Take(server, victim.Tenant.TenantId, reader.TenantId, writer.TenantId);

        var probes = McpProbes.For(tools, victim, http, reader.ApiKey, writer.ApiKey).Concat(RestProbes.For(routes, victim, http, reader.ApiKey, writer.ApiKey)).ToList();
        var failures = new ConcurrentQueue<string>();
        int requests = 0;
        await Parallel.ForEachAsync(probes.Where(p => p.ChangesSchema), new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = ct }, RunAsync);
        await Parallel.ForEachAsync(probes.Where(p => !p.ChangesSchema), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = ct }, RunAsync);

        async ValueTask RunAsync(Probe probe, CancellationToken token)
        {
            var (sent, response) = await probe.Send(probe.Secret, token);
            Interlocked.Increment(ref requests);
            if (JsonRpc.Fault(response) is { } fault) failures.Enqueue($"{probe.Label} [{probe.Secret}]: {fault}: {Clip(response.Body)}");
            var leaks = LeakCheck.Leaks(victim, response.Body, sent, markers: !probe.ByWriter);
            if (leaks.Count > 0) failures.Enqueue($"{probe.Label} [{probe.Secret}]: leaked {string.Join(", ", leaks)}: {Clip(response.Body)}");
            if (!probe.Compare) return;
            string control = LeakCheck.ControlFor(probe.Secret);
            var (_, controlResponse) = await probe.Send(control, token);
            Interlocked.Increment(ref requests);
            string mine = LeakCheck.Normalize(response.Body, probe.Secret), absent = LeakCheck.Normalize(controlResponse.Body, control);
            if (response.Status != controlResponse.Status || mine != absent)
                failures.Enqueue($"{probe.Label} [{probe.Secret}]: answers differ from a value nobody holds: {response.Status} {Clip(mine)} vs {controlResponse.Status} {Clip(absent)}");
        }

        var after = StoreSnapshot.Take(server, victim.Tenant.TenantId, reader.TenantId, writer.TenantId);
        TestContext.Current.TestOutputHelper!.WriteLine($"cross-tenant matrix: {tools.Count} tools, {routes.Count} routes, {probes.Count} probes, {requests} requests, {failures.Count} failures, victim rows {after.VictimRows}");
        var byProbe = failures.GroupBy(f => f[..f.IndexOf(" [", StringComparison.Ordinal)]).Select(g => $"{g.Key}: {g.Count()}, e.g. {g.First()}");
        Assert.True(failures.IsEmpty, $"{failures.Count} cross-tenant failures:\n" + string.Join("\n", byProbe));
        Assert.Equal(before.VictimHash, after.VictimHash);
        Assert.Empty(after.ChangedSince(before));
    }

    static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
