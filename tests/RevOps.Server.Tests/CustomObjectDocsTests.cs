using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests;

/// <summary>
/// docs/custom-objects.md runs as written: its ```json calls (definitions, records, a Bulk job with the ```csv after it, a rule),
/// its ```sql queries, in order, with 001…/a00… replaced by the Ids made before them; and its `revops object|field define` lines.
/// </summary>
public sealed partial class CustomObjectDocsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task EveryExampleInTheDoc_RunsAsWritten()
    {
        var tenant = await server.CreateTenantAsync("Custom object docs");
        string doc = await File.ReadAllTextAsync(DocPath(), TestContext.Current.CancellationToken);
        string account = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Acme" } })).Str("Id");
        string? invoice = null, job = null;
        var bulk = new BulkApi2Client(server.Http, server.BaseUri, tenant.ApiKey);
        int calls = 0, queries = 0, csvs = 0;
        string Fill(string text) => text.Replace("001…", account, StringComparison.Ordinal).Replace("a00…", invoice ?? "a00…", StringComparison.Ordinal);

        foreach (Match block in Block().Matches(doc))
        {
            string kind = block.Groups[1].Value, body = block.Groups[2].Value;
            if (kind == "sql")
            {
                foreach (var query in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var rows = await tenant.CallOkAsync("soql_query", new { query = Fill(query) });
                    Assert.True(rows.GetProperty("totalSize").GetInt32() > 0, query);
                    queries++;
                }
                continue;
            }
            if (kind == "csv")
            {
                Assert.NotNull(job);
                Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(job, body)).Status);
                await bulk.SetStateAsync("ingest", job, "UploadComplete");
                var done = await bulk.WaitAsync("ingest", job);
                Assert.Equal("JobComplete", done.Str("state"));
                Assert.Equal(0, done.GetProperty("numberRecordsFailed").GetInt32());
                csvs++;
                continue;
            }
            foreach (var written in JsonValues(body))
            {
                var call = JsonDocument.Parse(Fill(written.GetRawText())).RootElement;
                if (call.TryGetProperty("operation", out _))
                {
                    job = await bulk.CreateIngestAsync(call.GetRawText());
                }
                else if (call.TryGetProperty("actions", out _))
                {
                    await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Status__c", type = "Text" });
                    Assert.Equal("Invoice__c", (await tenant.CallOkAsync("manage_automation", new { action = "create", rule = call })).Str("object"));
                }
                else if (call.TryGetProperty("define_object", out _) || call.TryGetProperty("api_name", out _))
                {
                    await tenant.CallOkAsync("define_custom_field", call);
                }
                else
                {
                    string id = (await tenant.CallOkAsync("create_record", call)).Str("Id");
                    if (call.Str("object") == "Invoice__c") invoice ??= id;
                }
                calls++;
            }
        }
        Assert.Equal((10, 3, 1), (calls, queries, csvs));
        var upserted = await tenant.CallOkAsync("soql_query", new { query = "SELECT Erp_Id__c, Amount__c FROM Invoice__c ORDER BY Erp_Id__c" });
        Assert.Equal(["E-1:150", "E-2:80"], upserted.GetProperty("records").EnumerateArray().Select(r => $"{r.Str("Erp_Id__c")}:{r.GetProperty("Amount__c").GetDouble()}"));

        // The shell lines, in another tenant.
        var shell = await server.CreateTenantAsync("Custom object docs shell");
        var lines = ShellLine().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, lines.Count);
        foreach (var line in lines)
        {
            var args = Word().Matches(line.Replace("<id>", shell.TenantId, StringComparison.Ordinal)).Select(m => m.Value.Trim('"')).Skip(1).ToList();
            var run = await Cli.RunAsync([.. args, "--data", server.DataDirectory]);
            Assert.True(run.ExitCode == 0, $"{line}: {run.StdOut} {run.StdErr}");
        }
        var described = await shell.CallOkAsync("describe_object", new { @object = "Invoice__c" });
        Assert.Contains("Account__c", described.GetRawText());
    }

    /// <summary>The JSON values of a block, one after another (a value may span lines).</summary>
    static List<JsonElement> JsonValues(string block)
    {
        var values = new List<JsonElement>();
        string pending = "";
        foreach (var line in block.Split('\n'))
        {
            pending += line + "\n";
            if (pending.Trim().Length == 0) continue;
            try
            {
                values.Add(JsonDocument.Parse(pending).RootElement.Clone());
                pending = "";
            }
            catch (JsonException)
            {
                // not a whole value yet
            }
        }
        Assert.Equal("", pending.Trim());
        return values;
    }

    static string DocPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "custom-objects.md"))) return Path.Combine(dir.FullName, "docs", "custom-objects.md");
        throw new FileNotFoundException("docs/custom-objects.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```(json|sql|csv)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex("`(revops (?:object|field) define [^`]+)`")]
    private static partial Regex ShellLine();

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex Word();
}
