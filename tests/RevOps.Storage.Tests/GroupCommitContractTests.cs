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

    /// <summary>
    /// One batch, in a known order: writes that fail before sending anything (first, in the middle, last), one whose first
    /// statement fails on the server, one that fails after its rows and change went in. The others land, the change
    /// sequence is exactly 1..N, and the failed ones left nothing: no write rolled back to another's savepoint.
    /// </summary>
    [Theory, Backends]
    public async Task ABatchWithWritesFailingBeforeAndAfterSending_KeepsTheOthersAndAGapFreeSequence(string kind)
    {
        await using var store = await TestStore.OpenAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var db = store.Backend.Database;
        var keyed = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Keyed"}"""), new WriteOptions("taken"), Ct);
        Assert.True(keyed.IsOk);
        async Task<RecordWrite> Prepare(string name) =>
            (await store.RecordService.PrepareCreateAsync(acme.Caller, Account, TestStore.Input($$"""{"Name":"{{name}}"}"""), new HashSet<string>(), Ct)).Value;
        var landing = new[] { await Prepare("A"), await Prepare("B"), await Prepare("C"), await Prepare("D") };
        var refused = await Prepare("Refused");
        Task<int> FailBeforeSending(string why) => db.WriteAsync<int>(acme.Id, _ => throw new InvalidOperationException(why), Ct);

        // The blocker runs alone, so everything queued while it holds the writer's turn goes into the next batch, in order.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = db.WriteAsync(acme.Id, _ => { started.TrySetResult(); gate.Task.Wait(Ct); return Task.FromResult(0); }, Ct);
        await started.Task.WaitAsync(Ct);
        var beforeFirst = FailBeforeSending("first, before sending");
        var serverError = db.WriteAsync(acme.Id, session => session.Command("SELECT 1 FROM no_such_table").ExecuteScalarAsync(Ct), Ct);
        var a = store.Backend.Records.CommitAsync(acme.Id, [landing[0]], null, Ct);
        var beforeMiddle = FailBeforeSending("middle, before sending");
        var b = store.Backend.Records.CommitAsync(acme.Id, [landing[1]], null, Ct);
        // Its row and change go in, then the idempotency key it asks for is found taken: rolled back after sending.
        var afterSending = store.Backend.Records.CommitAsync(acme.Id, [refused],
            new IdempotencyEntry("taken", "another-hash", "Account", refused.Record.Id, "created", DateTime.UtcNow), Ct);
        var c = store.Backend.Records.CommitAsync(acme.Id, [landing[2]], null, Ct);
        var d = store.Backend.Records.CommitAsync(acme.Id, [landing[3]], null, Ct);
        var beforeLast = FailBeforeSending("last, before sending");
        gate.SetResult();
        Assert.Equal(0, await blocker);

        Assert.Equal("first, before sending", (await Assert.ThrowsAsync<InvalidOperationException>(() => beforeFirst)).Message);
        Assert.Equal("middle, before sending", (await Assert.ThrowsAsync<InvalidOperationException>(() => beforeMiddle)).Message);
        Assert.Equal("last, before sending", (await Assert.ThrowsAsync<InvalidOperationException>(() => beforeLast)).Message);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => serverError);
        Assert.Equal(CommitFailure.IdempotencyKeyTaken, (await afterSending).Failure);
        var committed = await Task.WhenAll(a, b, c, d);
        // The refused write took 4 and gave it back: C after it got 4 again.
        Assert.Equal([[2L], [3L], [4L], [5L]], committed.Select(r => r.Sequences.ToArray()).ToArray());
        Assert.All(committed, r => Assert.Null(r.Failure));

        var changes = await store.Backend.ChangeLog.ListAsync(acme.Id, new ChangeFilter(0, 100), Ct);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], changes.Select(change => change.Seq).Order().ToArray());
        Assert.Equal(landing.Select(w => w.Change.RecordId).ToArray(), changes.Where(change => change.Seq > 1).OrderBy(change => change.Seq).Select(change => change.RecordId).ToArray());
        foreach (var write in landing) Assert.NotNull(await store.Backend.Records.GetAsync(acme.Id, Account, write.Record.Id, Ct));
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, Account, refused.Record.Id, Ct));
        Assert.Equal(5, await store.Backend.Records.CountAsync(acme.Id, Account, new RecordQuery([], Account.Field("Id"), false, 100), Ct));
    }
    /// <summary>
    /// New records alone are statements known up front, and PostgreSQL sends consecutive ones of a batch in one round trip.
    /// One that fails on the server in the middle of that round trip (its record's Id was taken by an earlier write of the
    /// same round trip) fails alone: rolled back to its own savepoint, the writes before it stand and those after it still
    /// run. One whose statements cannot even be made fails alone too. Each write gets back its own sequence number.
    /// </summary>
    [Theory, Backends]
    public async Task NewRecordsQueuedTogether_OneFailingOnTheServerInTheMiddleFailsAlone_AndEachGetsItsOwnNumber(string kind)
    {
        await using var store = await TestStore.OpenAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var db = store.Backend.Database;
        var first = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"First"}"""), Ct);
        Assert.True(first.IsOk);
        async Task<RecordWrite> Prepare(string name) =>
            (await store.RecordService.PrepareCreateAsync(acme.Caller, Account, TestStore.Input($$"""{"Name":"{{name}}"}"""), new HashSet<string>(), Ct)).Value;
        var landing = new[] { await Prepare("A"), await Prepare("B"), await Prepare("C"), await Prepare("D"), await Prepare("E") };
        Task<CommitResult> Commit(RecordWrite write) => store.Backend.Records.CommitAsync(acme.Id, [write], null, Ct);

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = db.WriteAsync(acme.Id, _ => { started.TrySetResult(); gate.Task.Wait(Ct); return Task.FromResult(0); }, Ct);
        await started.Task.WaitAsync(Ct);
        var a = Commit(landing[0]);
        var b = Commit(landing[1]);
        var takenId = Commit(landing[0]);
        var c = Commit(landing[2]);
        var unmade = db.WriteStatementsAsync<long>(acme.Id, _ => throw new InvalidOperationException("no statements"), (_, _) => 0, Ct);
        var d = Commit(landing[3]);
        var e = Commit(landing[4]);
        gate.SetResult();
        Assert.Equal(0, await blocker);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => takenId);
        Assert.Equal("no statements", (await Assert.ThrowsAsync<InvalidOperationException>(() => unmade)).Message);
        var committed = await Task.WhenAll(a, b, c, d, e);
        Assert.All(committed, r => Assert.Null(r.Failure));
        Assert.Equal([[2L], [3L], [4L], [5L], [6L]], committed.Select(r => r.Sequences.ToArray()).ToArray());

        var changes = await store.Backend.ChangeLog.ListAsync(acme.Id, new ChangeFilter(0, 100), Ct);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], changes.Select(change => change.Seq).Order().ToArray());
        Assert.Equal(landing.Select(w => w.Change.RecordId).ToArray(), changes.Where(change => change.Seq > 1).OrderBy(change => change.Seq).Select(change => change.RecordId).ToArray());
        foreach (var write in landing)
            Assert.Equal(write.Record["Name"], (await store.Backend.Records.GetAsync(acme.Id, Account, write.Record.Id, Ct))!["Name"]);
        Assert.Equal(6, await store.Backend.Records.CountAsync(acme.Id, Account, new RecordQuery([], Account.Field("Id"), false, 100), Ct));
    }
}
