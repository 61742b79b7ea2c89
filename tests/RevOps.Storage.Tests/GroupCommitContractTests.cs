using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Writes;

namespace RevOps.Storage.Tests;

/// <summary>
/// Group commit on both engines: writes of one tenant that queue behind one another share a transaction, each in its own
/// savepoint, so a failing write rolls back alone and the change sequence has no gap.
/// </summary>
public sealed class GroupCommitContractTests
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task WritesQueuedBehindALock_ShareATransaction_AndAFailingOneRollsBackAlone(string kind)
    {
        await using var store = await TestStore.OpenAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var first = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Keyed"}"""), new WriteOptions("taken"), Ct);
        Assert.True(first.IsOk);
        var batchSizes = new ConcurrentBag<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "revops.write.batch_size") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => batchSizes.Add(size));
        listener.Start();

        Task<Domain.Errors.CrmResult<Record>>[] creates;
        Task<CommitResult>[] refused;
        await using (await store.HoldWritesAsync(acme.Id))
        {
            creates = Enumerable.Range(0, 30).Select(i => Task.Run(() =>
                store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input($$"""{"Name":"Queued {{i}}"}"""), Ct))).ToArray();
            // Each of these takes the key the first create holds: the write throws inside its savepoint, after its row went in.
            refused = Enumerable.Range(0, 5).Select(i => Task.Run(async () =>
            {
                var prepared = await store.RecordService.PrepareCreateAsync(acme.Caller, Account, TestStore.Input($$"""{"Name":"Refused {{i}}"}"""), new HashSet<string>(), Ct);
                return await store.Backend.Records.CommitAsync(acme.Id, [prepared.Value],
                    new IdempotencyEntry("taken", "another-hash", "Account", prepared.Value.Record.Id, "created", DateTime.UtcNow), Ct);
            })).ToArray();
            // Another tenant's writes do not queue behind Acme's on PostgreSQL (SQLite has one writer for the file).
            await Task.Delay(300, Ct);
        }
        var created = await Task.WhenAll(creates);
        var refusals = await Task.WhenAll(refused);
        listener.Dispose();

        Assert.All(created, c => Assert.True(c.IsOk));
        Assert.All(refusals, r => Assert.Equal(CommitFailure.IdempotencyKeyTaken, r.Failure));
        Assert.Contains(batchSizes, size => size >= 2);
        var changes = await store.Backend.ChangeLog.ListAsync(acme.Id, new ChangeFilter(0, 100), Ct);
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), changes.Select(c => c.Seq).Order());
        Assert.Equal(31, await store.Backend.Records.CountAsync(acme.Id, Account, new RecordQuery([], Account.Field("Id"), false, 100), Ct));
        foreach (var c in created) Assert.NotNull(await store.Backend.Records.GetAsync(acme.Id, Account, c.Value.Id, Ct));
        Assert.Equal(0, await store.Backend.Records.CountAsync(globex.Id, Account, new RecordQuery([], Account.Field("Id"), false, 100), Ct));
    }
}
