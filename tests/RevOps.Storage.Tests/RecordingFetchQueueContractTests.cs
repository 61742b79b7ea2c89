using RevOps.Domain.Metadata;
using RevOps.Domain.Voice;

namespace RevOps.Storage.Tests;

/// <summary>
/// The recording fetch queue (IRecordingFetchQueue): a call's merge with a RecordingSid queues its fetch once, however
/// often the callback is replayed; a claim leases it (one claimer wins), renewal and the outcome need the current lease,
/// a lapsed lease makes the fetch due again, and a tenant sees only its own fetches.
/// </summary>
public sealed class RecordingFetchQueueContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTime T0 = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds));
    const string Sid = "CA0123456789abcdef0123456789abcdef";
    const string Recording = "RE0123456789abcdef0123456789abcdef";
    const string Url = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/" + Recording;

    [Theory, Backends]
    public async Task MergeQueuesOnce_ClaimLeases_RenewAndFinishNeedTheLease_LapsedLeaseFallsDueAgain(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        var task = await acme.CreateAsync(StandardObjects.Task, $$"""{"Subject":"Call","TaskSubtype":"Call","CallObject":"{{Sid}}"}""", Ct);
        var voice = store.Backend.Voice;
        var queue = store.Backend.RecordingFetches;

        for (int i = 0; i < 3; i++) await voice.MergeCallAsync(acme.Id, new VoiceCallUpdate(Sid, task.Id, Url, null, null, Recording), T0.AddSeconds(i), Ct);
        var queued = Assert.Single(await queue.ListAsync(acme.Id, Sid, Ct));
        Assert.Equal((Recording, Url, RecordingFetchStatus.Pending, 0, (string?)null, T0, (DateTime?)null),
            (queued.RecordingSid, queued.RecordingUrl, queued.Status, queued.Attempts, queued.LastError, queued.CreatedAt, queued.FinishedAt));
        Assert.Empty(await queue.ListAsync(other.Id, Sid, Ct));
        Assert.Equal(T0, await queue.NextDueAsync(Ct));

        var lease = T0.AddSeconds(30);
        var claimed = Assert.Single(await queue.ClaimAsync(T0.AddSeconds(1), lease, 10, Ct));
        Assert.Equal((acme.Id, Recording, Sid, Url, 1), (claimed.Tenant, claimed.RecordingSid, claimed.CallSid, claimed.RecordingUrl, claimed.Attempt));
        Assert.Empty(await queue.ClaimAsync(T0.AddSeconds(2), T0.AddSeconds(40), 10, Ct));
        Assert.Equal(lease, await queue.NextDueAsync(Ct));

        var renewed = await queue.RenewAsync(claimed, T0.AddSeconds(60), Ct);
        Assert.NotNull(renewed);
        Assert.Null(await queue.RenewAsync(claimed, T0.AddSeconds(90), Ct)); // the old lease is no longer the stored one
        Assert.False(await queue.FinishAsync(claimed, new RecordingFetchOutcome(RecordingFetchStatus.Stored, null, T0.AddSeconds(3)), Ct));

        // A node that stops renewing: the fetch falls due at its lease's end and another claim takes it (a second attempt).
        var again = Assert.Single(await queue.ClaimAsync(T0.AddSeconds(61), T0.AddSeconds(91), 10, Ct));
        Assert.Equal(2, again.Attempt);
        Assert.False(await queue.FinishAsync(renewed, new RecordingFetchOutcome(RecordingFetchStatus.Stored, null, T0.AddSeconds(62)), Ct));
        Assert.True(await queue.FinishAsync(again, new RecordingFetchOutcome(RecordingFetchStatus.Pending, "Twilio answered 503", T0.AddSeconds(62), T0.AddSeconds(70)), Ct));
        Assert.Equal(T0.AddSeconds(70), await queue.NextDueAsync(Ct));
        Assert.Empty(await queue.ClaimAsync(T0.AddSeconds(69), T0.AddSeconds(99), 10, Ct));

        var third = Assert.Single(await queue.ClaimAsync(T0.AddSeconds(70), T0.AddSeconds(100), 10, Ct));
        Assert.True(await queue.FinishAsync(third, new RecordingFetchOutcome(RecordingFetchStatus.Failed, "Gave up after 3 attempts", T0.AddSeconds(71)), Ct));
        var done = Assert.Single(await queue.ListAsync(acme.Id, Sid, Ct));
        Assert.Equal((RecordingFetchStatus.Failed, 3, "Gave up after 3 attempts", (DateTime?)T0.AddSeconds(71)), (done.Status, done.Attempts, done.LastError, done.FinishedAt));
        Assert.Null(await queue.NextDueAsync(Ct));

        // A replayed callback after the end queues nothing more.
        await voice.MergeCallAsync(acme.Id, new VoiceCallUpdate(Sid, task.Id, Url, null, null, Recording), T0.AddSeconds(80), Ct);
        Assert.Equal(RecordingFetchStatus.Failed, Assert.Single(await queue.ListAsync(acme.Id, Sid, Ct)).Status);
        Assert.Empty(await queue.ClaimAsync(T0.AddSeconds(200), T0.AddSeconds(230), 10, Ct));
    }
}
