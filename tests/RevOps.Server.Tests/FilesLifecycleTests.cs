using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Files;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Tests;

/// <summary>
/// Files over their life (docs/files.md): the recycle bin takes a record's links with it and a document with its
/// versions, restores bring them back, a purge and the sweep remove the bytes no version points at any more.
/// </summary>
public sealed class FilesLifecycleTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RecycleBin_TakesLinksWithTheRecord_AndVersionsWithTheDocument_PurgeAndSweepRemoveTheBytes()
    {
        var tenant = await server.CreateTenantAsync("Files bin");
        string account = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Binned" } })).Str("Id");
        byte[] bytes = RandomNumberGenerator.GetBytes(2048);
        var created = await tenant.CallOkAsync("create_record", new
        {
            @object = "ContentVersion", fields = new { PathOnClient = "plan.bin", VersionData = Convert.ToBase64String(bytes), FirstPublishLocationId = account },
        });
        string version = created.Str("Id"), document = created.Str("ContentDocumentId");
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string blob = Path.Combine(server.DataDirectory, "files", Guid.Parse(tenant.TenantId).ToString("N"), hash[..2], hash);

        // The account goes with its link; the file stays.
        var deleted = await tenant.CallOkAsync("delete_record", new { Id = account });
        Assert.Contains("ContentDocumentLink", deleted.ToString());
        Assert.Equal(0, (await tenant.CallOkAsync("soql_query", new { query = $"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{account}'" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(bytes, (await FilesTests.DownloadAsync(server, tenant.ApiKey, version)).Bytes);
        await tenant.CallOkAsync("delete_record", new { Id = account, restore = true });
        Assert.Equal(1, (await tenant.CallOkAsync("soql_query", new { query = $"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{account}'" })).GetProperty("totalSize").GetInt32());

        // The document goes with its versions and links: the bytes are no longer served, until it is restored.
        await tenant.CallOkAsync("delete_record", new { Id = document });
        Assert.Equal(HttpStatusCode.NotFound, (await FilesTests.DownloadAsync(server, tenant.ApiKey, version)).Status);
        Assert.Equal(0, (await tenant.CallOkAsync("soql_query", new { query = $"SELECT Id FROM ContentDocumentLink WHERE LinkedEntityId = '{account}'" })).GetProperty("totalSize").GetInt32());
        await tenant.CallOkAsync("delete_record", new { Id = document, restore = true });
        Assert.Equal(bytes, (await FilesTests.DownloadAsync(server, tenant.ApiKey, version)).Bytes);

        // Deleted again and purged: the rows go, and the sweep removes the bytes no version points at (not before).
        await tenant.CallOkAsync("delete_record", new { Id = document });
        Assert.True(TenantId.TryParse(tenant.TenantId, out var id));
        var files = server.Services.GetRequiredService<FileService>();
        Assert.Equal(0, await files.SweepAsync(id, DateTime.UtcNow.AddMinutes(1), Ct)); // still in the bin: kept
        Assert.True(File.Exists(blob));
        int purged = await server.Services.GetRequiredService<IRecordStore>().PurgeAsync(id, DateTime.UtcNow.AddMinutes(1), DateTime.MinValue, Ct);
        Assert.Equal(3, purged); // document, version, link
        Assert.Equal(0, await files.SweepAsync(id, DateTime.UtcNow.AddDays(-1), Ct)); // within the grace period: kept
        Assert.Equal(1, await files.SweepAsync(id, DateTime.UtcNow.AddMinutes(1), Ct));
        Assert.False(File.Exists(blob));
        Assert.Equal(HttpStatusCode.NotFound, (await FilesTests.DownloadAsync(server, tenant.ApiKey, version)).Status);
    }
}
