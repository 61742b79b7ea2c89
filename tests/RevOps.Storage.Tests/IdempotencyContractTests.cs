using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Writes;

namespace RevOps.Storage.Tests;

/// <summary>Idempotency keys in IRecordStore: stored with the write, found again, never taken twice, per tenant, purged.</summary>
public sealed class IdempotencyContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task FindIdempotency_AfterCommitWithKey_ReturnsTheEntry(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var before = DateTime.UtcNow.AddSeconds(-1);

        var created = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Keyed"}"""), new WriteOptions("key-1"), Ct);
        var entry = await store.Backend.Records.FindIdempotencyAsync(acme.Id, "key-1", Ct);

        Assert.True(created.IsOk);
        Assert.NotNull(entry);
        Assert.Equal("key-1", entry.Key);
        Assert.Equal("Account", entry.Object);
        Assert.Equal(created.Value.Record.Id, entry.RecordId);
        Assert.Equal("created", entry.Operation);
        Assert.False(string.IsNullOrEmpty(entry.RequestHash));
        Assert.InRange(entry.CreatedAt, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Null(await store.Backend.Records.FindIdempotencyAsync(acme.Id, "key-2", Ct));
    }

    [Theory, Backends]
    public async Task Commit_KeyAlreadyTaken_FailsWithIdempotencyKeyTakenAndWritesNothing(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var first = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"First"}"""), new WriteOptions("key-1"), Ct);
        long seq = await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct);

        var second = await store.RecordService.PrepareCreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Second"}"""), new HashSet<string>(), Ct);
        var result = await store.Backend.Records.CommitAsync(acme.Id, [second.Value],
            new IdempotencyEntry("key-1", "another-hash", "Account", second.Value.Record.Id, "created", DateTime.UtcNow), Ct);
        var entry = await store.Backend.Records.FindIdempotencyAsync(acme.Id, "key-1", Ct);

        Assert.False(result.Committed);
        Assert.Equal(CommitFailure.IdempotencyKeyTaken, result.Failure);
        Assert.Empty(result.Sequences);
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, Account, second.Value.Record.Id, Ct));
        Assert.Equal(seq, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
        Assert.Equal(first.Value.Record.Id, entry!.RecordId);
        Assert.Single(await store.Backend.ChangeLog.ListAsync(acme.Id, new ChangeFilter(0, 100), Ct));
    }

    [Theory, Backends]
    public async Task Create_SameKeyAndContentAgain_ReplaysWithoutASecondWrite(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);

        var first = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Once"}"""), new WriteOptions("key-1"), Ct);
        var again = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Once"}"""), new WriteOptions("key-1"), Ct);

        Assert.True(again.Value.Replayed);
        Assert.Equal(first.Value.Record.Id, again.Value.Record.Id);
        Assert.Equal(1, await store.Backend.ChangeLog.LatestSeqAsync(acme.Id, Ct));
        Assert.Equal(1, await store.Backend.Records.CountAsync(acme.Id, Account, new RecordQuery([], Account.Field("Id"), false, 10), Ct));
    }

    [Theory, Backends]
    public async Task FindIdempotency_KeyOfOtherTenant_NotFoundAndFreeToUse(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Acme's"}"""), new WriteOptions("shared-key"), Ct);

        var missing = await store.Backend.Records.FindIdempotencyAsync(globex.Id, "shared-key", Ct);
        var theirs = await store.RecordService.CreateAsync(globex.Caller, Account, TestStore.Input("""{"Name":"Globex's"}"""), new WriteOptions("shared-key"), Ct);

        Assert.Null(missing);
        Assert.True(theirs.IsOk);
        Assert.False(theirs.Value.Replayed);
        Assert.Equal(theirs.Value.Record.Id, (await store.Backend.Records.FindIdempotencyAsync(globex.Id, "shared-key", Ct))!.RecordId);
        Assert.NotEqual(theirs.Value.Record.Id, (await store.Backend.Records.FindIdempotencyAsync(acme.Id, "shared-key", Ct))!.RecordId);
    }

    [Theory, Backends]
    public async Task Purge_IdempotencyCutoffAfterKey_RemovesTheKeyOnly(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var created = await store.RecordService.CreateAsync(acme.Caller, Account, TestStore.Input("""{"Name":"Keyed"}"""), new WriteOptions("old-key"), Ct);
        await store.RecordService.CreateAsync(globex.Caller, Account, TestStore.Input("""{"Name":"Keyed"}"""), new WriteOptions("old-key"), Ct);
        var now = DateTime.UtcNow;

        int purged = await store.Backend.Records.PurgeAsync(acme.Id, now.AddDays(-15), now.AddHours(1), Ct);

        Assert.Equal(0, purged); // no deleted records; the key goes all the same
        Assert.Null(await store.Backend.Records.FindIdempotencyAsync(acme.Id, "old-key", Ct));
        Assert.NotNull(await store.Backend.Records.FindIdempotencyAsync(globex.Id, "old-key", Ct));
        Assert.True(await store.Backend.Records.ExistsAsync(acme.Id, Account, created.Value.Record.Id, Ct));
    }
}
