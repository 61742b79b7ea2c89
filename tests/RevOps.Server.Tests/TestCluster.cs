namespace RevOps.Server.Tests;

/// <summary>
/// What the tests of several nodes share: one fresh PostgreSQL database, one private Redis, and the
/// `revops serve` processes started on them. Needs REVOPS_TEST_PG (test.sh's PostgreSQL pass) and redis-server.
/// </summary>
public sealed class TestCluster : IAsyncLifetime
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
        Redis = await TestRedis.StartAsync();
    }

    /// <summary>Node <paramref name="nodeId"/> on the shared database and Redis (webhooks may reach loopback receivers).</summary>
    public Task<ServeProcess> StartNodeAsync(int nodeId, params string[] flags)
    {
        if (!flags.Contains("--rate-limits")) flags = ["--rate-limits", WideRateLimits, .. flags];
        return ServeProcess.StartAsync(DataDirectory, ServeProcess.FreePort(), PrivateWebhooks,
            ["--redis", Redis.Configuration, "--node-id", nodeId.ToString(System.Globalization.CultureInfo.InvariantCulture), .. flags]);
    }

    /// <summary>Node 1 and node 2, each connected to Redis; the first start migrates, the second finds the schema current.</summary>
    public async Task<(ServeProcess A, ServeProcess B)> StartTwoNodesAsync(params string[] flags)
    {
        var a = await StartNodeAsync(1, flags);
        var b = await StartNodeAsync(2, flags);
        await WaitForRedisAsync(a);
        await WaitForRedisAsync(b);
        return (a, b);
    }

    /// <summary>Until the node's revops_redis_connected gauge reads <paramref name="expected"/> (1: notices sent from now on reach it).</summary>
    public static async Task WaitForRedisAsync(ServeProcess node, int expected = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        using var http = new HttpClient();
        while (true)
        {
            string metrics = await http.GetStringAsync(new Uri(node.BaseUri, "metrics"), TestContext.Current.CancellationToken);
            if (metrics.Split('\n').Any(l => l.StartsWith("revops_redis_connected", StringComparison.Ordinal) && l.EndsWith($" {expected}", StringComparison.Ordinal)))
                return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"node {node.BaseUri} never reported revops_redis_connected {expected}:\n{node.Output}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        await TestDatabase.DropAsync(Database);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
