using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static RevOps.Server.Tests.WebhookReceiver;

namespace RevOps.Server.Tests;

public sealed class WebhookDeliveryTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    readonly CrmServerFixture _server = fixture.Server;
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Writes_AfterCreate_ArriveSignedOncePerChangeWithTheChangeLogPayload()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await _server.CreateTenantAsync("Hooked");
        await tenant.CallOkAsync("create_contact", new { LastName = "Before" }); // seq 1: before the webhook, not sent
        string hook = await Webhooks.CreateAsync(tenant, receiver.Url());

        string id = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Hook", Email = "ada@old.test" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = id, Email = "ada@new.test" });
        await tenant.CallOkAsync("delete_record", new { Id = id });
        var events = await receiver.WaitForAsync(r => r.Count >= 3, Patience);

        Assert.Equal(["created", "updated", "deleted"], events.Select(e => e.Operation()));
        Assert.Equal([2L, 3L, 4L], events.Select(e => e.Seq()));
        Assert.All(events, e =>
        {
            Assert.True(e.SignatureValid);
            Assert.Equal(1, e.Attempt);
            Assert.Equal(e.EventId, e.Body.Str("id"));
            Assert.StartsWith("evt_", e.EventId);
            Assert.Equal(hook, e.Body.Str("webhookId"));
            Assert.Equal("Contact", e.Body.Str("object"));
            Assert.Equal(id, e.RecordId());
            Assert.Equal($$"""{"id":"{{tenant.UserId}}","name":"Integration User","channel":"mcp"}""", e.Body.GetProperty("actor").GetRawText());
            Assert.Equal(["id", "webhookId", "object", "recordId", "operation", "seq", "time", "actor", "changes"], e.Body.EnumerateObject().Select(p => p.Name));
            Assert.DoesNotContain(tenant.TenantId, e.Body.GetRawText());
        });
        Assert.Equal("""{"Email":{"before":"ada@old.test","after":"ada@new.test"}}""", events[1].Body.GetProperty("changes").GetRawText());
        Assert.Equal("ada@old.test", events[0].Body.GetProperty("changes").GetProperty("Email").GetProperty("after").GetString());

        // The receiver can hold the last event a moment before the server has recorded the 204.
        var log = await Webhooks.WaitForDeliveriesAsync(tenant, hook, l => l.Length == 3, Patience, status: "delivered");
        Assert.Equal([4L, 3L, 2L], log.Select(d => d.GetProperty("seq").GetInt64()));
        Assert.All(log, d => Assert.Equal(("delivered", 1, 204), (d.Str("status"), d.GetProperty("attempts").GetInt32(), d.GetProperty("lastStatusCode").GetInt32())));
        Assert.Equal(3, receiver.Accepted.Count);
    }

    [Fact]
    public async Task Filters_ObjectOperationAndField_SendOnlyMatchingChanges()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await _server.CreateTenantAsync("Filtered");
        string deals = await Webhooks.CreateAsync(tenant, receiver.Url("deals"), objects: ["Opportunity"], operations: ["stage_changed"]);
        string emails = await Webhooks.CreateAsync(tenant, receiver.Url("emails"), objects: ["contact"], fields: ["Email"]);

        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Filter", Email = "f@filter.test" })).Str("Id"); // 1: emails
        await tenant.CallOkAsync("update_contact", new { Id = contact, Title = "CTO" });                                              // 2: none
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Deal", StageName = "Prospecting", CloseDate = "2027-01-01" })).Str("Id"); // 3: none
        await tenant.CallOkAsync("update_contact", new { Id = contact, Email = "g@filter.test" });                                    // 4: emails
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = deal, StageName = "Closed Won" });                            // 5: deals

        var events = await receiver.WaitForAsync(r => r.Count >= 3, Patience);
        Assert.Equal([("deals", 5L, "stage_changed", deal)], events.Where(e => e.Path == "deals").Select(e => (e.Path, e.Seq(), e.Operation(), e.RecordId())));
        Assert.Equal([("emails", 1L, "created", contact), ("emails", 4L, "updated", contact)],
            events.Where(e => e.Path == "emails").Select(e => (e.Path, e.Seq(), e.Operation(), e.RecordId())));
        // Both cursors have passed seq 5 by now, so the logs are complete.
        Assert.Single(await Webhooks.DeliveriesAsync(tenant, deals));
        Assert.Equal(2, (await Webhooks.DeliveriesAsync(tenant, emails)).Length);

        var listed = await tenant.CallOkAsync("manage_webhooks", new { action = "list" });
        Assert.Equal(2, listed.GetProperty("count").GetInt32());
        var first = listed.GetProperty("webhooks")[0];
        Assert.Equal("""["Opportunity"]""", first.GetProperty("objects").GetRawText());
        Assert.Equal("""["stage_changed"]""", first.GetProperty("operations").GetRawText());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("fields").ValueKind);
        Assert.False(first.TryGetProperty("secret", out _));
        Assert.Equal("""["Contact"]""", listed.GetProperty("webhooks")[1].GetProperty("objects").GetRawText());
    }

    [Fact]
    public async Task ReceiverOutage_503ThenConnectionRefused_EveryEventArrivesInOrderPerRecord()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = Mode.Unavailable;
        var tenant = await _server.CreateTenantAsync("Outage");
        string hook = await Webhooks.CreateAsync(tenant, receiver.Url());

        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i => (await tenant.CallOkAsync("create_contact", new { LastName = $"Down{i}" })).Str("Id")));
        await Task.WhenAll(ids.Select(async id =>
        {
            for (int n = 0; n < 3; n++) await tenant.CallOkAsync("update_contact", new { Id = id, Title = $"T{n}" });
        }));
        await WaitAsync(() => receiver.Requests >= 8);
        await receiver.StopAsync();
        await Task.WhenAll(ids.Select(id => tenant.CallOkAsync("update_contact", new { Id = id, Title = "While refused" })));
        await Webhooks.WaitForDeliveriesAsync(tenant, hook, log => log.Any(d => d.TryGetProperty("lastError", out var e) && e.GetString()!.Contains("ConnectionRefused", StringComparison.Ordinal)), Patience);
        Assert.Empty(receiver.Accepted);

        receiver.Answer = Mode.Accept;
        await receiver.StartAgainAsync();
        var arrived = Distinct(await receiver.WaitForAsync(r => Distinct(r).Count >= 20, Patience));

        var changes = ChangeLogFile.Read(_server, tenant.TenantId);
        Assert.Equal(20, changes.Count);
        Assert.Equal(changes.Select(c => (c.RecordId, c.Seq)).Order(), arrived.Select(e => (e.RecordId(), e.Seq())).Order());
        foreach (var id in ids)
        {
            var seqs = arrived.Where(e => e.RecordId() == id).Select(e => e.Seq()).ToList();
            Assert.Equal(seqs.Order(), seqs);
        }
        Assert.All(arrived, e => Assert.True(e.SignatureValid));
        var log = await Webhooks.WaitForDeliveriesAsync(tenant, hook, l => l.All(d => d.Str("status") == "delivered"), Patience);
        Assert.Equal(20, log.Length);
        Assert.Contains(log, d => d.GetProperty("attempts").GetInt32() > 1);
    }

    [Fact]
    public async Task Tenants_SeeOnlyTheirWebhooks_AndReceiveOnlyTheirChanges()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var acme = await _server.CreateTenantAsync("Acme hooks");
        var globex = await _server.CreateTenantAsync("Globex hooks");
        string acmeHook = await Webhooks.CreateAsync(acme, receiver.Url("acme"));
        await Webhooks.CreateAsync(globex, receiver.Url("globex"));
        string acmeContact = (await acme.CallOkAsync("create_contact", new { LastName = "Acme" })).Str("Id");
        string globexContact = (await globex.CallOkAsync("create_contact", new { LastName = "Globex" })).Str("Id");

        var events = await receiver.WaitForAsync(r => r.Count >= 2, Patience);
        Assert.Equal([("acme", acmeContact)], events.Where(e => e.Path == "acme").Select(e => (e.Path, e.RecordId())));
        Assert.Equal([("globex", globexContact)], events.Where(e => e.Path == "globex").Select(e => (e.Path, e.RecordId())));
        string acmeEvent = (await Webhooks.DeliveriesAsync(acme, acmeHook))[0].Str("id");

        var listed = await globex.CallOkAsync("manage_webhooks", new { action = "list" });
        Assert.Equal(1, listed.GetProperty("count").GetInt32());
        Assert.NotEqual(acmeHook, listed.GetProperty("webhooks")[0].Str("id"));
        string notFound = $"NOT_FOUND: no webhook '{acmeHook}' in this org. List webhooks to see their ids (wh_…).";
        Assert.Equal(notFound, Mcp.ErrorText(await globex.CallAsync("manage_webhooks", new { action = "delete", webhook_id = acmeHook })));
        Assert.Equal(notFound, Mcp.ErrorText(await globex.CallAsync("manage_webhooks", new { action = "deliveries", webhook_id = acmeHook })));
        Assert.Equal(notFound, Mcp.ErrorText(await globex.CallAsync("manage_webhooks", new { action = "test", webhook_id = acmeHook })));
        Assert.Equal($"NOT_FOUND: no webhook delivery '{acmeEvent}' in this org. List deliveries to find its id (evt_…).",
            Mcp.ErrorText(await globex.CallAsync("manage_webhooks", new { action = "redeliver", delivery_id = acmeEvent })));

        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_server.BaseUri, $"api/webhooks/{acmeHook}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", globex.ApiKey);
        using var response = await _server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(await Webhooks.DeliveriesAsync(acme, acmeHook));
    }

    [Fact]
    public async Task RetriesPastMaxAge_DeadLettered_ThenRedeliveredWithTheSameEventId()
    {
        await using var server = new CrmServerFixture(conformanceFixtures: false, WebhookServerFixture.Settings(maxAge: TimeSpan.FromSeconds(2)));
        await server.InitializeAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = Mode.Unavailable;
        var tenant = await server.CreateTenantAsync("Dead letters");
        string hook = await Webhooks.CreateAsync(tenant, receiver.Url());
        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Undeliverable" })).Str("Id");

        var dead = Assert.Single(await Webhooks.WaitForDeliveriesAsync(tenant, hook, log => log.Length == 1, Patience, status: "dead"));
        Assert.Equal((id, 503, "HTTP 503 Service Unavailable"), (dead.Str("recordId"), dead.GetProperty("lastStatusCode").GetInt32(), dead.Str("lastError")));
        int attempts = dead.GetProperty("attempts").GetInt32();
        Assert.True(attempts >= 3, $"only {attempts} attempts in the 2 s window");
        Assert.False(dead.TryGetProperty("nextAttemptAt", out _));

        receiver.Answer = Mode.Accept;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, $"api/webhooks/deliveries/{dead.Str("id")}/redeliver"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(("pending", attempts), (queued.Str("status"), queued.GetProperty("attempts").GetInt32()));

        var arrived = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1, Patience));
        Assert.Equal((dead.Str("id"), attempts + 1, id), (arrived.EventId, arrived.Attempt, arrived.RecordId()));
        var delivered = Assert.Single(await Webhooks.WaitForDeliveriesAsync(tenant, hook, log => log[0].Str("status") == "delivered", Patience));
        Assert.Equal(204, delivered.GetProperty("lastStatusCode").GetInt32());
    }

    static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("condition not met in time");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
