using System.Net;
using System.Text.RegularExpressions;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// Webhooks from the console against a real receiver on loopback: a webhook created in the console is the one
/// /api/webhooks lists and receives the org's changes; its delivery log shows each event; Redeliver queues a
/// delivered event again, which arrives with the same event id and the next attempt number.
/// </summary>
public sealed class ConsoleWebhooksTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    CrmServerFixture Server => fixture.Server;

    [Fact]
    public async Task Webhook_CreatedInTheConsole_IsListedByTheApi_LogsDeliveries_AndRedeliverQueuesOneAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await Server.CreateTenantAsync("Console webhooks");
        await ConsoleClient.SetPasswordAsync(Server, tenant);
        using var client = await ConsoleClient.SignedInAsync(Server, tenant.Username);
        await client.GetAsync("/console/admin/webhooks");

        var refused = await client.PostAsync("/console/admin/webhooks", new() { ["url"] = "not a url" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("is not an absolute http(s) URL", refused.Html);

        var created = await client.PostAsync("/console/admin/webhooks", new()
        {
            ["url"] = receiver.Url().ToString(), ["objects"] = "Contact", ["operations"] = "created", ["secret"] = WebhookReceiver.Secret,
        });
        Assert.True(created.Status == HttpStatusCode.OK, $"{(int)created.Status} {created.Html}");
        Assert.Equal(WebhookReceiver.Secret, Regex.Match(created.Html, "<code id=\"new-secret\">([^<]+)</code>").Groups[1].Value);
        var listed = Assert.Single((await GetAsync(Server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("webhooks").EnumerateArray());
        string hook = listed.Str("id");
        Assert.Equal(receiver.Url().ToString(), listed.Str("url"));
        Assert.Contains($"<tr data-webhook=\"{hook}\">", created.Html);
        Assert.Contains("<td>Contact</td><td>created</td><td>all</td>", created.Html);
        Assert.DoesNotContain(WebhookReceiver.Secret, (await client.GetAsync("/console/admin/webhooks")).Html); // shown once

        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Hooked" })).Str("Id");
        var arrived = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1, Patience));
        Assert.True(arrived.SignatureValid);
        Assert.Equal((contact, 1), (arrived.RecordId(), arrived.Attempt));
        await Webhooks.WaitForDeliveriesAsync(tenant, hook, log => log.Length == 1 && log[0].Str("status") == "delivered", Patience);

        var log = await client.GetAsync($"/console/admin/webhooks/{hook}");
        Assert.Equal(HttpStatusCode.OK, log.Status);
        Assert.Contains($"<tr data-delivery=\"{arrived.EventId}\" data-status=\"delivered\">", log.Html);
        Assert.Contains($"Contact {contact}", log.Html);
        Assert.Contains("HTTP 204", log.Html);

        var redelivered = await client.PostAsync($"/console/admin/webhooks/deliveries/{arrived.EventId}/redeliver", new() { ["webhook"] = hook });
        Assert.True(redelivered.Status == HttpStatusCode.Redirect, $"{(int)redelivered.Status} {redelivered.Html}");
        Assert.Equal($"/console/admin/webhooks/{hook}", redelivered.Location);
        var again = await receiver.WaitForAsync(r => r.Count >= 2, Patience);
        Assert.Equal((arrived.EventId, 2, contact), (again[1].EventId, again[1].Attempt, again[1].RecordId()));
        var delivery = Assert.Single(await Webhooks.WaitForDeliveriesAsync(tenant, hook, l => l[0].Str("status") == "delivered" && l[0].GetProperty("attempts").GetInt32() == 2, Patience));
        Assert.Equal(arrived.EventId, delivery.Str("id"));

        // Test sends a ping through the same log; Delete removes the subscription from the API's list.
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync($"/console/admin/webhooks/{hook}/test", [])).Status);
        Assert.Contains("data-status=\"delivered\"><td>evt_", (await client.GetAsync($"/console/admin/webhooks/{hook}?status=delivered")).Html);
        Assert.Equal(2, (await Webhooks.DeliveriesAsync(tenant, hook)).Length);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync($"/console/admin/webhooks/{hook}/delete", [])).Status);
        Assert.Equal(0, (await GetAsync(Server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/console/admin/webhooks/{hook}")).Status);
    }

    [Fact]
    public async Task Webhook_EditedInTheConsole_SendsToTheNewUrlWithTheNewFilter_KeepsItsSecret_AndABadEditChangesNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await Server.CreateTenantAsync("Console webhook edit");
        await ConsoleClient.SetPasswordAsync(Server, tenant);
        using var client = await ConsoleClient.SignedInAsync(Server, tenant.Username);
        await client.GetAsync("/console/admin/webhooks");
        var created = await client.PostAsync("/console/admin/webhooks", new()
        {
            ["url"] = receiver.Url("first").ToString(), ["objects"] = "Contact", ["operations"] = "created", ["secret"] = WebhookReceiver.Secret,
        });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        string hook = Assert.Single((await GetAsync(Server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("webhooks").EnumerateArray()).Str("id");

        var page = await client.GetAsync($"/console/admin/webhooks/{hook}");
        Assert.Contains($"<input id=\"edit-url\" name=\"url\" type=\"url\" required value=\"{receiver.Url("first")}\">", page.Html);
        Assert.Contains("<input type=\"checkbox\" name=\"objects\" value=\"Contact\" checked>", page.Html);
        var bad = await client.PostAsync($"/console/admin/webhooks/{hook}/edit", new() { ["url"] = "nope", ["objects"] = "Account" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("url &#x27;nope&#x27; is not an absolute http(s) URL", bad.Html);
        var unknownObject = await client.PostAsync($"/console/admin/webhooks/{hook}/edit", new() { ["url"] = receiver.Url("second").ToString(), ["objects"] = "Gadget" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownObject.Status);
        var unchanged = Assert.Single((await GetAsync(Server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("webhooks").EnumerateArray());
        Assert.Equal((receiver.Url("first").ToString(), "Contact"), (unchanged.Str("url"), unchanged.GetProperty("objects")[0].GetString()));

        var saved = await client.PostAsync($"/console/admin/webhooks/{hook}/edit", new()
        {
            ["url"] = receiver.Url("second").ToString(), ["objects"] = "Account", ["operations"] = "created", ["fields"] = "",
        });
        Assert.True(saved.Status == HttpStatusCode.OK, $"{(int)saved.Status} {saved.Html}");
        Assert.Contains($"Saved: events now go to {receiver.Url("second")}.", saved.Html);
        var listed = Assert.Single((await GetAsync(Server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("webhooks").EnumerateArray());
        Assert.Equal((hook, receiver.Url("second").ToString(), "Account", "created"),
            (listed.Str("id"), listed.Str("url"), listed.GetProperty("objects")[0].GetString(), listed.GetProperty("operations")[0].GetString()));

        // A contact no longer matches; an account does, and goes to the new URL signed with the same secret.
        await tenant.CallOkAsync("create_contact", new { LastName = "Unhooked" });
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Hooked Inc" })).Str("Id");
        var arrived = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1, Patience));
        Assert.True(arrived.SignatureValid);
        Assert.Equal(("second", account), (arrived.Path, arrived.RecordId()));

        // Another tenant's admin cannot edit it: not found, unchanged.
        var other = await Server.CreateTenantAsync("Console webhook edit stranger");
        await ConsoleClient.SetPasswordAsync(Server, other);
        using var stranger = await ConsoleClient.SignedInAsync(Server, other.Username);
        await stranger.GetAsync("/console/admin/webhooks");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/console/admin/webhooks/{hook}/edit", new() { ["url"] = "https://1.1.1.1/stolen" })).Status);
        Assert.Equal(receiver.Url("second").ToString(), Assert.Single((await GetAsync(Server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("webhooks").EnumerateArray()).Str("url"));
    }
}
