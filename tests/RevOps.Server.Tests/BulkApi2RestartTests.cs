using System.Net;
using System.Text;

namespace RevOps.Server.Tests;

/// <summary>A real `revops serve` killed with SIGKILL while it processes an ingest job, then started again on the same data.</summary>
public sealed class BulkApi2RestartTests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-bulk2-" + Guid.NewGuid().ToString("N"));
    string? _database;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(_data);

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(_database);
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Kill9_MidJob_ResumesAfterRestartAndWritesEveryRowOnce()
    {
        const int Rows = 6000;
        int port = ServeProcess.FreePort();
        using var http = new HttpClient();
        string key, id;
        long processedAtKill;
        var csv = new StringBuilder("FirstName,LastName,Email\n");
        for (int i = 0; i < Rows; i++) csv.Append($"Row,Resume{i:D5},resume{i}@bulk.test\n");
        await using (var first = await ServeProcess.StartAsync(_data, port, new Dictionary<string, string>()))
        {
            (_, key) = await first.CreateTenantAsync("Resume", "enterprise");
            var bulk = new BulkApi2Client(http, first.BaseUri, key);
            id = await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert"}""");
            Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(id, csv.ToString())).Status);
            await bulk.SetStateAsync("ingest", id, "UploadComplete");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var (_, info) = await bulk.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest/" + id);
                processedAtKill = info.GetProperty("numberRecordsProcessed").GetInt64();
                if (processedAtKill > 0 || DateTime.UtcNow > deadline) break;
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }
            first.Kill();
        }
        Assert.InRange(processedAtKill, 1, Rows - 1); // killed part-way, or the test proves nothing

        await using (var second = await ServeProcess.StartAsync(_data, port, new Dictionary<string, string>()))
        {
            var bulk = new BulkApi2Client(http, second.BaseUri, key);
            var done = await bulk.WaitAsync("ingest", id, TimeSpan.FromSeconds(180));
            Assert.Equal("JobComplete", done.Str("state"));
            Assert.Equal(Rows, done.GetProperty("numberRecordsProcessed").GetInt32());
            Assert.Equal(0, done.GetProperty("numberRecordsFailed").GetInt32());
            Assert.True(done.GetProperty("retries").GetInt32() >= 1);
            var (_, ok) = await bulk.ResultsAsync(id, "successfulResults");
            Assert.Equal(Rows, ok.Select(r => r[0]).Distinct().Count());
            Assert.Equal(Enumerable.Range(0, Rows).Select(i => $"Resume{i:D5}"), ok.Select(r => r[3]).Order(StringComparer.Ordinal));
            var (status, count) = await second.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT COUNT() FROM Contact"), key);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(Rows, count.GetProperty("totalSize").GetInt32());
        }
    }
}
