using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Two real `revops serve` processes on different ports sharing one PostgreSQL database and one Redis
/// (--db, --redis), as a scaled-out deployment runs. Run in test.sh's PostgreSQL pass; they need
/// redis-server installed.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    readonly TestCluster _cluster = new();

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    Task<(ServeProcess A, ServeProcess B)> StartTwoNodesAsync(params string[] flags) => _cluster.StartTwoNodesAsync(flags);

    const string Rest = "services/data/v60.0/sobjects/Contact";

    [Fact]
    public async Task TwoNodes_WriteOnOne_ReadOnTheOtherAtOnce_EveryTime()
    {
        var (a, b) = await StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Two Nodes");
        for (int i = 0; i < 20; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (a, b) : (b, a);
            string email = $"ada{i}@two-nodes.example";
            var created = await writer.SendAsync(HttpMethod.Post, Rest, key, new { LastName = $"Node{i}", Email = email });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            string id = created.Body.Str("id");

            var read = await reader.SendAsync(HttpMethod.Get, $"{Rest}/{id}", key);
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.Equal(email, read.Body.Str("Email"));

            // The other node updates it; the first reads the new value back at once.
            Assert.Equal(HttpStatusCode.NoContent, (await reader.SendAsync(HttpMethod.Patch, $"{Rest}/{id}", key, new { Title = $"Title {i}" })).Status);
            var reread = await writer.SendAsync(HttpMethod.Get, $"{Rest}/{id}", key);
            Assert.Equal($"Title {i}", reread.Body.Str("Title"));
        }
        // Ids minted on both nodes, all distinct, all listed by either node.
        var all = await b.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Id, Email FROM Contact"), key);
        Assert.Equal(20, all.Body.GetProperty("totalSize").GetInt32());
        Assert.Equal(20, all.Body.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).Distinct().Count());
    }

    [Fact]
    public async Task KeyRevokedOnOneNode_RefusedOnTheOtherWithinASecond()
    {
        var (a, b) = await StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, admin) = await a.CreateTenantAsync("Revocation");
        var made = await a.SendAsync(HttpMethod.Post, "api/keys", admin, new { scope = "read" });
        Assert.Equal(HttpStatusCode.Created, made.Status);
        string secret = made.Body.Str("api_key"), keyId = made.Body.Str("id");

        // Node B has the key cached from this call.
        Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Get, Rest, secret)).Status);
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Delete, $"api/keys/{keyId}", admin)).Status);

        var revokedAt = DateTime.UtcNow;
        HttpStatusCode status;
        while ((status = (await b.SendAsync(HttpMethod.Get, Rest, secret)).Status) == HttpStatusCode.OK && DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(3))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        var took = DateTime.UtcNow - revokedAt;
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(took < TimeSpan.FromSeconds(1), $"node B still took the revoked key {took.TotalMilliseconds:0} ms after the revocation on node A");
        Assert.Equal(HttpStatusCode.Unauthorized, (await a.SendAsync(HttpMethod.Get, Rest, secret)).Status);
    }

    [Fact]
    public async Task CustomFieldDefinedOnOneNode_WritableAndDescribedOnTheOtherAtOnce()
    {
        var (a, b) = await StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Schema Across");
        // Both nodes have the tenant's schema cached (no custom fields yet).
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Get, $"{Rest}/describe", key)).Status);
        Assert.DoesNotContain("Lead_Score__c", (await b.SendAsync(HttpMethod.Get, $"{Rest}/describe", key)).Body.GetRawText());

        await using (var mcp = await Mcp.ConnectAsync(new Uri(a.BaseUri, "mcp"), key))
            Assert.NotEqual(true, (await mcp.CallToolAsync("define_custom_field", Mcp.Arguments(new { @object = "Contact", api_name = "Lead_Score__c", type = "Number" }),
                cancellationToken: TestContext.Current.CancellationToken)).IsError);

        var created = await b.SendAsync(HttpMethod.Post, Rest, key, new { LastName = "Scored", Lead_Score__c = 42 });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(42, (await a.SendAsync(HttpMethod.Get, $"{Rest}/{created.Body.Str("id")}", key)).Body.GetProperty("Lead_Score__c").GetDouble());
        // B's describe lists it too: the notice through Redis dropped B's cached schema.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (!(await b.SendAsync(HttpMethod.Get, $"{Rest}/describe", key)).Body.GetRawText().Contains("Lead_Score__c", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "node B's describe did not list the field a second after node A defined it");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task RateLimit_CountedAcrossNodes_NotPerNode()
    {
        var (a, b) = await StartTwoNodesAsync("--rate-limits", "free=2/10");
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Shared Bucket");

        int allowed = 0, refused = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 40; i++)
        {
            var reply = await (i % 2 == 0 ? a : b).SendAsync(HttpMethod.Get, "api/keys", key);
            if (reply.Status == HttpStatusCode.OK) allowed++;
            else if (reply.Status == HttpStatusCode.TooManyRequests) refused++;
        }
        // One bucket of 10 plus what 2/s refills while the 40 calls run (seconds on a loaded machine); per-node buckets would
        // have let 20 through, plus twice that refill.
        int refill = (int)Math.Ceiling(2 * clock.Elapsed.TotalSeconds);
        Assert.InRange(allowed, 10, 10 + refill + 1);
        Assert.Equal(40 - allowed, refused);
    }

    [Fact]
    public async Task ChangeStreamOnOneNode_GetsAWriteOnTheOther_WithoutWaitingForItsHeartbeat()
    {
        var (a, b) = await StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Stream Across");
        string? id = null;
        var streamed = await TestCluster.FirstStreamedChangeAsync(b, key, async () =>
            id = (await a.SendAsync(HttpMethod.Post, Rest, key, new { LastName = "Streamed", Email = "streamed@example.com" })).Body.Str("id"));
        Assert.NotNull(streamed);
        Assert.Equal(id, streamed.Value.Change.Str("recordId"));
        Assert.Equal("created", streamed.Value.Change.Str("operation"));
    }

    [Fact]
    public async Task Webhooks_BothNodesDispatching_EachEventDeliveredOnce_InOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (a, b) = await StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Webhooks Once");
        var hook = await a.SendAsync(HttpMethod.Post, "api/webhooks", key, new { url = receiver.Url().ToString(), secret = WebhookReceiver.Secret });
        Assert.Equal(HttpStatusCode.Created, hook.Status);

        var ids = new List<string>();
        for (int i = 0; i < 30; i++)
            ids.Add((await (i % 2 == 0 ? a : b).SendAsync(HttpMethod.Post, Rest, key, new { LastName = $"Hooked{i}" })).Body.Str("id"));

        var arrived = await receiver.WaitForAsync(r => r.Count >= 30, TimeSpan.FromSeconds(30));
        // Give a second dispatcher the time it would need to send anything twice.
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        arrived = receiver.Accepted;
        Assert.Equal(30, arrived.Count);
        Assert.Equal(30, arrived.Select(e => e.EventId).Distinct().Count());
        Assert.All(arrived, e => Assert.True(e.SignatureValid));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), arrived.Select(e => e.Seq()).Order());
        Assert.Equal(ids.Order(), arrived.Select(e => e.RecordId()).Order());
    }

    [Fact]
    public async Task Usage_MeteredOnBothNodes_FlushedOnceEach_TotalIsExact()
    {
        var (a, b) = await StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Usage Both");
        string id = (await a.SendAsync(HttpMethod.Post, Rest, key, new { LastName = "Metered" })).Body.Str("id");
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Get, $"{Rest}/{id}", key)).Status);
        for (int i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Get, $"{Rest}/{id}", key)).Status);

        // 1 create + 3 reads on A, 5 reads on B; each node flushes its own counts every second.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        long seen;
        while ((seen = (await b.SendAsync(HttpMethod.Get, "api/usage", key)).Body.GetProperty("totals").GetProperty("requests").GetInt64()) < 9
               && DateTime.UtcNow < deadline)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(9, seen);
        // Flushes after that add nothing: neither node counts the other's requests or its own twice.
        await Task.Delay(2500, TestContext.Current.CancellationToken);
        Assert.Equal(9, (await a.SendAsync(HttpMethod.Get, "api/usage", key)).Body.GetProperty("totals").GetProperty("requests").GetInt64());
    }
}
