using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace RevOps.Server.Tests.Files;

/// <summary>
/// A real `revops serve --files s3://…` on a real S3-compatible server (s3rver): uploads both ways land in the bucket under the
/// tenant's prefix and hash, come back byte for byte (also after kill -9), are stored once, and count once against the quota.
/// </summary>
public sealed class FilesS3Tests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-files-s3-" + Guid.NewGuid().ToString("N"));
    S3rver _s3 = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        await TestDatabase.CreateAsync(_data);
        _s3 = await S3rver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _s3.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<byte[]> DownloadAsync(ServeProcess serve, string key, string version)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.BaseUri, $"services/data/v60.0/sobjects/ContentVersion/{version}/VersionData"));
        request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    static async Task<string> UploadMultipartAsync(ServeProcess serve, string key, byte[] bytes, string name)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(serve.BaseUri, "services/data/v60.0/sobjects/ContentVersion"))
        {
            Content = FilesTests.Multipart(new { PathOnClient = name }, bytes, name),
        };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request, Ct);
        string body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Str("id");
    }

    [Fact]
    public async Task Uploads_LiveInTheBucketUnderTheTenant_ComeBackAfterKill9_AndSameBytesCountOnce()
    {
        int port = ServeProcess.FreePort();
        var env = S3rver.Credentials();
        string[] flags = ["--files", _s3.FilesUrl("crm"), "--file-quota", "20000000"];
        byte[] small = RandomNumberGenerator.GetBytes(6000), large = RandomNumberGenerator.GetBytes(Storage.Files.S3FileBlobStore.PartSize * 2 + 777);
        string tenant, key, smallVersion, largeVersion;
        await using (var serve = await ServeProcess.StartAsync(_data, port, env, flags))
        {
            (tenant, key) = await serve.CreateTenantAsync("S3 files", "professional");
            var created = await serve.SendAsync(HttpMethod.Post, "/services/data/v60.0/sobjects/ContentVersion", key,
                new { PathOnClient = "notes.txt", VersionData = Convert.ToBase64String(small) });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            smallVersion = created.Body.Str("id");
            var stored = await serve.SendAsync(HttpMethod.Get, $"/services/data/v60.0/sobjects/ContentVersion/{smallVersion}", key);
            Assert.Equal(Convert.ToHexStringLower(MD5.HashData(small)), stored.Body.Str("Checksum"));
            largeVersion = await UploadMultipartAsync(serve, key, large, "big.bin");
            // The same 16 MB again: one object, and the quota (20 MB) still has room because they count once.
            string again = await UploadMultipartAsync(serve, key, large, "big-copy.bin");
            Assert.NotEqual(largeVersion, again);
            serve.Kill();
        }

        string tenantFolder = Guid.Parse(tenant).ToString("N");
        Assert.Equal(new[] { Convert.ToHexStringLower(SHA256.HashData(small)), Convert.ToHexStringLower(SHA256.HashData(large)) }.Order(),
            _s3.ObjectNames($"crm/{tenantFolder}").Where(n => n.Length == 64));
        Assert.False(Directory.Exists(Path.Combine(_data, "files")));

        await using var restarted = await ServeProcess.StartAsync(_data, port, env, flags);
        Assert.Equal(small, await DownloadAsync(restarted, key, smallVersion));
        Assert.Equal(large, await DownloadAsync(restarted, key, largeVersion));
        var (other, otherKey) = await restarted.CreateTenantAsync("S3 other", "professional");
        var probe = await restarted.SendAsync(HttpMethod.Get, $"/services/data/v60.0/sobjects/ContentVersion/{largeVersion}/VersionData", otherKey);
        Assert.Equal(HttpStatusCode.NotFound, probe.Status);
        Assert.NotEqual(tenant, other);
    }

    public static TheoryData<string, string> BadUrls => new()
    {
        { "s3://Bad_Bucket?endpoint=http://127.0.0.1:9", "is no S3 bucket name" },
        { "s3://key:secret@bucket?endpoint=http://127.0.0.1:9", "must not carry credentials" },
        { "s3://bucket?endpoint=ftp://127.0.0.1:9", "is no http(s) URL" },
        { "s3://bucket?endpoint=http://127.0.0.1:9/bucket", "must be the store's address only" },
        { "s3://bucket?endpoint=http://127.0.0.1:9&secret=x", "unknown parameter 'secret'" },
        { "s3://bucket", "region is missing" },
        { "s3://bucket?region=eu-west-1&prefix=../x", "may hold only letters" },
        { "gs://bucket", "give a local folder or an s3://bucket" },
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task BadS3Urls_StopTheServerAtStartup_SayingWhatToFix(string url, string message)
    {
        var output = await ServeAsync(url, S3rver.Credentials());
        Assert.Equal(1, output.ExitCode);
        Assert.Contains(message, output.StdErr + output.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", output.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCredentials_OrAnUnknownBucket_StopTheServerAtStartup()
    {
        var none = await ServeAsync(_s3.FilesUrl(), new() { ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_data, "absent") });
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no S3 credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", none.StdErr + none.StdOut, StringComparison.Ordinal);

        string file = Path.Combine(_data, "aws-credentials");
        await File.WriteAllTextAsync(file, $"[default]\naws_access_key_id = {S3rver.AccessKey}\naws_secret_access_key = {S3rver.SecretKey}\n", Ct);
        var unknown = await ServeAsync(_s3.FilesUrl().Replace(_s3.Bucket, "no-such-bucket", StringComparison.Ordinal), new() { ["AWS_SHARED_CREDENTIALS_FILE"] = file });
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("NoSuchBucket", unknown.StdErr + unknown.StdOut, StringComparison.Ordinal);
    }

    async Task<Cli.Output> ServeAsync(string files, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[Cli.DllPath, "serve", "--data", _data, "--urls", "http://127.0.0.1:0", "--files", files])
            start.ArgumentList.Add(arg);
        foreach (string name in (string[])["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        if (TestDatabase.ForDataDirectory(_data) is { } database) start.Environment["REVOPS_DB"] = database;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); Assert.Fail("revops serve started instead of refusing --files " + files); }
        return new Cli.Output(process.ExitCode, await stdout, await stderr);
    }
}
