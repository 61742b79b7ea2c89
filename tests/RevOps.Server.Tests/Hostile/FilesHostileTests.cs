using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Files against another tenant and hostile input (docs/files.md): another tenant's ContentVersion Id, ContentDocumentId
/// or content hash reveals nothing and links nothing; oversize base64, malformed multipart and a PathOnClient full of
/// path tricks get clear errors in Salesforce's shape, or are stored harmlessly, and change nothing else.
/// </summary>
public sealed class FilesHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string ContentVersion = "services/data/v60.0/sobjects/ContentVersion";

    static (string Code, string Message) Error(JsonElement body) => (body[0].Str("errorCode"), body[0].Str("message"));

    async Task<(string Version, string Document, string Account, byte[] Bytes)> VictimFileAsync(TestTenant victim)
    {
        string account = (await victim.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Victim files" } })).Str("Id");
        byte[] bytes = Encoding.UTF8.GetBytes("Victim's payment terms: net 90.");
        var (status, body) = await FilesTests.SendAsync(server, victim.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Json(new { PathOnClient = "terms.txt", VersionData = Convert.ToBase64String(bytes), FirstPublishLocationId = account }));
        Assert.Equal(HttpStatusCode.Created, status);
        var (_, version) = await FilesTests.SendAsync(server, victim.ApiKey, HttpMethod.Get, $"{ContentVersion}/{body.Str("id")}");
        return (body.Str("id"), version.Str("ContentDocumentId"), account, bytes);
    }

    [Fact]
    public async Task AnotherTenantsFileIds_AndContentHash_RevealNothingAndLinkNothing()
    {
        var victim = await server.CreateTenantAsync("Files victim");
        var prober = await server.CreateTenantAsync("Files prober");
        var (version, document, account, bytes) = await VictimFileAsync(victim);
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var (status, body) = await FilesTests.SendAsync(server, prober.ApiKey, HttpMethod.Get, $"{ContentVersion}/{version}");
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (status, body[0].Str("errorCode")));
        var (downloaded, content) = await FilesTests.DownloadAsync(server, prober.ApiKey, version);
        Assert.Equal(HttpStatusCode.NotFound, downloaded);
        Assert.DoesNotContain("net 90", Encoding.UTF8.GetString(content));
        (status, body) = await FilesTests.SendAsync(server, prober.ApiKey, HttpMethod.Get, $"services/data/v60.0/sobjects/ContentDocument/{document}");
        Assert.Equal(HttpStatusCode.NotFound, status);

        // A new version of the victim's document, a link to the victim's account, a link of the victim's document: all refused.
        (status, body) = await FilesTests.SendAsync(server, prober.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Json(new { PathOnClient = "evil.txt", VersionData = Convert.ToBase64String("evil"u8.ToArray()), ContentDocumentId = document }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_CROSS_REFERENCE_KEY", body[0].Str("errorCode"));
        (status, body) = await FilesTests.SendAsync(server, prober.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Multipart(new { PathOnClient = "evil.txt", FirstPublishLocationId = account }, "evil"u8.ToArray(), "evil.txt"));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_CROSS_REFERENCE_KEY"), (status, body[0].Str("errorCode")));
        var link = await prober.CallAsync("create_record", new { @object = "ContentDocumentLink", fields = new { ContentDocumentId = document, LinkedEntityId = prober.UserId } });
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY", Mcp.ErrorText(link));

        // The same bytes in the prober's tenant are the prober's own copy; the hash finds nothing of the victim's in any query.
        (status, body) = await FilesTests.SendAsync(server, prober.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Json(new { PathOnClient = "copy.txt", VersionData = Convert.ToBase64String(bytes) }));
        Assert.Equal(HttpStatusCode.Created, status);
        var found = await prober.CallOkAsync("soql_query", new { query = $"SELECT Id, ContentDocumentId FROM ContentVersion WHERE Checksum = '{Convert.ToHexStringLower(MD5.HashData(bytes))}'", include_deleted = true });
        var own = Assert.Single(found.GetProperty("records").EnumerateArray());
        Assert.Equal(body.Str("id"), own.Str("Id"));
        var links = await prober.CallOkAsync("soql_query", new { query = $"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{account}'" });
        Assert.Equal(0, links.GetProperty("totalSize").GetInt32());
        string proberFolder = Path.Combine(server.DataDirectory, "files", Guid.Parse(prober.TenantId).ToString("N"));
        string victimFolder = Path.Combine(server.DataDirectory, "files", Guid.Parse(victim.TenantId).ToString("N"));
        Assert.True(File.Exists(Path.Combine(proberFolder, hash[..2], hash)));
        Assert.True(File.Exists(Path.Combine(victimFolder, hash[..2], hash)));

        // The victim's file is as it was.
        var (victimDownload, victimBytes) = await FilesTests.DownloadAsync(server, victim.ApiKey, version);
        Assert.Equal(HttpStatusCode.OK, victimDownload);
        Assert.Equal(bytes, victimBytes);
        var victimLinks = await victim.CallOkAsync("soql_query", new { query = $"SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '{document}'" });
        Assert.Equal(1, victimLinks.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task HostileUploads_GetClearErrorsInSalesforcesShape_AndStoreNothing()
    {
        var tenant = await server.CreateTenantAsync("Files hostile");

        // Base64 beyond Salesforce's 37.5 MB of text in JSON: refused, pointing at multipart.
        string huge = "{\"PathOnClient\":\"big.bin\",\"VersionData\":\"" + new string('A', 37_500_004) + "\"}";
        var (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion, new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("STORAGE_LIMIT_EXCEEDED", "VersionData holds more than the 37,500,000 characters of base64 a JSON body may carry. Send the file as multipart/form-data (part VersionData) instead, up to 2,147,483,648 bytes."), Error(body));

        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Json(new { PathOnClient = "x.txt", VersionData = "not base64 at all!" }));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_FIELD"), (status, body[0].Str("errorCode")));
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion, FilesTests.Json(new { PathOnClient = "x.txt" }));
        Assert.Equal((HttpStatusCode.BadRequest, "REQUIRED_FIELD_MISSING"), (status, body[0].Str("errorCode")));
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Json(new { Title = "No path", VersionData = Convert.ToBase64String("x"u8.ToArray()) }));
        Assert.Equal((HttpStatusCode.BadRequest, "REQUIRED_FIELD_MISSING"), (status, body[0].Str("errorCode")));

        // JSON is checked before its bytes are stored: nothing of the refused uploads is on disk.
        string folder = Path.Combine(server.DataDirectory, "files", Guid.Parse(tenant.TenantId).ToString("N"));
        Assert.Empty(Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : []);

        // Malformed multipart: a body that never closes, a missing JSON part, an unknown part, a missing boundary.
        var truncated = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"VersionData\"; filename=\"a\"\r\n\r\nabc"));
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion, truncated);
        Assert.Equal((HttpStatusCode.BadRequest, "MALFORMED_REQUEST"), (status, body[0].Str("errorCode")));
        Assert.Contains("could not be read", body[0].Str("message"));

        var fileOnly = new MultipartFormDataContent { { new ByteArrayContent("abc"u8.ToArray()), "VersionData", "a.txt" } };
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion, fileOnly);
        Assert.Equal(("MALFORMED_REQUEST", "The request has no application/json part: send the ContentVersion's fields (Title, PathOnClient, …) as a part with Content-Type application/json."), Error(body));

        var stray = new MultipartFormDataContent { { new StringContent("x"), "Body" } };
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion, stray);
        Assert.Equal((HttpStatusCode.BadRequest, "MALFORMED_REQUEST"), (status, body[0].Str("errorCode")));
        Assert.StartsWith("Unexpected part 'Body'", body[0].Str("message"));

        var noBoundary = new ByteArrayContent("abc"u8.ToArray());
        noBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion, noBoundary);
        Assert.Equal(("MALFORMED_REQUEST", "The multipart/form-data Content-Type has no boundary."), Error(body));

        // ContentVersion and ContentDocument are created only with their bytes, not through the record channels.
        var generic = await tenant.CallAsync("create_record", new { @object = "ContentDocument", fields = new { Title = "Empty" } });
        Assert.StartsWith("INVALID_ARGUMENT: A ContentDocument is created with its first ContentVersion", Mcp.ErrorText(generic));
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, "services/data/v60.0/composite/sobjects",
            FilesTests.Json(new { allOrNone = false, records = new[] { new { attributes = new { type = "ContentVersion" }, PathOnClient = "x.txt" } } }));
        Assert.Contains("ContentVersion records are created together with their file", body.ToString());

        var nothing = await tenant.CallOkAsync("soql_query", new { query = "SELECT Id FROM ContentVersion", include_deleted = true });
        Assert.Equal(0, nothing.GetProperty("totalSize").GetInt32());

        // Path tricks in PathOnClient are only a name: the bytes land under their hash, the title is the last segment.
        string root = Path.Combine(server.DataDirectory, "files");
        var before = Directory.EnumerateFileSystemEntries(server.DataDirectory, "*", SearchOption.TopDirectoryOnly).Order().ToArray();
        (status, body) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Post, ContentVersion,
            FilesTests.Json(new { PathOnClient = "../../../../etc/passwd.txt/..\\..\\evil.sh", VersionData = Convert.ToBase64String("#!/bin/sh"u8.ToArray()) }));
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        var (_, version) = await FilesTests.SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{ContentVersion}/{body.Str("id")}");
        Assert.Equal(("evil", "sh", "UNKNOWN"), (version.Str("Title"), version.Str("FileExtension"), version.Str("FileType")));
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(server.DataDirectory, "*", SearchOption.TopDirectoryOnly).Order().ToArray());
        // (The multipart upload without fields above left its bytes unreferenced; the sweep removes such blobs a day later.)
        string sha = Convert.ToHexStringLower(SHA256.HashData("#!/bin/sh"u8));
        string stored = Path.Combine(folder, sha[..2], sha);
        Assert.Equal("#!/bin/sh"u8.ToArray(), await File.ReadAllBytesAsync(stored, Ct));
        Assert.StartsWith(root, Path.GetFullPath(stored));
    }

    [Fact]
    public async Task CreateRecordWithAUrl_ToLoopbackOrPrivateAddresses_IsRefusedUnderTheWebhookRules()
    {
        var tenant = await server.CreateTenantAsync("Files SSRF");
        foreach (var (url, expected) in new[]
                 {
                     ("http://127.0.0.1:1/secret", "VersionData url 'http://127.0.0.1:1/secret' must use https"),
                     ("https://127.0.0.1/secret", "VersionData url refused: host '127.0.0.1' resolves to 127.0.0.1, a loopback"),
                     ("https://169.254.169.254/latest/meta-data/", "VersionData url refused: host '169.254.169.254' resolves to 169.254.169.254"),
                     ("https://[::1]/x", "VersionData url refused: host '::1' resolves to ::1"),
                     ("https://localhost/x", "VersionData url refused: host 'localhost' resolves to"),
                 })
        {
            var refused = await tenant.CallAsync("create_record", new { @object = "ContentVersion", fields = new { PathOnClient = "x.txt", VersionData = url } });
            Assert.StartsWith("INVALID_ARGUMENT: " + expected, Mcp.ErrorText(refused));
        }
        var none = await tenant.CallOkAsync("soql_query", new { query = "SELECT Id FROM ContentVersion" });
        Assert.Equal(0, none.GetProperty("totalSize").GetInt32());
    }
}
