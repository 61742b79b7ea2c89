using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;

namespace RevOps.Server.Tests;

/// <summary>Real `revops serve` processes killed with SIGKILL mid-delivery, then started again on the same data (SQLite file or PostgreSQL database).</summary>
public sealed class WebhookCrashTests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-crash-" + Guid.NewGuid().ToString("N"));
    string? _database;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(_data);

    static readonly Dictionary<string, string> FastRetries = new()
    {
        ["REVOPS_WEBHOOK_RETRY_BASE_MS"] = "50",
        ["REVOPS_WEBHOOK_RETRY_MAX_MS"] = "300",
        ["REVOPS_WEBHOOK_TIMEOUT_MS"] = "1000",
    };

    [Fact]
    public async Task Kill9_WithDeliveriesInFlightAndQueued_AllDeliveredAfterRestart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int port = ServeProcess.FreePort();
        var env = new Dictionary<string, string>(FastRetries) { ["REVOPS_ALLOW_PRIVATE_WEBHOOKS"] = "1" };
        string tenant, key;
        var ids = new List<string>();
        await using (var first = await ServeProcess.StartAsync(_data, port, env))
        {
            (tenant, key) = await first.CreateTenantAsync("Crash");
            await CreateWebhookAsync(first, key, receiver.Url());
            await using var mcp = await Mcp.ConnectAsync(new Uri(first.BaseUri, "mcp"), key);
            for (int i = 0; i < 3; i++)
            {
                string id = Mcp.Structured(await mcp.CallToolAsync("create_contact", Mcp.Arguments(new { LastName = $"Crash{i}" }), cancellationToken: TestContext.Current.CancellationToken)).Str("Id");
                ids.Add(id);
                for (int n = 0; n < 2; n++)
                    await mcp.CallToolAsync("update_contact", Mcp.Arguments(new { Id = id, Title = $"T{n}" }), cancellationToken: TestContext.Current.CancellationToken);
            }
            await receiver.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            // The dispatcher turns the last changes into deliveries a moment after their commits: wait for all nine.
            var queued = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (PendingAndDelivered(tenant) != (9L, 0L) && DateTime.UtcNow < queued)
                await Task.Delay(20, TestContext.Current.CancellationToken);
            first.Kill(); // an attempt is in flight (held by the receiver), the rest are queued
        }
        Assert.Empty(receiver.Accepted);
        Assert.Equal((9L, 0L), PendingAndDelivered(tenant));

        receiver.Hold.TrySetResult();
        receiver.Hold = null;
        await using (await ServeProcess.StartAsync(_data, port, env))
        {
            var arrived = WebhookReceiver.Distinct(await receiver.WaitForAsync(r => WebhookReceiver.Distinct(r).Count >= 9, TimeSpan.FromSeconds(30)));
            Assert.Equal(9, arrived.Count);
            Assert.All(arrived, e => Assert.True(e.SignatureValid));
            Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), arrived.Select(e => e.Seq()).Order());
            foreach (var id in ids)
                Assert.Equal(["created", "updated", "updated"], arrived.Where(e => e.RecordId() == id).Select(e => e.Operation()));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (PendingAndDelivered(tenant) != (0L, 9L) && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);
            Assert.Equal((0L, 9L), PendingAndDelivered(tenant));
        }
    }

    [Fact]
    public async Task RestartWithoutTheFlag_PrivateTargetRefusedAtConnect_NothingSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        int port = ServeProcess.FreePort();
        string key, hook;
        await using (var allowed = await ServeProcess.StartAsync(_data, port, FastRetries, "--allow-private-webhooks"))
        {
            (_, key) = await allowed.CreateTenantAsync("Rebinding");
            hook = await CreateWebhookAsync(allowed, key, receiver.Url());
        }
        await using var strict = await ServeProcess.StartAsync(_data, port, FastRetries);
        await using var mcp = await Mcp.ConnectAsync(new Uri(strict.BaseUri, "mcp"), key);
        await mcp.CallToolAsync("create_contact", Mcp.Arguments(new { LastName = "Never sent" }), cancellationToken: TestContext.Current.CancellationToken);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement delivery;
        while (true)
        {
            var log = Mcp.Structured(await mcp.CallToolAsync("manage_webhooks", Mcp.Arguments(new { action = "deliveries", webhook_id = hook }), cancellationToken: TestContext.Current.CancellationToken));
            if (log.GetProperty("count").GetInt32() == 1 && (delivery = log.GetProperty("deliveries")[0]).TryGetProperty("lastError", out _)) break;
            if (DateTime.UtcNow > deadline) Assert.Fail("no attempt recorded");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Equal($"refused: host '127.0.0.1' resolves to 127.0.0.1, a loopback, private, link-local or unique-local address; webhooks go only to public addresses unless the operator runs revops serve --allow-private-webhooks. (127.0.0.1:{receiver.Url().Port})",
            delivery.Str("lastError"));
        Assert.Equal(0, receiver.Requests);
    }

    static async Task<string> CreateWebhookAsync(ServeProcess server, string key, Uri url)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "api/webhooks"))
        {
            Content = JsonContent.Create(new { url = url.ToString(), secret = WebhookReceiver.Secret }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).Str("id");
    }

    (long Pending, long Delivered) PendingAndDelivered(string tenant)
    {
        if (_database is not null)
        {
            using var pg = new Npgsql.NpgsqlConnection(_database);
            pg.Open();
            using var count = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'delivered') FROM webhook_deliveries WHERE tenant_id = @t", pg);
            count.Parameters.AddWithValue("t", Guid.Parse(tenant));
            using var counted = count.ExecuteReader();
            counted.Read();
            return (counted.GetInt64(0), counted.GetInt64(1));
        }
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "revops.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'delivered'), 0) FROM webhook_deliveries WHERE tenant_id = $t";
        command.Parameters.AddWithValue("$t", tenant);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(_database);
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
