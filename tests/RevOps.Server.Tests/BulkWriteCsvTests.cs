using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;

namespace RevOps.Server.Tests;

/// <summary>
/// bulk_write with csv: rows as CSV text through the import engine (headers by API name or label, parents by value),
/// each row reported, progress notifications per batch of 1,000 rows to a real MCP client, and cancellation.
/// </summary>
public sealed class BulkWriteCsvTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    sealed class Recorder : IProgress<ProgressNotificationValue>
    {
        public ConcurrentQueue<ProgressNotificationValue> Seen { get; } = new();
        public void Report(ProgressNotificationValue value) => Seen.Enqueue(value);
    }

    static string Contacts(int count, string tag, int badEvery = 0)
    {
        var csv = new StringBuilder("First Name,Last Name,Email,Account Name\n");
        for (int i = 0; i < count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"F{i},{tag} {i},{(badEvery > 0 && i % badEvery == badEvery - 1 ? "not-an-email" : $"{tag.ToLowerInvariant()}{i}@example.com")},Csv Corp\n");
        return csv.ToString();
    }

    static int Total(JsonElement page) => page.GetProperty("totalSize").GetInt32();

    [Fact]
    public async Task Csv2500Rows_LabelsAndParentsByName_BadRowsReportedPerRow_GoodRowsLand_ProgressPerBatch()
    {
        var tenant = await server.CreateTenantAsync("Bulk csv");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Csv Corp" })).Str("Id");
        await using var client = await tenant.ConnectMcpAsync();
        var progress = new Recorder();
        var result = await client.CallToolAsync("bulk_write", Mcp.Arguments(new { @object = "Contact", operation = "create", csv = Contacts(2_500, "Csv", badEvery: 500) }),
            progress, cancellationToken: TestContext.Current.CancellationToken);
        var body = Mcp.Structured(result);
        Assert.Equal(2_500, body.GetProperty("total").GetInt32());
        Assert.Equal(2_495, body.GetProperty("succeeded").GetInt32());
        Assert.Equal(5, body.GetProperty("failed").GetInt32());
        Assert.False(body.GetProperty("cancelled").GetBoolean());
        // Big inputs answer compactly: no 2,500 ids.
        Assert.Equal("Left out for 2,500 rows; find the records with soql_query (e.g. by CreatedDate = TODAY).", body.Str("ids"));
        var errors = body.GetProperty("errors").EnumerateArray().ToArray();
        Assert.Equal([499, 999, 1499, 1999, 2499], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.All(errors, e =>
        {
            Assert.Equal("Email", e.Str("column"));
            Assert.Equal("not-an-email", e.Str("value"));
            Assert.Equal("INVALID_FIELD_VALUE", e.Str("code"));
            Assert.Contains("not-an-email", e.Str("message"));
        });

        Assert.Equal(2_495, Total(await tenant.CallOkAsync("soql_query", new { query = $"SELECT COUNT() FROM Contact WHERE AccountId = '{account}'" })));
        Assert.Equal("csv7@example.com", (await tenant.CallOkAsync("soql_query", new { query = "SELECT Email FROM Contact WHERE LastName = 'Csv 7'" }))
            .GetProperty("records")[0].Str("Email"));

        var seen = progress.Seen.ToArray();
        Assert.True(seen.Length >= 3, $"{seen.Length} progress notifications reached IProgress");
        Assert.Equal(new[] { 0f, 1000f, 2000f, 2500f }.Take(seen.Length), seen.Select(p => p.Progress));
        Assert.All(seen, p => Assert.Equal(2500f, p.Total));
    }

    [Fact]
    public async Task CsvSmall_AnswersIdsInRowOrder_UpdateById_SkipsDuplicates()
    {
        var tenant = await server.CreateTenantAsync("Bulk csv small");
        var created = Mcp.Structured(await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "create", csv = "LastName;Company;Email\nNg;Acme;ng@acme.test\nOh;Beta;oh@beta.test\n" }));
        var ids = created.GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToArray();
        Assert.Equal(2, ids.Length);
        Assert.All(ids, id => Assert.StartsWith("00Q", id));

        var updated = Mcp.Structured(await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "update", csv = $"Id,Company\n{ids[1]},Beta Inc\n" }));
        Assert.Equal(1, updated.GetProperty("succeeded").GetInt32());
        Assert.Equal(ids[1], updated.GetProperty("ids")[0].GetString());
        Assert.Equal("Beta Inc", (await tenant.CallOkAsync("get_record", new { Id = ids[1] })).Str("Company"));

        Assert.Equal("REQUIRED_FIELD_MISSING: bulk_write: csv row 2 has no Id; update needs one in every row (create the others with operation create). Nothing was written.",
            Mcp.ErrorText(await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "update", csv = $"Id,Company\n{ids[0]},X\n,Y\n" })));

        var skipped = Mcp.Structured(await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "create", on_duplicate = "skip", csv = "LastName,Company,Email\nNg,Acme,NG@acme.test\nPa,Gamma,pa@gamma.test\n" }));
        Assert.Equal(1, skipped.GetProperty("succeeded").GetInt32());
        Assert.Equal(1, skipped.GetProperty("skipped").GetInt32());
        Assert.Equal(JsonValueKind.Null, skipped.GetProperty("ids")[0].ValueKind);
        var skip = Assert.Single(skipped.GetProperty("errors").EnumerateArray());
        Assert.Equal(0, skip.GetProperty("index").GetInt32());
        Assert.Equal("SKIPPED_DUPLICATE", skip.Str("code"));
        Assert.StartsWith($"Skipped: may duplicate Lead {ids[0]} (Ng) by email", skip.Str("message"));

        Assert.Equal("INVALID_FIELD: Lead has no field for the column 'Shoe Size'. Rename each to a field's API name or label (revops field list shows custom fields), or remove it; parents go as Account.Name, Account.<External_Id__c> or Owner.Email. Nothing was written.",
            Mcp.ErrorText(await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "create", csv = "LastName,Company,Shoe Size\nZed,Z,44\n" })));
        Assert.Equal("INVALID_ARGUMENT: bulk_write: send records or csv, not both.",
            Mcp.ErrorText(await tenant.CallAsync("bulk_write", new { @object = "Lead", operation = "create", csv = "LastName\nA\n", records = new[] { new { LastName = "B" } } })));
        Assert.Equal(3, Total(await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Lead" })));
    }

    [Fact]
    public async Task CsvCancelled_StopsBetweenChunks_AnswerMatchesWhatWasWritten()
    {
        var tenant = await server.CreateTenantAsync("Bulk csv cancel");
        await tenant.CallOkAsync("create_account", new { Name = "Csv Corp" });
        string call = JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0", id = "csv-1", method = "tools/call",
            @params = new { name = "bulk_write", arguments = new { @object = "Contact", operation = "create", csv = Contacts(10_000, "Stop") }, _meta = new { progressToken = "p1" } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(call, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        JsonElement? final = null;
        bool cancelled = false;
        while (final is null && await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var message = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            if (message.TryGetProperty("result", out var result)) final = result.GetProperty("structuredContent").Clone();
            else if (!cancelled && message.GetProperty("params").GetProperty("progress").GetDouble() > 0)
            {
                using var cancel = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
                {
                    Content = new StringContent("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"csv-1\"}}", Encoding.UTF8, "application/json"),
                };
                cancel.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
                cancel.Headers.Accept.ParseAdd("application/json");
                cancel.Headers.Accept.ParseAdd("text/event-stream");
                using var answer = await server.Http.SendAsync(cancel, TestContext.Current.CancellationToken);
                Assert.Equal(System.Net.HttpStatusCode.Accepted, answer.StatusCode);
                cancelled = true;
            }
        }
        var body = Assert.NotNull(final);
        Assert.True(body.GetProperty("cancelled").GetBoolean());
        int succeeded = body.GetProperty("succeeded").GetInt32(), notAttempted = body.GetProperty("notAttempted").GetInt32();
        Assert.True(notAttempted > 0);
        Assert.Equal(0, body.GetProperty("failed").GetInt32());
        Assert.Equal(0, succeeded % 200);
        Assert.Equal(10_000, succeeded + notAttempted);
        Assert.Equal(succeeded, Total(await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Contact" })));
    }
}
