using System.Net;

namespace RevOps.Server.Tests;

/// <summary>
/// Two real `revops serve` processes sharing one PostgreSQL database and no Redis: they hear each
/// other's commits and schema changes through PostgreSQL's LISTEN/NOTIFY. Run in test.sh's
/// PostgreSQL pass (the name keeps it out of the SQLite pass, which has no shared database).
/// </summary>
public sealed class NoRedisClusterTests : IAsyncLifetime
{
    readonly TestCluster _cluster = new(withRedis: false);

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    const string Rest = "services/data/v60.0/sobjects/Contact";

    [Fact]
    public async Task ChangeStreamOnOneNode_GetsAWriteOnTheOther_ThroughPostgresNotify()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Notify Across");
        string? id = null;
        var streamed = await TestCluster.FirstStreamedChangeAsync(b, key, async () =>
            id = (await a.SendAsync(HttpMethod.Post, Rest, key, new { LastName = "Notified" })).Body.Str("id"));
        Assert.NotNull(streamed);
        Assert.Equal(id, streamed.Value.Change.Str("recordId"));
        // Without the notice node B would see it at its 15 s heartbeat; LISTEN/NOTIFY takes milliseconds.
        Assert.True(streamed.Value.After < TimeSpan.FromSeconds(2), $"arrived {streamed.Value.After.TotalMilliseconds} ms after the write");
    }

    [Fact]
    public async Task ChangeStreamOnOneNode_GetsEveryChangeOfABurstOnTheOther_ByNotices()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Notify Burst");
        const int Burst = 40;
        string[] written = [];
        // Concurrent commits: notices of several commits may go in one round trip, and none may be lost.
        var (streamed, _) = await TestCluster.StreamedChangesAsync(b, key, async () =>
            written = await Task.WhenAll(Enumerable.Range(0, Burst).Select(async i =>
                (await a.SendAsync(HttpMethod.Post, Rest, key, new { LastName = $"Burst{i}" })).Body.Str("id"))), Burst);

        // Collected for 5 s at most, and B's own re-read is every 15 s: only notices can have woken its stream.
        Assert.Equal(written.Order(), streamed.Select(c => c.Str("recordId")).Order());
    }

    [Fact]
    public async Task CustomFieldDefinedOnOneNode_DescribedOnTheOtherAtOnce_ThroughPostgresNotify()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (_, key) = await a.CreateTenantAsync("Schema Notify");
        Assert.DoesNotContain("Region__c", (await b.SendAsync(HttpMethod.Get, $"{Rest}/describe", key)).Body.GetRawText());

        await using (var mcp = await Mcp.ConnectAsync(new Uri(a.BaseUri, "mcp"), key))
            Assert.NotEqual(true, (await mcp.CallToolAsync("define_custom_field", Mcp.Arguments(new { @object = "Contact", api_name = "Region__c", type = "Text" }),
                cancellationToken: TestContext.Current.CancellationToken)).IsError);

        // B's cached schema lives 5 s; the notice drops it at once.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (!(await b.SendAsync(HttpMethod.Get, $"{Rest}/describe", key)).Body.GetRawText().Contains("Region__c", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "node B's describe did not list the field a second after node A defined it");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        var written = await b.SendAsync(HttpMethod.Post, Rest, key, new { LastName = "Regional", Region__c = "EMEA" });
        Assert.Equal(HttpStatusCode.Created, written.Status);
        Assert.Equal("EMEA", (await a.SendAsync(HttpMethod.Get, $"{Rest}/{written.Body.Str("id")}", key)).Body.Str("Region__c"));
    }
}
