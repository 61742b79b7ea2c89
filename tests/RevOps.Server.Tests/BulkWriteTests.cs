using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;

namespace RevOps.Server.Tests;

/// <summary>
/// bulk_write: many records per call, chunked with progress notifications, partial success or
/// all-or-none, and cancellation (notifications/cancelled from the caller, on its own POST) that
/// stops between chunks with an exact account of what was written.
/// </summary>
public sealed class BulkWriteTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static object[] Contacts(int count, string tag) =>
        Enumerable.Range(0, count).Select(i => (object)new { LastName = $"{tag} {i}", Email = $"{tag.ToLowerInvariant()}{i}@example.com" }).ToArray();

    static int Total(JsonElement page) => page.GetProperty("totalSize").GetInt32();

    sealed class Recorder : IProgress<ProgressNotificationValue>
    {
        public ConcurrentQueue<ProgressNotificationValue> Seen { get; } = new();
        public void Report(ProgressNotificationValue value) => Seen.Enqueue(value);
    }

    [Fact]
    public async Task Create450_InThreeChunks_ReportsProgress_AndEveryRecordReadsBack()
    {
        var tenant = await server.CreateTenantAsync("Bulk create");
        await using var client = await tenant.ConnectMcpAsync();
        var progress = new Recorder();
        var result = await client.CallToolAsync("bulk_write", Mcp.Arguments(new { @object = "Contact", operation = "create", records = Contacts(450, "Bulk") }),
            progress, cancellationToken: TestContext.Current.CancellationToken);
        var body = Mcp.Structured(result);
        Assert.Equal(450, body.GetProperty("succeeded").GetInt32());
        Assert.Equal(0, body.GetProperty("failed").GetInt32());
        Assert.False(body.GetProperty("cancelled").GetBoolean());
        var ids = body.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(450, ids.Distinct().Count());
        Assert.All(ids, id => Assert.StartsWith("003", id));

        Assert.Equal("bulk7@example.com", (await tenant.CallOkAsync("get_record", new { Id = ids[7] })).Str("Email"));
        Assert.Equal(450, Total(await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })));

        // The SDK client hands notifications to IProgress on its own schedule and stops listening when
        // the result arrives, so the last one may be missed here; the raw stream test below sees every one.
        var seen = progress.Seen.ToArray();
        Assert.True(seen.Length >= 3, $"{seen.Length} progress notifications reached IProgress");
        Assert.Equal(new[] { 0f, 200f, 400f, 450f }.Take(seen.Length), seen.Select(p => p.Progress));
        Assert.All(seen, p => Assert.Equal(450f, p.Total));
    }

    [Fact]
    public async Task ProgressNotifications_AllPrecedeTheResult_OnTheCallsOwnStream()
    {
        var tenant = await server.CreateTenantAsync("Bulk progress stream");
        var progress = new List<(double Progress, double Total, string Message)>();
        JsonElement? final = null;
        await StreamCallAsync(tenant.ApiKey, "progress-1", Contacts(450, "Stream"), async message =>
        {
            if (message.TryGetProperty("result", out var result)) { final = result.GetProperty("structuredContent").Clone(); return; }
            var p = message.GetProperty("params");
            Assert.Equal("p1", p.Str("progressToken"));
            progress.Add((p.GetProperty("progress").GetDouble(), p.GetProperty("total").GetDouble(), p.Str("message")));
            await Task.CompletedTask;
        });
        Assert.Equal(450, Assert.NotNull(final).GetProperty("succeeded").GetInt32());
        Assert.Equal([0d, 200d, 400d, 450d], progress.Select(p => p.Progress));
        Assert.All(progress, p => Assert.Equal(450d, p.Total));
        Assert.Equal("450 of 450 Contact records processed", progress[^1].Message);
    }

    [Fact]
    public async Task InvalidRecords_FailAlone_ValidOnesAreWritten_ErrorsCarryTheIndex()
    {
        var tenant = await server.CreateTenantAsync("Bulk partial");
        var records = new object[]
        {
            new { LastName = "Good 0" }, new { LastName = "Bad 1", Email = "not-an-email" }, new { LastName = "Good 2" },
            new { FirstName = "No last name" }, new { LastName = "Good 4" },
        };
        var body = await tenant.CallOkAsync("bulk_write", new { @object = "Contact", operation = "create", records });
        Assert.Equal(3, body.GetProperty("succeeded").GetInt32());
        Assert.Equal(2, body.GetProperty("failed").GetInt32());
        var ids = body.GetProperty("ids").EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, ids[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, ids[3].ValueKind);
        var errors = body.GetProperty("errors").EnumerateArray().ToArray();
        Assert.Equal([1, 3], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal("Email", errors[0].Str("field"));
        Assert.Equal("LastName", errors[1].Str("field"));
        var names = (await tenant.CallOkAsync("find_records", new { @object = "Contact", order_by = "LastName", fields = new[] { "LastName" } }))
            .GetProperty("records").EnumerateArray().Select(r => r.Str("LastName"));
        Assert.Equal(["Good 0", "Good 2", "Good 4"], names);
    }

    [Fact]
    public async Task AllOrNone_OneInvalidRecord_WritesNothing_AndIsAnError()
    {
        var tenant = await server.CreateTenantAsync("Bulk all or none");
        var records = Contacts(300, "Atomic").Append(new { LastName = "Broken", Email = "nope" }).ToArray();
        var result = await tenant.CallAsync("bulk_write", new { @object = "Contact", operation = "create", records, all_or_none = true });
        Assert.True(result.IsError);
        var body = JsonDocument.Parse(Mcp.Text(result)).RootElement;
        Assert.Equal(0, body.GetProperty("succeeded").GetInt32());
        var broken = body.GetProperty("errors").EnumerateArray().Single(e => e.Str("code") != "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        Assert.Equal(300, broken.GetProperty("index").GetInt32());
        Assert.Equal(0, Total(await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })));
    }

    [Fact]
    public async Task UpdateAndDelete_ByIds()
    {
        var tenant = await server.CreateTenantAsync("Bulk update delete");
        var ids = (await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "create", records = new object[] { new { Name = "A" }, new { Name = "B" }, new { Name = "C" } } }))
            .GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var updated = await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "update", records = ids.Select(id => new { Id = id, Industry = "Energy" }).ToArray() });
        Assert.Equal(3, updated.GetProperty("succeeded").GetInt32());
        Assert.Equal("Energy", (await tenant.CallOkAsync("get_record", new { Id = ids[2] })).Str("Industry"));

        var deleted = await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "delete", records = new[] { new { Id = ids[0] }, new { Id = ids[1] } } });
        Assert.Equal(2, deleted.GetProperty("succeeded").GetInt32());
        var left = (await tenant.CallOkAsync("find_records", new { @object = "Account", fields = new[] { "Name" } })).GetProperty("records").EnumerateArray().Select(r => r.Str("Name"));
        Assert.Equal(["C"], left);
        Assert.Equal("A", (await tenant.CallOkAsync("restore_record", new { Id = ids[0] })).Str("Name"));
    }

    [Theory]
    [InlineData("{\"object\":\"Contact\",\"operation\":\"merge\",\"records\":[{\"LastName\":\"X\"}]}", "operation must be one of create, update, delete")]
    [InlineData("{\"object\":\"Contact\",\"operation\":\"create\",\"records\":{\"LastName\":\"X\"}}", "'records' must be an array")]
    [InlineData("{\"object\":\"Contact\",\"operation\":\"create\",\"records\":[]}", "non-empty array")]
    [InlineData("{\"object\":\"Contact\",\"operation\":\"create\",\"records\":[{\"LastName\":\"X\"},\"Y\"]}", "records[1] must be an object")]
    [InlineData("{\"object\":\"Contact\",\"operation\":\"create\",\"records\":[{\"Id\":\"003000000000001AAA\",\"LastName\":\"X\"}]}", "Leave Id out")]
    [InlineData("{\"object\":\"Contact\",\"operation\":\"update\",\"records\":[{\"LastName\":\"X\"}]}", "records[0] needs an Id")]
    [InlineData("{\"object\":\"Contactz\",\"operation\":\"create\",\"records\":[{\"LastName\":\"X\"}]}", "Did you mean 'Contact'")]
    public async Task BadArguments_AreErrorsThatSayWhatToSend_AndWriteNothing(string arguments, string expected)
    {
        var tenant = await server.CreateTenantAsync("Bulk bad input");
        var result = await tenant.CallAsync("bulk_write", JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments));
        Assert.Contains(expected, Mcp.ErrorText(result));
        Assert.Equal(0, Total(await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })));
    }

    [Fact]
    public async Task MoreThanTenThousandRecords_AreRefusedWhole()
    {
        var tenant = await server.CreateTenantAsync("Bulk too many");
        var result = await tenant.CallAsync("bulk_write", new { @object = "Contact", operation = "create", records = Contacts(10_001, "Many") });
        Assert.Contains("at most 10,000 records", Mcp.ErrorText(result));
        Assert.Equal(0, Total(await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })));
    }

    [Fact]
    public async Task NotificationsCancelled_FromTheSameCaller_StopsBetweenChunks_OthersCannotCancelIt()
    {
        var tenant = await server.CreateTenantAsync("Bulk cancel");
        var other = await server.CreateTenantAsync("Bulk cancel other");
        JsonElement? final = null;
        int cancelsSent = 0;
        double progressAtOtherCancel = 0;
        await StreamCallAsync(tenant.ApiKey, "bulk-1", Contacts(10_000, "Cancel"), async message =>
        {
            if (message.TryGetProperty("result", out var result)) { final = result.GetProperty("structuredContent").Clone(); return; }
            double progress = message.GetProperty("params").GetProperty("progress").GetDouble();
            if (cancelsSent == 0 && progress > 0)
            {
                // Another tenant's cancel of the same request id must not stop it: a later chunk still completes.
                await SendCancelAsync(other.ApiKey);
                progressAtOtherCancel = progress;
                cancelsSent = 1;
            }
            else if (cancelsSent == 1 && progress > progressAtOtherCancel + 200)
            {
                await SendCancelAsync(tenant.ApiKey);
                cancelsSent = 2;
            }
        });
        var body = Assert.NotNull(final);
        Assert.Equal(2, cancelsSent);
        Assert.True(body.GetProperty("cancelled").GetBoolean());
        int succeeded = body.GetProperty("succeeded").GetInt32();
        Assert.True(body.GetProperty("notAttempted").GetInt32() > 0);
        Assert.Equal(0, succeeded % 200);
        Assert.Equal(10_000, succeeded + body.GetProperty("notAttempted").GetInt32());
        Assert.Equal(succeeded, Total(await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })));
    }

    /// <summary>Calls bulk_write create with a progressToken over raw HTTP and hands each SSE message (progress, then the result) to <paramref name="onMessage"/>.</summary>
    async Task StreamCallAsync(string key, string requestId, object[] records, Func<JsonElement, Task> onMessage)
    {
        string call = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = requestId, method = "tools/call",
            @params = new { name = "bulk_write", arguments = new { @object = "Contact", operation = "create", records }, _meta = new { progressToken = "p1" } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(call, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var message = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            await onMessage(message);
            if (message.TryGetProperty("result", out _)) return;
        }
    }

    async Task SendCancelAsync(string key)
    {
        using var cancel = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"bulk-1\",\"reason\":\"user stopped the import\"}}", Encoding.UTF8, "application/json"),
        };
        cancel.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        cancel.Headers.Accept.ParseAdd("application/json");
        cancel.Headers.Accept.ParseAdd("text/event-stream");
        using var answer = await server.Http.SendAsync(cancel, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, answer.StatusCode);
    }
}
