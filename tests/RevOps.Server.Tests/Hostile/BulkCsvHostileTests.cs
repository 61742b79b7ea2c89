using System.Net;
using System.Text;

namespace RevOps.Server.Tests.Hostile;

/// <summary>Hostile CSV sent to Bulk API 2.0 uploads: each gets a clear error (the upload, or the row), never a 5xx, and keeps nothing half-stored.</summary>
public sealed class BulkCsvHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<(BulkApi2Client Bulk, string Id)> OpenJobAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        var bulk = new BulkApi2Client(server.Http, server.BaseUri, tenant.ApiKey);
        return (bulk, await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert"}"""));
    }

    [Fact]
    public async Task HugeField_FailsItsRowOnly()
    {
        var (bulk, id) = await OpenJobAsync("Hostile huge field");
        string csv = "LastName,Description\nFine,short\nHuge," + new string('x', 300_000) + "\nAlso Fine,\"unclosed\n";
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(id, csv)).Status);
        await bulk.SetStateAsync("ingest", id, "UploadComplete");
        var done = await bulk.WaitAsync("ingest", id);
        Assert.Equal("JobComplete", done.Str("state"));
        Assert.Equal(["Fine"], (await bulk.ResultsAsync(id, "successfulResults")).Rows.Select(r => r[2]));
        var failed = (await bulk.ResultsAsync(id, "failedResults")).Rows.ToDictionary(r => r[2], r => r[1]);
        Assert.Contains("at most 131,072", failed["Huge"]);
        Assert.Contains("no closing quote", failed["Also Fine"]);
    }

    [Fact]
    public async Task TenThousandColumns_HeaderRefused_RowFailsAlone()
    {
        var (bulk, id) = await OpenJobAsync("Hostile columns");
        string wide = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"C{i}__c"));
        var header = await bulk.UploadAsync(id, wide + "\n" + wide + "\n");
        Assert.Equal(HttpStatusCode.BadRequest, header.Status);
        Assert.Contains("5,000", header.Body);

        string row = string.Join(",", Enumerable.Range(0, 10_000).Select(i => "v"));
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(id, "LastName\n" + row + "\nNarrow\n")).Status);
        await bulk.SetStateAsync("ingest", id, "UploadComplete");
        Assert.Equal("JobComplete", (await bulk.WaitAsync("ingest", id)).Str("state"));
        Assert.Equal(["Narrow"], (await bulk.ResultsAsync(id, "successfulResults")).Rows.Select(r => r[2]));
        Assert.Contains("more than 5,000 values", Assert.Single((await bulk.ResultsAsync(id, "failedResults")).Rows)[1]);
    }

    [Fact]
    public async Task InvalidUtf8AfterManyRows_RefusesTheUploadAndKeepsNoneOfIt()
    {
        var (bulk, id) = await OpenJobAsync("Hostile encoding");
        var text = new StringBuilder("LastName\n");
        for (int i = 0; i < 12_000; i++) text.Append("Row").Append(i).Append('\n');
        byte[] body = [.. Encoding.UTF8.GetBytes(text.ToString()), 0xFF, 0xFE, (byte)'\n'];
        var refused = await bulk.UploadAsync(id, body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("not UTF-8", refused.Body);
        Assert.Contains("INVALIDBATCH", refused.Body);
        await bulk.SetStateAsync("ingest", id, "UploadComplete");
        var done = await bulk.WaitAsync("ingest", id);
        Assert.Equal("Failed", done.Str("state"));
        Assert.Equal(0, done.GetProperty("numberRecordsProcessed").GetInt32());
    }

    [Fact]
    public async Task ControlCharactersAndGarbage_NeverAServerError()
    {
        var (bulk, id) = await OpenJobAsync("Hostile garbage");
        string csv = "LastName,Title\nNul\u0000Name,x\n\"\u0001\u0002\",\"\u001b[31m\"\nOk,\"a\"\"b\"\n\"bad\"tail,y\n,,,,\n";
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(id, csv)).Status);
        await bulk.SetStateAsync("ingest", id, "UploadComplete");
        var done = await bulk.WaitAsync("ingest", id);
        Assert.Equal("JobComplete", done.Str("state"));
        Assert.Equal(5, done.GetProperty("numberRecordsProcessed").GetInt32());
        var ok = (await bulk.ResultsAsync(id, "successfulResults")).Rows;
        Assert.Contains(ok, r => r[2] == "Ok" && r[3] == "a\"b");
        var failed = (await bulk.ResultsAsync(id, "failedResults")).Rows;
        Assert.Contains(failed, r => r[1].Contains("closing quote", StringComparison.Ordinal));
        Assert.Equal(5, ok.Count + failed.Count);
        Assert.Contains(failed, r => r[2] == "Nul\uFFFDName" && r[1].Contains("NUL", StringComparison.Ordinal));
        foreach (var path in new[] { "ingest/" + id + "/batches", "ingest/%00", "query/" + new string('7', 5000) + "/results?locator=" + new string('A', 40) })
        {
            var (status, _, _) = await bulk.SendAsync(HttpMethod.Get, BulkApi2Client.Base + path);
            Assert.True((int)status < 500, $"{path}: {(int)status}");
        }
    }
}
