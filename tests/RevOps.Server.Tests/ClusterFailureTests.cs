using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ModelContextProtocol.Client;

namespace RevOps.Server.Tests;

/// <summary>
/// What a scaled-out deployment must survive: a node killed under load, Redis going away, PostgreSQL
/// restarting. Real `revops serve` processes, a private Redis, and (for the restart) a private
/// PostgreSQL cluster, so nothing here disturbs the other tests. Run in test.sh's PostgreSQL pass.
/// </summary>
public sealed class ClusterFailureTests : IAsyncLifetime
{
    readonly TestCluster _cluster = new();

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    const string Rest = "services/data/v60.0/sobjects/Contact";

    [Fact]
    public async Task KillOneNodeUnderLoad_ClientsRetryOnTheOther_NoAcknowledgedWriteLostOrDoubled()
    {
        await using var a = await _cluster.StartNodeAsync(1);
        await using var b = await _cluster.StartNodeAsync(2);
        var (_, key) = await a.CreateTenantAsync("Failover");

        // Each writer sends to node A until it fails, then retries that same write (same
        // idempotency key) on node B and stays there, as a client behind a load balancer would.
        var acknowledged = new ConcurrentDictionary<string, string>(); // idempotency key -> record id
        int retriedOnB = 0;
        using var stop = new CancellationTokenSource();
        async Task WriteAsync(int writer)
        {
            McpClient? onA = null, onB = null;
            try
            {
                try
                {
                    onA = await Mcp.ConnectAsync(new Uri(a.BaseUri, "mcp"), key);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or ModelContextProtocol.McpException or TaskCanceledException)
                {
                    onB = await Mcp.ConnectAsync(new Uri(b.BaseUri, "mcp"), key);
                }
                for (int n = 0; !stop.IsCancellationRequested; n++)
                {
                    string idempotency = $"w{writer}-{n}";
                    var arguments = Mcp.Arguments(new { LastName = $"Failover {writer}-{n}", Email = $"w{writer}.{n}@failover.example", idempotency_key = idempotency });
                    string? id = null;
                    if (onB is null)
                    {
                        try
                        {
                            id = Mcp.Structured(await onA!.CallToolAsync("create_contact", arguments, cancellationToken: TestContext.Current.CancellationToken)).Str("Id");
                        }
                        catch (Exception e) when (e is HttpRequestException or IOException or ModelContextProtocol.McpException or TaskCanceledException)
                        {
                            onB = await Mcp.ConnectAsync(new Uri(b.BaseUri, "mcp"), key);
                            Interlocked.Increment(ref retriedOnB);
                        }
                    }
                    id ??= Mcp.Structured(await onB!.CallToolAsync("create_contact", arguments, cancellationToken: TestContext.Current.CancellationToken)).Str("Id");
                    Assert.True(acknowledged.TryAdd(idempotency, id));
                }
            }
            finally
            {
                if (onA is not null) await onA.DisposeAsync();
                if (onB is not null) await onB.DisposeAsync();
            }
        }
        var writers = Enumerable.Range(0, 8).Select(WriteAsync).ToArray();
        var loaded = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (acknowledged.Count < 80 && DateTime.UtcNow < loaded && !writers.Any(w => w.IsFaulted))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        int beforeKill = acknowledged.Count;
        a.Kill();
        int afterKill = acknowledged.Count;
        var drained = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (acknowledged.Count < afterKill + 80 && DateTime.UtcNow < drained && !writers.Any(w => w.IsFaulted))
            await Task.Delay(10, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(beforeKill > 0, "no write was acknowledged before node A was killed");
        Assert.True(acknowledged.Count > beforeKill, "no write was acknowledged by node B after the kill");
        Assert.True(retriedOnB > 0, "no writer had a write in flight on A to retry on B");
        // Every acknowledged record is on B with what was written, and the retries made no duplicates.
        var listed = await b.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Id, Email FROM Contact LIMIT 2000"), key);
        var stored = listed.Body.GetProperty("records").EnumerateArray().ToDictionary(r => r.Str("Id"), r => r.Str("Email"));
        Assert.Equal(acknowledged.Count, stored.Count);
        foreach (var (idempotency, id) in acknowledged)
        {
            var (writer, n) = (idempotency[1..idempotency.IndexOf('-')], idempotency[(idempotency.IndexOf('-') + 1)..]);
            Assert.Equal($"w{writer}.{n}@failover.example", stored[id]);
        }
    }

    [Fact]
    public async Task RedisDown_NodesKeepServing_ThenRecoverAndShareAgain()
    {
        await using var a = await _cluster.StartNodeAsync(1);
        await using var b = await _cluster.StartNodeAsync(2);
        await TestCluster.WaitForRedisAsync(a);
        await TestCluster.WaitForRedisAsync(b);
        var (_, key) = await a.CreateTenantAsync("Redis Outage");

        _cluster.Redis.Kill();
        await TestCluster.WaitForRedisAsync(a, expected: 0);
        // Still serving: writes on one node are read on the other (the database is shared; Redis never held records).
        for (int i = 0; i < 5; i++)
        {
            var created = await a.SendAsync(HttpMethod.Post, Rest, key, new { LastName = $"Outage{i}", Email = $"outage{i}@example.com" });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            var read = await b.SendAsync(HttpMethod.Get, $"{Rest}/{created.Body.Str("id")}", key);
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.Equal($"outage{i}@example.com", read.Body.Str("Email"));
        }
        Assert.Contains("is unreachable", a.Output);

        await _cluster.Redis.StartAgainAsync();
        await TestCluster.WaitForRedisAsync(a);
        await TestCluster.WaitForRedisAsync(b);
        Assert.Contains("reachable again", a.Output);

        // Shared again: a revocation on A reaches B's cache through Redis.
        var made = await a.SendAsync(HttpMethod.Post, "api/keys", key, new { scope = "read" });
        string secret = made.Body.Str("api_key");
        Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Get, Rest, secret)).Status);
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Delete, $"api/keys/{made.Body.Str("id")}", key)).Status);
        var revokedAt = DateTime.UtcNow;
        while ((await b.SendAsync(HttpMethod.Get, Rest, secret)).Status == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow - revokedAt < TimeSpan.FromSeconds(1), "node B still took the revoked key a second after the revocation");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task PostgresRestart_NodeNotReadyWhileDown_RecoversByItself_NothingAcknowledgedLost()
    {
        string cluster = Path.Combine(Path.GetTempPath(), "revops-pg-restart-" + Guid.NewGuid().ToString("N"));
        string data = _cluster.DataDirectory + "-restart";
        string server = ClusterScript("start", cluster).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        try
        {
            string database = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "revops_restart" }.ConnectionString;
            await using (var connection = new Npgsql.NpgsqlConnection(server))
            {
                await connection.OpenAsync(TestContext.Current.CancellationToken);
                await using var create = new Npgsql.NpgsqlCommand("CREATE DATABASE revops_restart", connection);
                await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            await using var node = await ServeProcess.StartAsync(data, ServeProcess.FreePort(), new Dictionary<string, string>(), "--db", database, "--redis", _cluster.Redis.Configuration);
            await WaitForReadyAsync(node, HttpStatusCode.OK);
            var (_, key) = await node.CreateTenantAsync("Restart");
            var written = new Dictionary<string, string>();
            for (int i = 0; i < 10; i++)
            {
                var created = await node.SendAsync(HttpMethod.Post, Rest, key, new { LastName = $"Before{i}", Email = $"before{i}@example.com" });
                Assert.Equal(HttpStatusCode.Created, created.Status);
                written[created.Body.Str("id")] = $"before{i}@example.com";
            }

            ClusterScript("stop", cluster);
            var down = await WaitForReadyAsync(node, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("database", down.Body.Str("message"));
            // A write while the database is down is refused, never acknowledged.
            var refused = await node.SendAsync(HttpMethod.Post, Rest, key, new { LastName = "During", Email = "during@example.com" });
            Assert.False(refused.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"a write was acknowledged while PostgreSQL was down: {refused.Status}");

            ClusterScript("start-again", cluster);
            await WaitForReadyAsync(node, HttpStatusCode.OK);
            // Same process, no restart: it reconnected by itself and serves what it acknowledged before.
            for (int i = 0; i < 5; i++)
            {
                var created = await node.SendAsync(HttpMethod.Post, Rest, key, new { LastName = $"After{i}", Email = $"after{i}@example.com" });
                Assert.Equal(HttpStatusCode.Created, created.Status);
                written[created.Body.Str("id")] = $"after{i}@example.com";
            }
            var listed = await node.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Id, Email FROM Contact"), key);
            var stored = listed.Body.GetProperty("records").EnumerateArray().ToDictionary(r => r.Str("Id"), r => r.Str("Email"));
            Assert.Equal(written.OrderBy(p => p.Key), stored.OrderBy(p => p.Key));
        }
        finally
        {
            try { ClusterScript("stop", cluster); } catch (Xunit.Sdk.XunitException) { }
            try { Directory.Delete(cluster, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    static async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> WaitForReadyAsync(ServeProcess node, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var reply = await node.SendAsync(HttpMethod.Get, "ready", null);
            if (reply.Status == expected) return reply;
            if (DateTime.UtcNow > deadline) Assert.Fail($"/ready stayed {reply.Status}, expected {expected}:\n{node.Output}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>tests/postgres/cluster.sh from the repository this test binary was built in.</summary>
    static string ClusterScript(string verb, string directory)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tests", "postgres", "cluster.sh"))) dir = dir.Parent;
        Assert.True(dir is not null, "tests/postgres/cluster.sh not found above " + AppContext.BaseDirectory);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // fsync and synchronous_commit on, as in production: with them off PostgreSQL itself forgets its last commits in a crash.
        start.Environment["REVOPS_PG_DURABLE"] = "1";
        foreach (var arg in (string[])[Path.Combine(dir.FullName, "tests", "postgres", "cluster.sh"), verb, directory]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"cluster.sh {verb} failed ({process.ExitCode}): {error}");
        return output;
    }
}
