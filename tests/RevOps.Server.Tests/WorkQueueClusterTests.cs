using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// The work queue on two real `revops serve` processes sharing one PostgreSQL database: agents on both nodes claim at
/// once and every item is leased exactly once; a claim made on one node is finished on the other. Run in test.sh's
/// PostgreSQL pass (the name keeps it out of the SQLite pass).
/// </summary>
public sealed class WorkQueueClusterTests : IAsyncLifetime
{
    readonly TestCluster _cluster = new(withRedis: false);

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ConcurrentClaimersOnTwoNodes_ClaimEveryItemExactlyOnce()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Work Across", tier: "professional");
        var enqueued = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            var node = i % 2 == 0 ? a : b;
            var created = await node.SendAsync(HttpMethod.Post, "api/work", key, new { queue = "research", prompt = $"Research company {i}", priority = i % 3 == 0 ? "high" : "normal" });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            enqueued.Add(created.Body.Str("id"));
        }

        // 30 claimers per node, all at once: 60 claims for 40 items.
        var claims = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? a : b).SendAsync(HttpMethod.Post, "api/work/claim", key, new { queue = "research" })));
        Assert.All(claims, c => Assert.Equal(HttpStatusCode.OK, c.Status));
        var won = claims.Select((c, i) => (Node: i % 2, Claim: c.Body)).Where(c => c.Claim.GetProperty("item").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(40, won.Count);
        Assert.Equal(enqueued.Order(StringComparer.Ordinal), won.Select(c => c.Claim.GetProperty("item").Str("id")).Order(StringComparer.Ordinal));
        Assert.True(won.Any(c => c.Node == 0) && won.Any(c => c.Node == 1), "both nodes won claims");

        // Each claim is finished on the node that did not make it.
        foreach (var (node, claim) in won)
        {
            string id = claim.GetProperty("item").Str("id");
            var done = await (node == 0 ? b : a).SendAsync(HttpMethod.Post, $"api/work/{id}/complete", key, new { lease = claim.Str("lease"), note = "done on the other node" });
            Assert.Equal((HttpStatusCode.OK, "done"), (done.Status, done.Body.Str("state")));
        }
        var list = await a.SendAsync(HttpMethod.Get, "api/work?queue=research", key);
        var counts = list.Body.GetProperty("counts");
        Assert.Equal((0L, 0L, 40L, 0L), (counts.GetProperty("queued").GetInt64(), counts.GetProperty("claimed").GetInt64(), counts.GetProperty("done").GetInt64(), counts.GetProperty("failed").GetInt64()));
    }
}
