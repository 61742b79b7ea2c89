using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Webhooks;

namespace RevOps.Storage.Tests;

/// <summary>
/// Webhooks (IWebhookStore) and the outbox (IWebhookOutbox): a commit fans out into deliveries, due ones
/// are leased, a lease keeps them from a second sender until it ends, outcomes are recorded. The outbox reads
/// every tenant, so each test opens a database of its own.
/// </summary>
public sealed class OutboxContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Whole seconds, so every backend stores the instants the tests compare exactly.</summary>
    static readonly DateTime T0 = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds));

    [Theory, Backends]
    public async Task FanOut_CommitsMatchingFilter_QueueOnePendingDeliveryEach(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var webhook = await ContactHookAsync(store, acme);
        await acme.CreateAsync(Account, """{"Name":"Not a contact"}""", Ct);
        var ada = await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        var grace = await acme.CreateAsync(Contact, """{"LastName":"Hopper"}""", Ct);

        Assert.True(store.Backend.Outbox.HasChangesToFanOut());
        int queued = await store.Backend.Outbox.FanOutAsync(T0, 100, Ct);
        var deliveries = await store.Backend.Webhooks.ListDeliveriesAsync(acme.Id, webhook.Id, null, 10, Ct);

        Assert.Equal(2, queued);
        Assert.False(store.Backend.Outbox.HasChangesToFanOut());
        Assert.Equal(0, await store.Backend.Outbox.FanOutAsync(T0, 100, Ct));
        Assert.Equal(2, store.Backend.Outbox.Backlog());
        Assert.Equal(T0, store.Backend.Outbox.NextDue());
        Assert.Equal([(2L, ada.Id), (3L, grace.Id)], deliveries.Select(d => (d.Seq!.Value, d.RecordId!)).OrderBy(p => p.Item1));
        Assert.All(deliveries, d =>
        {
            Assert.Equal(webhook.Id, d.WebhookId);
            Assert.Equal("Contact", d.Object);
            Assert.Equal("created", d.Operation);
            Assert.Equal(DeliveryStatus.Pending, d.Status);
            Assert.Equal(0, d.Attempts);
            Assert.Equal(T0, d.NextAttemptAt);
            Assert.Null(d.DeliveredAt);
        });
    }

    [Theory, Backends]
    public async Task ClaimDue_LeasedDelivery_NotClaimedAgainUntilTheLeaseEnds(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var webhook = await ContactHookAsync(store, acme);
        var ada = await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        await store.Backend.Outbox.FanOutAsync(T0, 100, Ct);

        var first = await store.Backend.Outbox.ClaimDueAsync(T0, T0.AddSeconds(30), 10, Ct);
        var whileLeased = await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(29), T0.AddSeconds(59), 10, Ct);
        var afterLease = await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(31), T0.AddSeconds(61), 10, Ct);

        var claimed = Assert.Single(first);
        Assert.Equal(acme.Id, claimed.Tenant);
        Assert.Equal(webhook.Id, claimed.WebhookId);
        Assert.Equal("https://hooks.acme.test/revops", claimed.Url);
        Assert.Equal("whsec-acme-0123456789", claimed.Secret);
        Assert.Equal(1, claimed.Attempt);
        Assert.Equal(T0, claimed.WindowStart);
        using (var payload = JsonDocument.Parse(claimed.Payload))
        {
            Assert.Equal(claimed.Id, payload.RootElement.GetProperty("id").GetString());
            Assert.Equal(webhook.Id, payload.RootElement.GetProperty("webhookId").GetString());
            Assert.Equal("Contact", payload.RootElement.GetProperty("object").GetString());
            Assert.Equal(ada.Id, payload.RootElement.GetProperty("recordId").GetString());
            Assert.Equal("created", payload.RootElement.GetProperty("operation").GetString());
            Assert.Equal(1, payload.RootElement.GetProperty("seq").GetInt64());
            Assert.Equal(acme.User.Id, payload.RootElement.GetProperty("actor").GetProperty("id").GetString());
            Assert.Equal(acme.User.Name, payload.RootElement.GetProperty("actor").GetProperty("name").GetString());
            Assert.Equal("Lovelace", payload.RootElement.GetProperty("changes").GetProperty("LastName").GetProperty("after").GetString());
        }
        Assert.Empty(whileLeased);
        var again = Assert.Single(afterLease);
        Assert.Equal(claimed.Id, again.Id);
        Assert.Equal(2, again.Attempt);
        Assert.NotEqual(claimed.Lease, again.Lease);
        Assert.Equal(T0.AddSeconds(61), (await store.Backend.Webhooks.GetDeliveryAsync(acme.Id, claimed.Id, Ct))!.NextAttemptAt);
    }

    [Theory, Backends]
    public async Task Record_Delivered_MarksDeliveredAndLeavesTheBacklog(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await ContactHookAsync(store, acme);
        await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        await store.Backend.Outbox.FanOutAsync(T0, 100, Ct);
        var claimed = Assert.Single(await store.Backend.Outbox.ClaimDueAsync(T0, T0.AddSeconds(30), 10, Ct));

        await store.Backend.Outbox.RecordAsync(new AttemptOutcome(claimed, Delivered: true, 204, 12.5, null, T0.AddSeconds(1), null), Ct);
        var delivery = (await store.Backend.Webhooks.GetDeliveryAsync(acme.Id, claimed.Id, Ct))!;

        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(204, delivery.LastStatusCode);
        Assert.Equal(12.5, delivery.LastLatencyMs);
        Assert.Null(delivery.LastError);
        Assert.Equal(T0.AddSeconds(1), delivery.DeliveredAt);
        Assert.Equal(T0, delivery.LastAttemptAt);
        Assert.Equal(0, store.Backend.Outbox.Backlog());
        Assert.Null(store.Backend.Outbox.NextDue());
        Assert.Empty(await store.Backend.Outbox.ClaimDueAsync(T0.AddHours(1), T0.AddHours(2), 10, Ct));
    }

    [Theory, Backends]
    public async Task Record_FailedWithRetryThenWithout_PendingAgainThenDead(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await ContactHookAsync(store, acme);
        await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        await store.Backend.Outbox.FanOutAsync(T0, 100, Ct);

        var first = Assert.Single(await store.Backend.Outbox.ClaimDueAsync(T0, T0.AddSeconds(30), 10, Ct));
        await store.Backend.Outbox.RecordAsync(new AttemptOutcome(first, Delivered: false, 503, 40, "HTTP 503", T0.AddSeconds(1), T0.AddSeconds(10)), Ct);
        var retrying = (await store.Backend.Webhooks.GetDeliveryAsync(acme.Id, first.Id, Ct))!;
        var early = await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(9), T0.AddSeconds(39), 10, Ct);
        var second = Assert.Single(await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(10), T0.AddSeconds(40), 10, Ct));
        await store.Backend.Outbox.RecordAsync(new AttemptOutcome(second, Delivered: false, null, 5000, "timed out", T0.AddSeconds(15), null), Ct);
        var dead = (await store.Backend.Webhooks.GetDeliveryAsync(acme.Id, first.Id, Ct))!;

        Assert.Equal(DeliveryStatus.Pending, retrying.Status);
        Assert.Equal(T0.AddSeconds(10), retrying.NextAttemptAt);
        Assert.Equal(503, retrying.LastStatusCode);
        Assert.Equal("HTTP 503", retrying.LastError);
        Assert.Empty(early);
        Assert.Equal(2, second.Attempt);
        Assert.Equal(DeliveryStatus.Dead, dead.Status);
        Assert.Equal(2, dead.Attempts);
        Assert.Null(dead.LastStatusCode);
        Assert.Equal("timed out", dead.LastError);
        Assert.Null(dead.DeliveredAt);
        Assert.Equal(0, store.Backend.Outbox.Backlog());
    }

    [Theory, Backends]
    public async Task Record_AfterAnotherSenderLeasedIt_IsIgnored(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await ContactHookAsync(store, acme);
        await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        await store.Backend.Outbox.FanOutAsync(T0, 100, Ct);
        var slow = Assert.Single(await store.Backend.Outbox.ClaimDueAsync(T0, T0.AddSeconds(30), 10, Ct));
        var next = Assert.Single(await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(31), T0.AddSeconds(61), 10, Ct));

        await store.Backend.Outbox.RecordAsync(new AttemptOutcome(slow, Delivered: true, 200, 1, null, T0.AddSeconds(32), null), Ct);
        var afterStale = (await store.Backend.Webhooks.GetDeliveryAsync(acme.Id, slow.Id, Ct))!;
        await store.Backend.Outbox.RecordAsync(new AttemptOutcome(next, Delivered: true, 200, 1, null, T0.AddSeconds(33), null), Ct);
        var afterCurrent = (await store.Backend.Webhooks.GetDeliveryAsync(acme.Id, slow.Id, Ct))!;

        Assert.Equal(DeliveryStatus.Pending, afterStale.Status);
        Assert.Equal(2, afterStale.Attempts);
        Assert.Equal(DeliveryStatus.Delivered, afterCurrent.Status);
        Assert.Equal(T0.AddSeconds(33), afterCurrent.DeliveredAt);
    }

    [Theory, Backends]
    public async Task ClaimDue_EarlierEventOfSameRecordPending_HoldsTheLaterOneBack(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await ContactHookAsync(store, acme);
        var ada = await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        await acme.UpdateAsync(Contact, ada.Id, """{"Title":"Countess"}""", Ct);
        await store.Backend.Outbox.FanOutAsync(T0, 100, Ct);

        var first = await store.Backend.Outbox.ClaimDueAsync(T0, T0.AddSeconds(30), 10, Ct);
        var held = await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(1), T0.AddSeconds(31), 10, Ct);
        await store.Backend.Outbox.RecordAsync(new AttemptOutcome(Assert.Single(first), Delivered: true, 200, 1, null, T0.AddSeconds(2), null), Ct);
        var then = await store.Backend.Outbox.ClaimDueAsync(T0.AddSeconds(2), T0.AddSeconds(32), 10, Ct);

        Assert.Equal("created", Operation(Assert.Single(first)));
        Assert.Empty(held);
        Assert.Equal("updated", Operation(Assert.Single(then)));
    }

    [Theory, Backends]
    public async Task Webhooks_OtherTenant_NeitherSeesNorChangesNorFeedsThem(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var webhook = await ContactHookAsync(store, acme);
        await globex.CreateAsync(Contact, """{"LastName":"Globex contact"}""", Ct);
        Assert.Equal(0, await store.Backend.Outbox.FanOutAsync(T0, 100, Ct));
        await acme.CreateAsync(Contact, """{"LastName":"Acme contact"}""", Ct);
        Assert.Equal(1, await store.Backend.Outbox.FanOutAsync(T0, 100, Ct));
        var delivery = Assert.Single(await store.Backend.Webhooks.ListDeliveriesAsync(acme.Id, webhook.Id, null, 10, Ct));

        Assert.Empty(await store.Backend.Webhooks.ListAsync(globex.Id, Ct));
        Assert.Null(await store.Backend.Webhooks.GetAsync(globex.Id, webhook.Id, Ct));
        Assert.Empty(await store.Backend.Webhooks.ListDeliveriesAsync(globex.Id, webhook.Id, null, 10, Ct));
        Assert.Null(await store.Backend.Webhooks.GetDeliveryAsync(globex.Id, delivery.Id, Ct));
        Assert.False(await store.Backend.Webhooks.DeleteAsync(globex.Id, webhook.Id, Ct));
        Assert.Equal([webhook.Id], (await store.Backend.Webhooks.ListAsync(acme.Id, Ct)).Select(w => w.Id));
        Assert.True(await store.Backend.Webhooks.DeleteAsync(acme.Id, webhook.Id, Ct));
        Assert.Empty(await store.Backend.Webhooks.ListAsync(acme.Id, Ct));
    }

    [Theory, Backends]
    public async Task Create_Webhook_StoredWithItsFilter(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);

        var created = await store.WebhookService.CreateAsync(acme.Caller,
            new WebhookSpec("https://hooks.acme.test/deals", "whsec-acme-0123456789", ["Opportunity"], ["stage_changed"], ["StageName", "Amount"]), Ct);
        var stored = await store.Backend.Webhooks.GetAsync(acme.Id, created.Value.Webhook.Id, Ct);

        Assert.NotNull(stored);
        Assert.Equal(acme.Id, stored.Tenant);
        Assert.Equal("https://hooks.acme.test/deals", stored.Url);
        Assert.True(stored.Active);
        Assert.Equal(["Opportunity"], stored.Filter.Objects!);
        Assert.Equal(["stage_changed"], stored.Filter.Operations!);
        Assert.Equal(["StageName", "Amount"], stored.Filter.Fields!);
        Assert.Equal(created.Value.Webhook.CreatedAt, stored.CreatedAt, TimeSpan.FromMilliseconds(1));
    }

    static async Task<Webhook> ContactHookAsync(TestStore store, TestTenant tenant)
    {
        var created = await store.WebhookService.CreateAsync(tenant.Caller,
            new WebhookSpec("https://hooks.acme.test/revops", "whsec-acme-0123456789", ["Contact"], null, null), Ct);
        Assert.True(created.IsOk, created.IsOk ? "" : created.Error.Message);
        return created.Value.Webhook;
    }

    static string Operation(DueDelivery delivery)
    {
        using var payload = JsonDocument.Parse(delivery.Payload);
        return payload.RootElement.GetProperty("operation").GetString()!;
    }
}
