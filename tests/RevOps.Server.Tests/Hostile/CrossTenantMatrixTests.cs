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
        // The writer's probes create records with the same values again and again; its own duplicates would make a
        // probe's answer differ from its control's. Duplicate rules across tenants have a test of their own below.
        var rulesOff = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/duplicate-rules", writer.ApiKey,
            """{"email": "off", "name_account": "off", "phone": "off", "name": "off", "website": "off"}""");
        Assert.Equal(System.Net.HttpStatusCode.OK, rulesOff.Status);
        var http = new RawHttp(server);
        var tools = DiscoveredTool.FromListResult(JsonRpc.Result(await http.ListEveryToolAsync(writer.ApiKey, ct)));
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

    [Fact]
    public async Task DuplicateRules_AnotherTenantsSameRecords_AreNeverReportedOrBlocking()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = await server.CreateTenantAsync("Duplicates victim");
        var prober = await server.CreateTenantAsync("Duplicates prober");
        string account = (await victim.CallOkAsync("create_account", new { Name = "Shared Name Inc", Website = "https://shared.test" })).Str("Id");
        await victim.CallOkAsync("create_contact", new { FirstName = "Same", LastName = "Person", Email = "same@shared.test", Phone = "+1 212 555 0100", AccountId = account });
        await victim.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Same", LastName = "Person", Company = "Shared Name Inc", Email = "lead@shared.test" } });
        await victim.CallOkAsync("create_contact", new { LastName = "Bulk", Email = "bulk@shared.test", MobilePhone = "+1 646 555 0199" });
        await victim.CallOkAsync("create_contact", new { LastName = "Rest", Email = "rest@shared.test" });

        // Every rule would match these in the victim's tenant; in the prober's they are new, even when blocking.
        var mine = await prober.CallOkAsync("create_account", new { Name = "SHARED NAME", Website = "shared.test", on_duplicate = "block" });
        var contact = await prober.CallOkAsync("create_record", new { @object = "Contact", fields = new { FirstName = "Same", LastName = "Person", Email = "SAME@shared.test", Phone = "212-555-0100" }, on_duplicate = "block" });
        var lead = await prober.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Same", LastName = "Person", Company = "Shared Name Inc", Email = "lead@shared.test" }, on_duplicate = "block" });
        Assert.All(new[] { mine, contact, lead }, r => Assert.False(r.TryGetProperty("possibleDuplicates", out _), r.GetRawText()));
        var bulk = await prober.CallOkAsync("bulk_write", new { @object = "Lead", operation = "create", on_duplicate = "block",
            records = new object[] { new { LastName = "Bulk", Company = "Elsewhere", Email = "bulk@shared.test", MobilePhone = "6465550199" } } });
        Assert.Equal(1, bulk.GetProperty("succeeded").GetInt32());
        Assert.False(bulk.TryGetProperty("duplicates", out _));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "services/data/v60.0/composite/sobjects"))
        {
            Content = new StringContent("""{"allOrNone":true,"records":[{"attributes":{"type":"Contact"},"LastName":"Rest","Email":"rest@shared.test"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + prober.ApiKey);
        request.Headers.TryAddWithoutValidation("Sforce-Duplicate-Rule-Header", "allowSave=false");
        using var response = await server.Http.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        Assert.Contains("\"success\":true", text);
        Assert.DoesNotContain(account, text);
    }

    static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
