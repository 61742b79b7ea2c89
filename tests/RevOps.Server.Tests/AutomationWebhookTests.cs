namespace RevOps.Server.Tests;

/// <summary>
/// A rule's webhook action on the real server: the event goes to one of the org's subscriptions, signed with its
/// secret and retried by the dispatcher like any change event, once per run even when the run is repeated.
/// </summary>
public sealed class AutomationWebhookTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    static object WonDealWebhook(string hook) => new
    {
        name = "Tell billing about won deals",
        @object = "Opportunity",
        trigger = new { on = "field_changed", fields = new[] { "StageName" } },
        condition = "IsWon = true",
        actions = new object[] { new { type = "webhook", webhook_id = hook, fields = new Dictionary<string, object> { ["deal"] = "{!Name}", ["amount"] = "{!Amount}", ["account"] = "{!Account.Name}" } } },
    };

    [Fact]
    public async Task WonDeal_SendsOneSignedEvent_WithTheRenderedFields_ToTheNamedSubscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await fixture.Server.CreateTenantAsync("Automation webhook");
        // The subscription itself follows only Accounts: the rule's event reaches it whatever its filters.
        string hook = await Webhooks.CreateAsync(tenant, receiver.Url("billing"), objects: ["Account"]);
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Initech" })).Str("Id");
        string ruleId = (await tenant.CallOkAsync("manage_automation", new { action = "create", rule = WonDealWebhook(hook) })).Str("id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Initech renewal", StageName = "Negotiation/Review", CloseDate = "2031-01-15", Amount = 42000, AccountId = account })).Str("Id");

        var dry = await tenant.CallOkAsync("manage_automation", new { action = "test", rule_id = ruleId, limit = 1 });
        Assert.Equal("skipped", dry.GetProperty("runs")[0].Str("status"));

        await tenant.CallOkAsync("update_opportunity_stage", new { Id = deal, StageName = "Closed Won" });
        var events = await receiver.WaitForAsync(r => r.Any(e => e.Operation() == "automation"), Patience);
        var sent = Assert.Single(events, e => e.Operation() == "automation");
        Assert.True(sent.SignatureValid);
        Assert.Equal("billing", sent.Path);
        Assert.Equal(deal, sent.RecordId());
        Assert.Equal("Opportunity", sent.Body.Str("object"));
        // A value that is one merge field keeps its type (the amount is a number).
        Assert.Equal("""{"deal":"Initech renewal","amount":42000,"account":"Initech"}""", sent.Body.GetProperty("changes").GetRawText());
        Assert.Equal("automation", sent.Body.GetProperty("actor").Str("channel"));

        // The run's log names the event; the delivery log shows it delivered, once.
        var run = (await tenant.CallOkAsync("manage_automation", new { action = "runs", rule_id = ruleId })).GetProperty("runs").EnumerateArray()
            .First(r => r.Str("status") == "done");
        var action = run.GetProperty("actions")[0];
        Assert.Equal(("webhook", "queued", sent.EventId), (action.Str("type"), action.Str("outcome"), action.Str("id")));
        var delivered = await Webhooks.WaitForDeliveriesAsync(tenant, hook, l => l.Any(d => d.Str("id") == sent.EventId && d.Str("status") == "delivered"), Patience);
        Assert.Single(delivered, d => d.Str("operation") == "automation");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(receiver.Accepted, e => e.Operation() == "automation");
    }

    [Fact]
    public async Task WebhookAction_NamingNoSubscriptionOfThisOrg_IsRefusedWhenTheRuleIsMade()
    {
        var a = await fixture.Server.CreateTenantAsync("Automation webhook A");
        var b = await fixture.Server.CreateTenantAsync("Automation webhook B");
        await using var receiver = await WebhookReceiver.StartAsync();
        string hookOfA = await Webhooks.CreateAsync(a, receiver.Url());

        foreach (var id in new[] { hookOfA, "wh_nope" })
        {
            var refused = await b.CallAsync("manage_automation", new { action = "create", rule = WonDealWebhook(id) });
            Assert.True(refused.IsError);
            Assert.Contains("no webhook", Mcp.ErrorText(refused));
            Assert.Contains("manage_webhooks action=create", Mcp.ErrorText(refused));
        }
        Assert.Equal(0, (await b.CallOkAsync("manage_automation", new { action = "list" })).GetProperty("count").GetInt32());
    }
}
