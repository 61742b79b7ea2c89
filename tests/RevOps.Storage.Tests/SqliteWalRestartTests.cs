using System.Buffers.Binary;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Storage.Tests;

/// <summary>
/// Under writes that never pause, the WAL still starts again from its beginning (the writer's catch-up checkpoint between
/// two batches, asked for by the background checkpointer once the WAL is long), so the file stays bounded instead of
/// growing for as long as writes come; every record written is there afterwards.
/// </summary>
public sealed class SqliteWalRestartTests
{
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SteadyConcurrentWrites_RestartTheWal_AndLoseNothing()
    {
        using var file = new SqliteTestFile("wal-restart");
        string path = file.Path;
        await using var store = TestStore.Open(StorageBackend.Open(new StorageLocation(path)));
        var acme = await store.NewTenantAsync("Acme", Ct);
        uint first = CheckpointSequence(path);
        int created = 0;
        uint restarts = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // 16 writers at once: the single writer always has the next batch waiting, so the background checkpoint alone
        // never catches up (each of its rounds ends behind the frames appended while it copied).
        while (restarts < 3 && DateTime.UtcNow < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async writer =>
            {
                for (int i = 0; i < 10; i++)
                {
                    int n = Interlocked.Increment(ref created);
                    var result = await store.RecordService.CreateAsync(acme.Caller, Contact, TestStore.Input($$"""{"LastName":"Steady {{n}}","Email":"s{{n}}@acme.test"}"""), Ct);
                    Assert.True(result.IsOk, result.IsOk ? "" : result.Error.Message);
                }
            }));
            restarts = CheckpointSequence(path) - first;
        }

        Assert.True(restarts >= 3, $"the WAL restarted {restarts} times in {created} creates");
        // Restarting keeps the file at its high-water mark: a few MiB of frames, not the ~30 KiB each create appended.
        long walBytes = new FileInfo(path + "-wal").Length;
        Assert.True(walBytes < created * 30_000L / 2, $"WAL of {walBytes} bytes after {created} creates");
        Assert.Equal(created, await store.Backend.Records.CountAsync(acme.Id, Contact, new RecordQuery([], Contact.Field("Id"), false, 10), Ct));
        Assert.Equal("ok", await file.IntegrityCheckAsync(Ct));
    }

    /// <summary>The WAL header's checkpoint sequence number (bytes 12–15, big-endian): SQLite adds one at every restart.</summary>
    static uint CheckpointSequence(string path)
    {
        using var wal = new FileStream(path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[16];
        wal.ReadExactly(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
    }
}
