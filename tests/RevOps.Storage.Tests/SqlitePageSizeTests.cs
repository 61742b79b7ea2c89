using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Storage.Tests;

/// <summary>
/// A new SQLite file is made with 2 KiB pages (a create's commit then writes and syncs about half the WAL bytes it
/// did with 4 KiB, bench/results/2026-12-07-round-7.md); a file made before keeps its own page size, which only a
/// VACUUM could change, and works as before.
/// </summary>
public sealed class SqlitePageSizeTests
{
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewFile_HasTwoKiBPages()
    {
        using var file = new SqliteTestFile("page-size-new");
        await using (var store = TestStore.Open(StorageBackend.Open(new StorageLocation(file.Path))))
        {
            var acme = await store.NewTenantAsync("Acme", Ct);
            await CreateAndReadAsync(store, acme, 50);
        }

        Assert.Equal(2048L, await file.PragmaAsync("page_size", Ct));
        Assert.Equal("ok", await file.IntegrityCheckAsync(Ct));
    }

    [Fact]
    public async Task FileMadeWithFourKiBPages_KeepsThem_AndWorks()
    {
        using var file = new SqliteTestFile("page-size-old");
        // An empty file given 4 KiB pages, as every file made before 2 KiB became the default.
        await using (var old = new SqliteConnection($"Data Source={file.Path};Pooling=False"))
        {
            await old.OpenAsync(Ct);
            await using var setUp = old.CreateCommand();
            setUp.CommandText = "PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL;";
            await setUp.ExecuteNonQueryAsync(Ct);
        }
        Assert.Equal(4096L, await file.PragmaAsync("page_size", Ct));

        await using (var store = TestStore.Open(StorageBackend.Open(new StorageLocation(file.Path))))
        {
            var acme = await store.NewTenantAsync("Acme", Ct);
            await CreateAndReadAsync(store, acme, 50);
        }

        Assert.Equal(4096L, await file.PragmaAsync("page_size", Ct));
        Assert.Equal("ok", await file.IntegrityCheckAsync(Ct));
    }

    static async Task CreateAndReadAsync(TestStore store, TestTenant tenant, int count)
    {
        string lastId = "";
        for (int i = 0; i < count; i++)
            lastId = (await tenant.CreateAsync(Contact, $$"""{"LastName":"Paged {{i}}","Email":"p{{i}}@acme.test","Description":"{{new string('d', 3000)}}"}""", Ct)).Id;
        Assert.Equal(count, await store.Backend.Records.CountAsync(tenant.Id, Contact, new RecordQuery([], Contact.Field("Id"), false, 10), Ct));
        // A row longer than a page (the 3,000-character description) reads back whole through its overflow pages.
        var last = await store.Backend.Records.GetAsync(tenant.Id, Contact, lastId, Ct);
        Assert.NotNull(last);
        Assert.Equal($"Paged {count - 1}", last["LastName"]);
        Assert.Equal(3000, ((string)last["Description"]!).Length);
    }
}
