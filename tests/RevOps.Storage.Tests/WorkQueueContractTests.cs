using RevOps.Domain.Work;

namespace RevOps.Storage.Tests;

/// <summary>
/// The work queue (IWorkQueueStore): concurrent claimers get distinct items in priority, due and age order; a lease
/// keeps an item from other claimers until it lapses, and only the live lease finishes it; the last lapsed attempt
/// fails it; an idempotency key enqueues once; another tenant sees, claims and finishes nothing.
/// </summary>
public sealed class WorkQueueContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTime T0 = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds));
    const int Max = 3;

    static NewWorkItem Item(TestTenant tenant, string id, int priority = WorkPriority.Normal, DateTime? due = null, string queue = "research", DateTime? created = null,
        string? key = null) =>
        new(tenant.Id, id, queue, "task", null, null, "Prompt of " + id, priority, due, null, key, tenant.User.Id, created ?? T0);

    [Theory, Backends]
    public async Task Claim_SixteenClaimersAtOnce_GetTheTenItemsOnceEach_InPriorityDueAndAgeOrder(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var work = store.Backend.WorkQueue;
        await work.EnqueueAsync(Item(acme, "wi_low", WorkPriority.Low), Ct);
        await work.EnqueueAsync(Item(acme, "wi_high", WorkPriority.High, created: T0.AddSeconds(5)), Ct);
        await work.EnqueueAsync(Item(acme, "wi_due_late", due: T0.AddDays(2)), Ct);
        await work.EnqueueAsync(Item(acme, "wi_due_soon", due: T0.AddDays(1)), Ct);
        await work.EnqueueAsync(Item(acme, "wi_old", created: T0.AddSeconds(-5)), Ct);
        await work.EnqueueAsync(Item(acme, "wi_new", created: T0.AddSeconds(1)), Ct);
        await work.EnqueueAsync(Item(acme, "wi_other_queue", WorkPriority.High, queue: "calls"), Ct);

        var one = await work.ClaimAsync(acme.Id, "research", null, "lease_first", T0.AddSeconds(10), T0.AddSeconds(40), acme.User.Id, null, Max, Ct);
        Assert.Equal(("wi_high", WorkItem.States.Claimed, 1, "lease_first"), (one!.Item.Id, one.Item.State, one.Item.Attempts, one.Lease));
        Assert.Equal(T0.AddSeconds(40), one.Item.LeaseUntil);
        var next = new List<string>();
        for (int i = 0; i < 5; i++)
            next.Add((await work.ClaimAsync(acme.Id, "research", null, $"lease_{i}", T0.AddSeconds(10), T0.AddSeconds(40), acme.User.Id, null, Max, Ct))!.Item.Id);
        Assert.Equal(["wi_due_soon", "wi_due_late", "wi_old", "wi_new", "wi_low"], next);

        for (int i = 0; i < 10; i++) await work.EnqueueAsync(Item(acme, $"wi_burst_{i:00}", queue: "burst"), Ct);
        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            work.ClaimAsync(acme.Id, "burst", null, $"lease_burst_{i}", T0.AddSeconds(10), T0.AddSeconds(40), acme.User.Id, null, Max, Ct)));
        var won = claims.Where(c => c is not null).Select(c => c!.Item.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"wi_burst_{i:00}"), won);
        var counts = await work.CountsAsync(acme.Id, "burst", T0.AddSeconds(11), Max, Ct);
        Assert.Equal((0L, 10L, 0L, 0L), (counts["queued"], counts["claimed"], counts["done"], counts["failed"]));
    }

    [Theory, Backends]
    public async Task Lease_KeepsTheItemUntilItLapses_OnlyTheLiveLeaseFinishes_AndTheLastLapseFailsIt(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var work = store.Backend.WorkQueue;
        await work.EnqueueAsync(Item(acme, "wi_slow"), Ct);

        Assert.NotNull(await work.ClaimAsync(acme.Id, null, null, "lease_a", T0, T0.AddSeconds(30), acme.User.Id, "key_a", Max, Ct));
        Assert.Null(await work.ClaimAsync(acme.Id, null, null, "lease_b", T0.AddSeconds(29), T0.AddSeconds(59), acme.User.Id, null, Max, Ct));
        Assert.Equal(WorkItem.States.Queued, (await work.GetAsync(acme.Id, "wi_slow", T0.AddSeconds(30), Max, Ct))!.State);
        var b = await work.ClaimAsync(acme.Id, null, null, "lease_b", T0.AddSeconds(31), T0.AddSeconds(61), acme.User.Id, null, Max, Ct);
        Assert.Equal(2, b!.Item.Attempts);

        var stale = await work.FinishAsync(acme.Id, "wi_slow", "lease_a", WorkEnd.Done, "late", T0.AddSeconds(32), Max, Ct);
        Assert.Equal((FinishRefusal.NotHolder, WorkItem.States.Claimed), (stale.Refusal, stale.Item!.State));
        var released = await work.FinishAsync(acme.Id, "wi_slow", "lease_b", WorkEnd.Released, null, T0.AddSeconds(33), Max, Ct);
        Assert.Equal((FinishRefusal.None, WorkItem.States.Queued, 1), (released.Refusal, released.Item!.State, released.Item.Attempts));

        Assert.NotNull(await work.ClaimAsync(acme.Id, null, null, "lease_c", T0.AddSeconds(34), T0.AddSeconds(40), acme.User.Id, null, Max, Ct));
        Assert.NotNull(await work.ClaimAsync(acme.Id, null, null, "lease_d", T0.AddSeconds(41), T0.AddSeconds(50), acme.User.Id, null, Max, Ct));
        var lapsed = (await work.GetAsync(acme.Id, "wi_slow", T0.AddSeconds(51), Max, Ct))!;
        Assert.Equal((WorkItem.States.Failed, 3), (lapsed.State, lapsed.Attempts));
        Assert.Contains("lapsed", lapsed.Note);
        Assert.Null(await work.ClaimAsync(acme.Id, null, null, "lease_e", T0.AddSeconds(52), T0.AddSeconds(80), acme.User.Id, null, Max, Ct));
        var failed = await work.ListAsync(acme.Id, null, WorkItem.States.Failed, 10, T0.AddSeconds(52), Max, Ct);
        Assert.Equal(["wi_slow"], failed.Select(i => i.Id));

        await work.EnqueueAsync(Item(acme, "wi_quick"), Ct);
        var quick = await work.ClaimAsync(acme.Id, null, null, "lease_q", T0.AddSeconds(60), T0.AddSeconds(90), acme.User.Id, null, Max, Ct);
        var done = await work.FinishAsync(acme.Id, "wi_quick", "lease_q", WorkEnd.Done, "found it", T0.AddSeconds(61), Max, Ct);
        Assert.Equal((WorkItem.States.Done, "found it", T0.AddSeconds(61), (DateTime?)null), (done.Item!.State, done.Item.Note, done.Item.FinishedAt, done.Item.LeaseUntil));
        Assert.Equal(FinishRefusal.NotHolder, (await work.FinishAsync(acme.Id, "wi_quick", "lease_q", WorkEnd.Failed, "again", T0.AddSeconds(62), Max, Ct)).Refusal);
    }

    [Theory, Backends]
    public async Task TenantsAndKeys_AnotherTenantSeesClaimsAndFinishesNothing_AndAKeyEnqueuesOnce(string kind)
    {
        await using var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var work = store.Backend.WorkQueue;
        var (_, created) = await work.EnqueueAsync(Item(acme, "wi_acme", key: "automation:rule_x:7:1"), Ct);
        var (again, createdAgain) = await work.EnqueueAsync(Item(acme, "wi_acme_replay", key: "automation:rule_x:7:1"), Ct);
        Assert.Equal((true, false, "wi_acme"), (created, createdAgain, again.Id));
        var (_, globexCreated) = await work.EnqueueAsync(Item(globex, "wi_globex", key: "automation:rule_x:7:1"), Ct);
        Assert.True(globexCreated);

        Assert.Null(await work.GetAsync(globex.Id, "wi_acme", T0, Max, Ct));
        var claimed = await work.ClaimAsync(globex.Id, null, null, "lease_g", T0, T0.AddSeconds(30), globex.User.Id, null, Max, Ct);
        Assert.Equal("wi_globex", claimed!.Item.Id);
        Assert.Null(await work.ClaimAsync(globex.Id, null, null, "lease_g2", T0, T0.AddSeconds(30), globex.User.Id, null, Max, Ct));
        var acmeClaim = await work.ClaimAsync(acme.Id, null, null, "lease_a", T0, T0.AddSeconds(30), acme.User.Id, null, Max, Ct);
        Assert.Equal("wi_acme", acmeClaim!.Item.Id);
        Assert.Equal(FinishRefusal.NotFound, (await work.FinishAsync(globex.Id, "wi_acme", "lease_a", WorkEnd.Done, null, T0.AddSeconds(1), Max, Ct)).Refusal);
        Assert.Equal(["wi_globex"], (await work.ListAsync(globex.Id, null, null, 10, T0, Max, Ct)).Select(i => i.Id));
        var counts = await work.CountsAsync(globex.Id, null, T0.AddSeconds(1), Max, Ct);
        Assert.Equal((0L, 1L, 0L, 0L), (counts["queued"], counts["claimed"], counts["done"], counts["failed"]));
        Assert.Equal(WorkItem.States.Claimed, (await work.GetAsync(acme.Id, "wi_acme", T0.AddSeconds(1), Max, Ct))!.State);
    }
}
