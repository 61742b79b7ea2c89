using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// What the tests of several nodes share: one fresh PostgreSQL database, one private Redis (unless
/// <paramref name="withRedis"/> is false: the nodes then hear each other through PostgreSQL's
/// LISTEN/NOTIFY), and the `revops serve` processes started on them. Needs REVOPS_TEST_PG (test.sh's
/// PostgreSQL pass) and, with Redis, redis-server.
/// </summary>
public sealed class TestCluster(bool withRedis = true) : IAsyncLifetime
{
    /// <summary>The data directory every node is given (the admin token; records are in the database).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "revops-cluster-" + Guid.NewGuid().ToString("N"));
    public string? Database { get; private set; }
    public TestRedis Redis { get; private set; } = null!;

    /// <summary>Wide limits unless a test sets its own: these tests make hundreds of calls as one free tenant.</summary>
    public const string WideRateLimits = "free=100000/100000";

    static readonly Dictionary<string, string> PrivateWebhooks = new() { ["REVOPS_ALLOW_PRIVATE_WEBHOOKS"] = "1" };

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(DataDirectory);
        Assert.True(Database is not null, "the cluster tests need PostgreSQL: run them with REVOPS_TEST_PG set, as test.sh's PostgreSQL pass does");
        if (withRedis) Redis = await TestRedis.StartAsync();
    }

    /// <summary>Node <paramref name="nodeId"/> on the shared database and Redis (webhooks may reach loopback receivers).</summary>
    public Task<ServeProcess> StartNodeAsync(int nodeId, params string[] flags)
    {
        if (!flags.Contains("--rate-limits")) flags = ["--rate-limits", WideRateLimits, .. flags];
        string[] redis = withRedis ? ["--redis", Redis.Configuration] : [];
        return ServeProcess.StartAsync(DataDirectory, ServeProcess.FreePort(), PrivateWebhooks,
            [.. redis, "--node-id", nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture), .. flags]);
    }

    /// <summary>Node 1 and node 2, each listening for the other's notices; the first start migrates, the second finds the schema current.</summary>
    public async Task<(ServeProcess A, ServeProcess B)> StartTwoNodesAsync(params string[] flags)
    {
        var a = await StartNodeAsync(1, flags);
        var b = await StartNodeAsync(2, flags);
        await WaitForGaugeAsync(a, "revops_notices_listening");
        await WaitForGaugeAsync(b, "revops_notices_listening");
        return (a, b);
    }

    /// <summary>Until the node's revops_redis_connected gauge reads <paramref name="expected"/> (1: notices sent from now on reach it).</summary>
    public static Task WaitForRedisAsync(ServeProcess node, int expected = 1) => WaitForGaugeAsync(node, "revops_redis_connected", expected);

    /// <summary>Until the node's <paramref name="gauge"/> reads <paramref name="expected"/>.</summary>
    public static async Task WaitForGaugeAsync(ServeProcess node, string gauge, int expected = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        using var http = new HttpClient();
        while (true)
        {
            string metrics = await http.GetStringAsync(new Uri(node.BaseUri, "metrics"), TestContext.Current.CancellationToken);
            if (metrics.Split('\n').Any(l => l.StartsWith(gauge, StringComparison.Ordinal) && l.EndsWith($" {expected}", StringComparison.Ordinal)))
                return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"node {node.BaseUri} never reported {gauge} {expected}:\n{node.Output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Opens <paramref name="node"/>'s change stream, runs <paramref name="write"/> (on any node), and
    /// returns the first change the stream sends and how long after the write it came; null after 5 s.
    /// The stream's heartbeat re-read is every 15 s, so a change well before that came by a notice.
    /// </summary>
    public static async Task<(JsonElement Change, TimeSpan After)?> FirstStreamedChangeAsync(ServeProcess node, string key, Func<Task> write)
    {
        var (changes, after) = await StreamedChangesAsync(node, key, write, 1);
        return changes.Count == 0 ? null : (changes[0], after);
    }

    /// <summary>
    /// As <see cref="FirstStreamedChangeAsync"/>, until the stream has sent <paramref name="count"/> changes: those that
    /// came within 5 s of the write's end, and how long after it the last of them came.
    /// </summary>
    public static async Task<(IReadOnlyList<JsonElement> Changes, TimeSpan After)> StreamedChangesAsync(ServeProcess node, string key, Func<Task> write, int count)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseUri, "api/changes/stream"));
        request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        using var lines = new StreamReader(stream);
        // Let the stream reach its wait before the write (it sends ": connected" or a first heartbeat comment first).
        await Task.Delay(300, TestContext.Current.CancellationToken);

        await write();
        var writtenAt = System.Diagnostics.Stopwatch.StartNew();
        var changes = new List<JsonElement>();
        var after = TimeSpan.Zero;
        using var within = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        within.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            while (changes.Count < count && await lines.ReadLineAsync(within.Token) is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    changes.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
                    after = writtenAt.Elapsed;
                }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }
        return (changes, after);
    }

    public async ValueTask DisposeAsync()
    {
        if (withRedis) await Redis.DisposeAsync();
        await TestDatabase.DropAsync(Database);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
