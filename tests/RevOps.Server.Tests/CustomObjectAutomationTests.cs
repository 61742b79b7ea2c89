using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Automation rules, webhooks and MCP resources on a custom object: the tenant's schema names it, as it does a standard one.</summary>
public sealed class CustomObjectAutomationTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static async Task DefineInvoiceAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice__c",
            define_object = new { label = "Invoice", plural_label = "Invoices", name_field = new { type = "AutoNumber", format = "INV-{0000}" } },
        });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Amount__c", type = "Currency" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Status__c", type = "Text" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Account__c", type = "Lookup", reference_to = "Account" });
    }

    static readonly object BigInvoiceRule = new
    {
        name = "Review big invoices",
        @object = "Invoice__c",
        trigger = new { on = "created_or_updated" },
        condition = "Amount__c > 1000 AND Status__c = null",
        actions = new object[]
        {
            new { type = "update_fields", fields = new Dictionary<string, object> { ["Status__c"] = "Review" } },
            new { type = "create_record", @object = "Task", fields = new Dictionary<string, object> { ["Subject"] = "Review {!Name} for {!Account__r.Name}" } },
            new { type = "update_fields", parent = "Account__c", fields = new Dictionary<string, object> { ["Description"] = "Big invoice {!Name}" } },
        },
    };

    static async Task<JsonElement[]> QueryAsync(TestTenant tenant, string soql) =>
        (await tenant.CallOkAsync("soql_query", new { query = soql })).GetProperty("records").EnumerateArray().ToArray();

    [Fact]
    public async Task Rule_OnACustomObject_ConditionOnACustomField_RunsItsActions()
    {
        var tenant = await server.CreateTenantAsync("Automation custom object");
        await DefineInvoiceAsync(tenant);
        string acme = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Acme" } })).Str("Id");
        var created = await tenant.CallOkAsync("manage_automation", new { action = "create", rule = BigInvoiceRule });
        Assert.Equal("Invoice__c", created.Str("object"));

        async Task<string?> DescriptionAsync() =>
            (await tenant.CallOkAsync("get_record", new { Id = acme, fields = new[] { "Description" } })).TryGetProperty("Description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;

        string small = (await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Amount__c"] = 50, ["Account__c"] = acme } })).Str("Id");
        string big = (await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Amount__c"] = 5000, ["Account__c"] = acme } })).Str("Id");
        // The rule's actions for the big invoice end with its account's description. Waiting for it keeps the fires apart: one
        // fire after both writes would act on both invoices in Id order, and the account would end with the big one's name.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await DescriptionAsync() != "Big invoice INV-0002" && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        // An update that crosses the threshold fires too.
        await tenant.CallOkAsync("update_record", new { Id = small, fields = new Dictionary<string, object> { ["Amount__c"] = 2000 } });

        // Each action is a write of its own: the task of the second fire can be there before its account update.
        JsonElement[] tasks;
        while (((tasks = await QueryAsync(tenant, "SELECT Subject FROM Task ORDER BY Subject")).Length < 2 || await DescriptionAsync() != "Big invoice INV-0001")
            && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(["Review INV-0001 for Acme", "Review INV-0002 for Acme"], tasks.Select(t => t.Str("Subject")));
        var invoices = await QueryAsync(tenant, "SELECT Name, Status__c FROM Invoice__c ORDER BY Name");
        Assert.Equal(["Review", "Review"], invoices.Select(i => i.Str("Status__c")));
        Assert.Equal("Big invoice INV-0001", await DescriptionAsync());
        Assert.Equal("Review", (await tenant.CallOkAsync("get_record", new { Id = big })).Str("Status__c"));

        // A field the object lacks, and another tenant's object, are refused by name.
        var badField = Mcp.ErrorText(await tenant.CallAsync("manage_automation", new { action = "test", rule = new { name = "x", @object = "Invoice__c", trigger = new { on = "created" }, condition = "Nope__c > 1", actions = new object[] { new { type = "update_fields", fields = new { Status__c = "x" } } } } }));
        Assert.Contains("Nope__c", badField);
        var stranger = await server.CreateTenantAsync("Automation custom stranger");
        var unknown = Mcp.ErrorText(await stranger.CallAsync("manage_automation", new { action = "create", rule = BigInvoiceRule }));
        Assert.StartsWith("INVALID_ARGUMENT: object: 'Invoice__c' is not an object rules can use", unknown);
    }

    [Fact]
    public async Task Webhook_OnACustomObject_IsAcceptedByName_AndAnotherTenantsIsNot()
    {
        var tenant = await server.CreateTenantAsync("Webhook custom object");
        await DefineInvoiceAsync(tenant);
        // The object passes; the loopback target is what this server (no --allow-private-webhooks) refuses next.
        Assert.StartsWith("INVALID_ARGUMENT: url refused: host '127.0.0.1'",
            Mcp.ErrorText(await tenant.CallAsync("manage_webhooks", new { action = "create", url = "https://127.0.0.1/hook", objects = new[] { "invoice__c" } })));
        var stranger = await server.CreateTenantAsync("Webhook custom stranger");
        Assert.StartsWith("INVALID_ARGUMENT: objects: 'Invoice__c' is not an object.",
            Mcp.ErrorText(await stranger.CallAsync("manage_webhooks", new { action = "create", url = "https://127.0.0.1/hook", objects = new[] { "Invoice__c" } })));
    }

    [Fact]
    public async Task WorkQueue_ItemOnACustomObjectRecord_IsClaimedWithTheRecord()
    {
        var tenant = await server.CreateTenantAsync("Work custom object");
        await DefineInvoiceAsync(tenant);
        string invoice = (await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Amount__c"] = 12 } })).Str("Id");
        var queued = await tenant.CallOkAsync("work_queue", new { action = "enqueue", queue = "billing", prompt = "Chase this invoice", record_id = invoice });
        Assert.Equal(("Invoice__c", invoice), (queued.Str("object"), queued.Str("recordId")));
        var claim = await tenant.CallOkAsync("work_queue", new { action = "claim", queue = "billing" });
        Assert.Equal(("INV-0001", invoice), (claim.GetProperty("record").Str("Name"), claim.GetProperty("record").Str("Id")));

        var stranger = await server.CreateTenantAsync("Work custom stranger");
        Assert.StartsWith("MALFORMED_ID: record_id",
            Mcp.ErrorText(await stranger.CallAsync("work_queue", new { action = "enqueue", queue = "billing", prompt = "Steal", record_id = invoice })));
    }

    [Fact]
    public async Task Resources_ReadAndListCustomObjectRecords_InTheirTenantOnly()
    {
        var tenant = await server.CreateTenantAsync("Resources custom object");
        await DefineInvoiceAsync(tenant);
        string invoice = (await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Amount__c"] = 7 } })).Str("Id");
        await using var mcp = await tenant.ConnectMcpAsync();
        var read = await mcp.ReadResourceAsync($"crm://Invoice__c/{invoice}", cancellationToken: TestContext.Current.CancellationToken);
        var record = JsonDocument.Parse(((ModelContextProtocol.Protocol.TextResourceContents)read.Contents[0]).Text).RootElement;
        Assert.Equal("INV-0001", record.Str("Name"));
        Assert.Equal(7, record.GetProperty("Amount__c").GetDouble());
        var schema = await mcp.ReadResourceAsync("crm://schema/Invoice__c", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("\"Amount__c\"", ((ModelContextProtocol.Protocol.TextResourceContents)schema.Contents[0]).Text);
        var listed = await mcp.ListResourcesAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(listed, r => r.Uri == $"crm://Invoice__c/{invoice}" && r.Name == "INV-0001");

        var stranger = await server.CreateTenantAsync("Resources custom stranger");
        await using var theirs = await stranger.ConnectMcpAsync();
        var refused = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() =>
            theirs.ReadResourceAsync($"crm://Invoice__c/{invoice}", cancellationToken: TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("No resource", refused.Message);
        Assert.DoesNotContain(await theirs.ListResourcesAsync(cancellationToken: TestContext.Current.CancellationToken), r => r.Uri.Contains(invoice, StringComparison.Ordinal));
    }
}
