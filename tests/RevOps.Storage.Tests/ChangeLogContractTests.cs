using System.Diagnostics;
using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Storage.Tests;

/// <summary>IChangeStore (StorageBackend.ChangeLog): per-tenant sequences without gaps, filters, one record's history.</summary>
public sealed class ChangeLogContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task List_AfterWrites_SequenceRunsFrom1WithoutGaps(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        Assert.Equal(0, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));

        var alpha = await acme.CreateAsync(Account, """{"Name":"Alpha"}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Bravo"}""", Ct);
        await acme.UpdateAsync(Account, alpha.Id, """{"Name":"Alpha 2"}""", Ct);
        await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        var rows = await store.Backend.ChangeLog.ListAsync(acme.Id, new ChangeFilter(0, 100), Ct);

        Assert.Equal([1L, 2L, 3L, 4L], rows.Select(r => r.Seq));
        Assert.Equal(["created", "created", "updated", "created"], rows.Select(r => r.Operation));
        Assert.Equal(["Account", "Account", "Account", "Contact"], rows.Select(r => r.Object));
        Assert.Equal(4, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
    }

    [Theory, Backends]
    public async Task Commit_FailedBetweenTwoWrites_LeavesNoGap(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var alpha = await acme.CreateAsync(Account, """{"Name":"Alpha"}""", Ct);
        await acme.UpdateAsync(Account, alpha.Id, """{"Name":"Alpha 2"}""", Ct);

        var stale = alpha.Copy();
        stale["Name"] = "Lost";
        var failed = await store.Backend.Records.CommitAsync(acme.Id,
            [new RecordWrite(stale, 1, RecordStoreContractTests.Change(acme, stale, ChangeOperations.Updated, new FieldChange("Name", "Alpha", "Lost")))], null, Ct);
        var a = await store.RecordService.PrepareCreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Charlie"}"""), new HashSet<string>(), Ct);
        var b = await store.RecordService.PrepareCreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Delta"}"""), new HashSet<string>(), Ct);
        var both = await store.Backend.Records.CommitAsync(acme.Id, [a.Value, b.Value], null, Ct);

        Assert.Equal(CommitFailure.VersionConflict, failed.Failure);
        Assert.Equal([3L, 4L], both.Sequences);
        Assert.Equal([1L, 2L, 3L, 4L], (await store.Backend.ChangeLog.ListAsync(acme.Id, new ChangeFilter(0, 100), Ct)).Select(r => r.Seq));
    }

    [Theory, Backends]
    public async Task List_Filters_NarrowByAfterSeqLimitObjectRecordOperationAndTime(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var started = DateTime.UtcNow.AddSeconds(-1);
        var alpha = await acme.CreateAsync(Account, """{"Name":"Alpha"}""", Ct);
        var bravo = await acme.CreateAsync(Account, """{"Name":"Bravo"}""", Ct);
        await acme.UpdateAsync(Account, alpha.Id, """{"Name":"Alpha 2"}""", Ct);
        await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        var log = store.Backend.ChangeLog;

        Assert.Equal([2L, 3L], (await log.ListAsync(acme.Id, new ChangeFilter(1, 2), Ct)).Select(r => r.Seq));
        Assert.Equal([4L], (await log.ListAsync(acme.Id, new ChangeFilter(0, 100, Object: "Contact"), Ct)).Select(r => r.Seq));
        Assert.Equal([1L, 3L], (await log.ListAsync(acme.Id, new ChangeFilter(0, 100, RecordId: alpha.Id), Ct)).Select(r => r.Seq));
        Assert.Equal([2L], (await log.ListAsync(acme.Id, new ChangeFilter(0, 100, RecordId: bravo.Id), Ct)).Select(r => r.Seq));
        Assert.Equal([3L], (await log.ListAsync(acme.Id, new ChangeFilter(0, 100, Operation: "updated"), Ct)).Select(r => r.Seq));
        Assert.Equal([1L, 2L, 3L, 4L], (await log.ListAsync(acme.Id, new ChangeFilter(0, 100, Since: started), Ct)).Select(r => r.Seq));
        Assert.Empty(await log.ListAsync(acme.Id, new ChangeFilter(0, 100, Since: DateTime.UtcNow.AddMinutes(5)), Ct));
        Assert.Empty(await log.ListAsync(acme.Id, new ChangeFilter(4, 100), Ct));
    }

    [Theory, Backends]
    public async Task Get_UpdateRow_HoldsBeforeAfterActorChannelAndRequest(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var alpha = await acme.CreateAsync(Account, """{"Name":"Alpha","NumberOfEmployees":7}""", Ct);
        var updated = await acme.UpdateAsync(Account, alpha.Id, """{"Name":"Alpha 2","NumberOfEmployees":8}""", Ct);

        var row = await store.Backend.ChangeLog.GetAsync(acme.Id, 2, Ct);

        Assert.NotNull(row);
        Assert.Equal(2, row.Seq);
        Assert.Equal("Account", row.Object);
        Assert.Equal(alpha.Id, row.RecordId);
        Assert.Equal("updated", row.Operation);
        Assert.Equal(acme.User.Id, row.ActorId);
        Assert.Equal((acme.User.Name, acme.Key.Id), (row.ActorName, row.KeyId));
        Assert.Equal("rest", row.Channel);
        Assert.Equal("req-acme", row.RequestId);
        Assert.Equal("Alpha", row.Before("Name").GetString());
        Assert.Equal("Alpha 2", row.After("Name").GetString());
        Assert.Equal(7, row.Before("NumberOfEmployees").GetInt64());
        Assert.Equal(8, row.After("NumberOfEmployees").GetInt64());
        Assert.Equal(["Name", "NumberOfEmployees"], row.Fields);
        Assert.Equal((DateTime)updated["LastModifiedDate"]!, row.At);
        Assert.Null(await store.Backend.ChangeLog.GetAsync(acme.Id, 3, Ct));
    }

    [Theory, Backends]
    public async Task History_OneRecord_OldestFirstAndOnlyItsRows(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var alpha = await acme.CreateAsync(Account, """{"Name":"Alpha"}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Bravo"}""", Ct);
        await acme.UpdateAsync(Account, alpha.Id, """{"Phone":"555-0100"}""", Ct);
        Assert.True((await store.RecycleBin.DeleteAsync(acme.Caller, Account, alpha.Id, dryRun: false, Ct)).IsOk);

        var history = await store.Backend.ChangeLog.HistoryAsync(acme.Id, alpha.Id, Ct);

        Assert.Equal([1L, 3L, 4L], history.Select(r => r.Seq));
        Assert.Equal(["created", "updated", "deleted"], history.Select(r => r.Operation));
        Assert.False(history[2].Before("IsDeleted").GetBoolean());
        Assert.True(history[2].After("IsDeleted").GetBoolean());
    }

    [Theory, Backends]
    public async Task LatestSeq_TwoTenants_CountSeparately(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var alpha = await acme.CreateAsync(Account, """{"Name":"Alpha"}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Bravo"}""", Ct);
        var theirs = await globex.CreateAsync(Account, """{"Name":"Theirs"}""", Ct);

        var globexRows = await store.Backend.ChangeLog.ListAsync(globex.Id, new ChangeFilter(0, 100), Ct);

        Assert.Equal(2, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
        Assert.Equal(1, await store.Backend.ChangeLog.LatestSeqAsync(globex.Id, Ct));
        Assert.Equal([(1L, theirs.Id)], globexRows.Select(r => (r.Seq, r.RecordId)));
        Assert.Empty(await store.Backend.ChangeLog.HistoryAsync(globex.Id, alpha.Id, Ct));
        Assert.Empty(await store.Backend.ChangeLog.ListAsync(globex.Id, new ChangeFilter(0, 100, RecordId: alpha.Id), Ct));
        Assert.Null(await store.Backend.ChangeLog.GetAsync(globex.Id, 2, Ct));
        Assert.Equal(alpha.Id, (await store.Backend.ChangeLog.GetAsync(acme.Id, 1, Ct))!.RecordId);
    }

    [Theory, Backends]
    public async Task WaitForChange_CommitWhileWaiting_CompletesBeforeTheTimeout(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        long latest = await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct);
        var clock = Stopwatch.StartNew();

        var waiting = store.Backend.ChangeLog.WaitForChangeAsync(acme.Id, latest, TimeSpan.FromSeconds(30), Ct);
        await acme.CreateAsync(Account, """{"Name":"Wake"}""", Ct);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(latest + 1, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
    }

    [Theory, Backends]
    public async Task CommitsElsewhere_WakeFeedFollowersEachTime_AndBackgroundWorkersAtMostOncePerSpacing(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var spacing = StorageBackend.ElsewhereWakeSpacing;
        int workerWakes = 0;
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.Backend.Changes.NextAsync().WaitAsync(stop.Token);
                Interlocked.Increment(ref workerWakes);
            }
        }, CancellationToken.None);
        await Task.Delay(spacing * 2, Ct); // any earlier pulse is behind us

        var clock = Stopwatch.StartNew();
        for (long seq = 1_000_001; seq <= 1_000_500; seq++)
        {
            var follower = store.Backend.ChangeLog.WaitForChangeAsync(acme.Id, seq - 1, TimeSpan.FromSeconds(30), Ct);
            store.Backend.WakeForCommitElsewhere(acme.Id, seq);
            await follower.WaitAsync(TimeSpan.FromSeconds(10), Ct); // woken, not timed out: it waits up to 30 s
        }
        var trailing = store.Backend.Changes.NextAsync();
        store.Backend.WakeForCommitElsewhere(acme.Id, 1_000_501);
        var lastRequest = clock.Elapsed;
        await trailing.WaitAsync(TimeSpan.FromSeconds(10), Ct); // the last request still gets a pulse, at once or at the spacing's end
        var pulsedBy = clock.Elapsed;
        await Task.Delay(spacing * 2, Ct);
        await stop.CancelAsync();
        await Task.WhenAny(worker);

        // 501 commits: one pulse at once, then at most one per spacing while they came, plus the trailing one
        // (and one for the clock's coarse ticks).
        int most = 3 + (int)(lastRequest / spacing);
        Assert.InRange(workerWakes, 1, most);
        Assert.True(pulsedBy < lastRequest + spacing + TimeSpan.FromSeconds(5), $"trailing pulse {pulsedBy.TotalMilliseconds:0} ms, last request {lastRequest.TotalMilliseconds:0} ms");
    }
}
