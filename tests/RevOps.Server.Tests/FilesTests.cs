using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Files as Salesforce keeps them (docs/files.md): ContentVersion uploads as base64 JSON and as streamed multipart,
/// the ContentDocument across versions, the ContentDocumentLink from FirstPublishLocationId, SOQL over the links,
/// the bytes back unchanged, and one stored copy of bytes two records share.
/// </summary>
public sealed class FilesTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string Sobjects = "services/data/v60.0/sobjects/";

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(CrmServerFixture server, string apiKey, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await server.Http.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    internal static async Task<(HttpStatusCode Status, byte[] Bytes)> DownloadAsync(CrmServerFixture server, string apiKey, string versionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, $"{Sobjects}ContentVersion/{versionId}/VersionData"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await server.Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    internal static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>A multipart body as jsforce sends it: the file part first, then the fields as application/json named <paramref name="jsonPartName"/>.</summary>
    internal static MultipartFormDataContent Multipart(object fields, byte[] bytes, string fileName, string jsonPartName = "ContentVersion")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "VersionData", fileName);
        form.Add(Json(fields), jsonPartName);
        return form;
    }

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task JsonBase64Insert_LinksTheAccount_FoundThroughContentDocumentLink_AndDownloadsTheSameBytes()
    {
        var tenant = await server.CreateTenantAsync("Files base64");
        string account = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Proposal Co" } })).Str("Id");
        byte[] bytes = Encoding.UTF8.GetBytes("Payment terms: net 30 from invoice date.\n");

        var (status, created) = await SendAsync(server, tenant.ApiKey, HttpMethod.Post, Sobjects + "ContentVersion",
            Json(new { Title = "Proposal", PathOnClient = "proposal.txt", VersionData = Convert.ToBase64String(bytes), FirstPublishLocationId = account }));
        Assert.True(status == HttpStatusCode.Created, created.ToString());
        string versionId = created.Str("id");
        Assert.StartsWith("068", versionId);
        Assert.True(created.GetProperty("success").GetBoolean());

        var (_, version) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{Sobjects}ContentVersion/{versionId}");
        string documentId = version.Str("ContentDocumentId");
        Assert.StartsWith("069", documentId);
        Assert.Equal(("Proposal", "proposal.txt", "TEXT", "txt", bytes.Length, Convert.ToHexStringLower(MD5.HashData(bytes)), true, "1", account),
            (version.Str("Title"), version.Str("PathOnClient"), version.Str("FileType"), version.Str("FileExtension"), version.GetProperty("ContentSize").GetInt32(),
             version.Str("Checksum"), version.GetProperty("IsLatest").GetBoolean(), version.Str("VersionNumber"), version.Str("FirstPublishLocationId")));

        Assert.Equal($"/services/data/v60.0/sobjects/ContentVersion/{versionId}/VersionData", version.Str("VersionData"));
        var (_, document) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{Sobjects}ContentDocument/{documentId}");
        Assert.Equal(("Proposal", versionId, bytes.Length), (document.Str("Title"), document.Str("LatestPublishedVersionId"), document.GetProperty("ContentSize").GetInt32()));

        var (queried, links) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get,
            $"services/data/v60.0/query?q={Uri.EscapeDataString($"SELECT Id, ContentDocumentId, LinkedEntityId, ShareType, Visibility FROM ContentDocumentLink WHERE LinkedEntityId = '{account}'")}");
        Assert.Equal(HttpStatusCode.OK, queried);
        var link = Assert.Single(links.GetProperty("records").EnumerateArray());
        Assert.Equal((documentId, account, "V", "AllUsers"), (link.Str("ContentDocumentId"), link.Str("LinkedEntityId"), link.Str("ShareType"), link.Str("Visibility")));
        Assert.StartsWith("06A", link.Str("Id"));

        var (downloaded, back) = await DownloadAsync(server, tenant.ApiKey, versionId);
        Assert.Equal(HttpStatusCode.OK, downloaded);
        Assert.Equal(bytes, back);
    }

    [Fact]
    public async Task MultipartInsert_StreamsAFileLargerThanTheRequestLimit_AndANewVersionKeepsTheDocument()
    {
        var tenant = await server.CreateTenantAsync("Files multipart");
        string opportunity = (await tenant.CallOkAsync("create_record", new { @object = "Opportunity", fields = new { Name = "Big deal", StageName = "Prospecting", CloseDate = "2027-01-31" } })).Str("Id");
        byte[] first = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17); // over the 1 MB limit of every other route
        var (status, created) = await SendAsync(server, tenant.ApiKey, HttpMethod.Post, Sobjects + "ContentVersion",
            Multipart(new { PathOnClient = "C:\\deals\\contract.pdf", FirstPublishLocationId = opportunity }, first, "contract.pdf", "entity_content"));
        Assert.True(status == HttpStatusCode.Created, created.ToString());
        string v1 = created.Str("id");
        var (_, version1) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{Sobjects}ContentVersion/{v1}");
        Assert.Equal(("contract", "PDF", first.Length), (version1.Str("Title"), version1.Str("FileType"), version1.GetProperty("ContentSize").GetInt32()));
        string documentId = version1.Str("ContentDocumentId");
        Assert.Equal(first, (await DownloadAsync(server, tenant.ApiKey, v1)).Bytes);

        byte[] second = Encoding.UTF8.GetBytes("version two");
        (status, created) = await SendAsync(server, tenant.ApiKey, HttpMethod.Post, Sobjects + "ContentVersion",
            Multipart(new { PathOnClient = "contract-v2.pdf", ContentDocumentId = documentId, ReasonForChange = "Signed" }, second, "contract-v2.pdf"));
        Assert.True(status == HttpStatusCode.Created, created.ToString());
        string v2 = created.Str("id");
        var (_, version2) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{Sobjects}ContentVersion/{v2}");
        Assert.Equal((documentId, "2", true), (version2.Str("ContentDocumentId"), version2.Str("VersionNumber"), version2.GetProperty("IsLatest").GetBoolean()));
        (_, version1) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{Sobjects}ContentVersion/{v1}");
        Assert.False(version1.GetProperty("IsLatest").GetBoolean());
        var (_, document) = await SendAsync(server, tenant.ApiKey, HttpMethod.Get, $"{Sobjects}ContentDocument/{documentId}");
        Assert.Equal((v2, "contract-v2", second.Length), (document.Str("LatestPublishedVersionId"), document.Str("Title"), document.GetProperty("ContentSize").GetInt32()));
        Assert.Equal(second, (await DownloadAsync(server, tenant.ApiKey, v2)).Bytes);
        Assert.Equal(first, (await DownloadAsync(server, tenant.ApiKey, v1)).Bytes);

        // Still one link: the new version belongs to the records its document is linked to.
        var links = await tenant.CallOkAsync("soql_query", new { query = $"SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '{documentId}'" });
        Assert.Equal(1, links.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SameBytesOnTwoRecords_AreStoredOnce()
    {
        var tenant = await server.CreateTenantAsync("Files shared");
        string a = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Shared A" } })).Str("Id");
        string b = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Shared B" } })).Str("Id");
        byte[] bytes = RandomNumberGenerator.GetBytes(4096);
        foreach (string parent in new[] { a, b })
        {
            var (status, body) = await SendAsync(server, tenant.ApiKey, HttpMethod.Post, Sobjects + "ContentVersion",
                Json(new { PathOnClient = "logo.png", VersionData = Convert.ToBase64String(bytes), FirstPublishLocationId = parent }));
            Assert.True(status == HttpStatusCode.Created, body.ToString());
        }
        string tenantFolder = Path.Combine(server.DataDirectory, "files", Guid.Parse(tenant.TenantId).ToString("N"));
        var blobs = Directory.EnumerateFiles(tenantFolder, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(tenantFolder, f).StartsWith("tmp", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Sha256(bytes), Path.GetFileName(Assert.Single(blobs)));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(blobs[0], Ct));
        var docs = await tenant.CallOkAsync("soql_query", new { query = "SELECT Id FROM ContentDocument" });
        Assert.Equal(2, docs.GetProperty("totalSize").GetInt32());
    }
}
