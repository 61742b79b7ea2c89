using System.Net;
using System.Security.Cryptography;

namespace RevOps.Server.Tests;

/// <summary>
/// A real `revops serve --files … --file-quota …`: bytes live in the folder given, a tenant's quota refuses what does not
/// fit with a clear error, and an acknowledged file survives kill -9.
/// </summary>
public sealed class FilesQuotaTests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-files-quota-" + Guid.NewGuid().ToString("N"));
    string Files => Path.Combine(_data, "elsewhere");

    public async ValueTask InitializeAsync() => await TestDatabase.CreateAsync(_data);

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        return ValueTask.CompletedTask;
    }

    static object Upload(byte[] bytes, string name) => new { PathOnClient = name, VersionData = Convert.ToBase64String(bytes) };

    [Fact]
    public async Task Quota_RefusesWhatDoesNotFit_AndAnAcknowledgedFileSurvivesKill9()
    {
        int port = ServeProcess.FreePort();
        var env = new Dictionary<string, string>();
        byte[] first = RandomNumberGenerator.GetBytes(6000), second = RandomNumberGenerator.GetBytes(6000);
        string key, version;
        await using (var serve = await ServeProcess.StartAsync(_data, port, env, "--files", Files, "--file-quota", "10000"))
        {
            (_, key) = await serve.CreateTenantAsync("Quota", "professional");
            var ok = await serve.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/ContentVersion", key, Upload(first, "a.bin"));
            Assert.Equal(HttpStatusCode.Created, ok.Status);
            version = ok.Body.Str("id");

            var full = await serve.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/ContentVersion", key, Upload(second, "b.bin"));
            Assert.Equal(HttpStatusCode.BadRequest, full.Status);
            Assert.Equal("STORAGE_LIMIT_EXCEEDED", full.Body[0].Str("errorCode"));
            Assert.Equal("This org's file storage is full: 6,000 of 10,000 bytes are used, and the file does not fit in the 4,000 left. Delete files (and empty the recycle bin) or ask an admin to raise the quota (--file-quota).",
                full.Body[0].Str("message"));
            var count = await serve.SendAsync(HttpMethod.Get, "/services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Id FROM ContentVersion"), key);
            Assert.Equal(1, count.Body.GetProperty("totalSize").GetInt32());
            serve.Kill();
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(first));
        Assert.Single(Directory.EnumerateFiles(Files, hash, SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(_data, "files")));

        await using var again = await ServeProcess.StartAsync(_data, port, env, "--files", Files, "--file-quota", "10000");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(again.BaseUri, $"services/data/v60.0/sobjects/ContentVersion/{version}/VersionData"));
        request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(first, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BytesTheTenantStoresAlready_CountOnce_EvenWhenTheQuotaIsNearlyFull()
    {
        int port = ServeProcess.FreePort();
        byte[] kept = RandomNumberGenerator.GetBytes(6000), other = RandomNumberGenerator.GetBytes(6000);
        await using var serve = await ServeProcess.StartAsync(_data, port, new Dictionary<string, string>(), "--files", Files, "--file-quota", "10000");
        var (_, key) = await serve.CreateTenantAsync("Quota dedupe", "professional");
        const string Route = "/services/data/v60.0/sobjects/ContentVersion";
        var first = await serve.SendAsync(HttpMethod.Post, Route, key, FilesQuotaTests.Upload(kept, "a.bin"));
        Assert.Equal(HttpStatusCode.Created, first.Status);
        // 6,000 of 10,000 used: the same 6,000 bytes again fit (one blob), twice; other bytes do not.
        foreach (string name in (string[])["a-copy.bin", "a-again.bin"])
            Assert.Equal(HttpStatusCode.Created, (await serve.SendAsync(HttpMethod.Post, Route, key, FilesQuotaTests.Upload(kept, name))).Status);
        var full = await serve.SendAsync(HttpMethod.Post, Route, key, FilesQuotaTests.Upload(other, "b.bin"));
        Assert.Equal((HttpStatusCode.BadRequest, "STORAGE_LIMIT_EXCEEDED"), (full.Status, full.Body[0].Str("errorCode")));
        Assert.Contains("6,000 of 10,000 bytes are used", full.Body[0].Str("message"), StringComparison.Ordinal);

        var versions = await serve.SendAsync(HttpMethod.Get, "/services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Checksum, ContentSize FROM ContentVersion"), key);
        var checksums = versions.Body.GetProperty("records").EnumerateArray().Select(r => r.Str("Checksum")).ToList();
        Assert.Equal(Enumerable.Repeat(Convert.ToHexStringLower(MD5.HashData(kept)), 3), checksums);
        // One blob, whatever the temp folder inside the store holds (the store itself may live under /tmp).
        Assert.Single(Directory.EnumerateFiles(Files, "*", SearchOption.AllDirectories),
            f => !Path.GetRelativePath(Files, f).StartsWith("tmp" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
