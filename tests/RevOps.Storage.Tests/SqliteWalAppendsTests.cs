using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Writes;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Tests;

/// <summary>
/// The single writer's WAL frames reach the file gathered into few writes (<see cref="SqliteWalAppends"/>), and nothing
/// of the data changes: every commit reads back at once from the readers' connections, and after the file is closed
/// and opened again. Alone in its collection: the counts are the process's, and tests running beside it moved its ratio
/// from run to run (it failed whenever REVOPS_TEST_PG added the PostgreSQL cases to the same run).
/// </summary>
[Collection(nameof(SqliteWalAppendsTests))]
public sealed class SqliteWalAppendsTests
{
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CommitsGoOutInFewWrites_ReadAtOnce_AndSurviveReopening()
    {
        using var file = new SqliteTestFile("wal-appends");
        string path = file.Path;
        var ids = new List<string>();
        Domain.Tenancy.TenantId tenant;
        var (gatheredBefore, writtenBefore) = SqliteWalAppends.Counts;
        await using (var store = TestStore.Open(StorageBackend.Open(new StorageLocation(path))))
        {
            var acme = await store.NewTenantAsync("Acme", Ct);
            tenant = acme.Id;
            // One record per commit: each is read right after its commit, through a reader connection and the WAL.
            for (int i = 0; i < 40; i++)
            {
                var created = await store.RecordService.CreateAsync(acme.Caller, Contact, TestStore.Input($$"""{"LastName":"Single {{i}}","Email":"s{{i}}@acme.test"}"""), Ct);
                Assert.True(created.IsOk);
                var read = await store.Backend.Records.GetAsync(acme.Id, Contact, created.Value.Id, Ct);
                Assert.Equal($"Single {i}", read!.Values[Contact.Ordinal("LastName")]);
                ids.Add(created.Value.Id);
            }
            // One commit of 1,500 records: several megabytes of frames, far more than one gathered write holds.
            var writes = new List<RecordWrite>();
            for (int i = 0; i < 1_500; i++)
            {
                var prepared = await store.RecordService.PrepareCreateAsync(acme.Caller, Contact,
                    TestStore.Input($$"""{"LastName":"Bulk {{i}}","Title":"{{new string('t', 120)}}"}"""), new HashSet<string>(), Ct);
                writes.Add(prepared.Value);
            }
            var committed = await store.Backend.Records.CommitAsync(acme.Id, writes, null, Ct);
            Assert.Null(committed.Failure);
            ids.AddRange(writes.Select(w => w.Record.Id));
            Assert.Equal(1_540, await store.Backend.Records.CountAsync(acme.Id, Contact, new RecordQuery([], Contact.Field("Id"), false, 10), Ct));
        }
        var (gathered, written) = SqliteWalAppends.Counts;
        // SQLite asked for two writes per frame; the file got a small fraction of that: 1,703 for 7,944 with 2 KiB pages,
        // the same on every run now that no other test adds to the counts meanwhile.
        Assert.True(gathered - gatheredBefore > 1_000, $"{gathered - gatheredBefore} WAL writes asked for");
        Assert.True((written - writtenBefore) * 4 < gathered - gatheredBefore, $"{written - writtenBefore} writes for {gathered - gatheredBefore} asked for");

        await using (var reopened = StorageBackend.Open(new StorageLocation(path)))
        {
            Assert.Equal(1_540, await reopened.Records.CountAsync(tenant, Contact, new RecordQuery([], Contact.Field("Id"), false, 10), Ct));
            foreach (string id in ids.Where((_, i) => i % 97 == 0 || i < 40))
                Assert.NotNull(await reopened.Records.GetAsync(tenant, Contact, id, Ct));
            var last = await reopened.Records.GetAsync(tenant, Contact, ids[^1], Ct);
            Assert.Equal("Bulk 1499", last!.Values[Contact.Ordinal("LastName")]);
        }
        Assert.Equal("ok", await file.IntegrityCheckAsync(Ct));
    }
}

/// <summary>Runs <see cref="SqliteWalAppendsTests"/> with no other test class at the same time.</summary>
[CollectionDefinition(nameof(SqliteWalAppendsTests), DisableParallelization = true)]
public sealed class SqliteWalAppendsCollection;
