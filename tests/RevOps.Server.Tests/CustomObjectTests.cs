using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Custom objects (docs/custom-objects.md): defined through define_custom_field, given key prefixes per tenant,
/// written and read through the generic tools and REST, queried with SOQL both ways, deleted and restored with their
/// master-detail children, and kept apart per tenant.
/// </summary>
public sealed class CustomObjectTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    /// <summary>Invoice__c (auto-numbered, Lookup to Account) and Invoice_Line__c (Master-Detail to Invoice__c).</summary>
    static async Task DefineInvoicesAsync(TestTenant tenant, string accountDelete = "clear")
    {
        var invoice = await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice__c",
            define_object = new { label = "Invoice", plural_label = "Invoices", name_field = new { type = "AutoNumber", format = "INV-{0000}" } },
        });
        Assert.Equal("a00", invoice.Str("keyPrefix"));
        Assert.Equal("AutoNumber", invoice.Str("name_field"));
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Amount__c", type = "Currency" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Account__c", type = "Lookup", reference_to = "Account", on_delete = accountDelete });
        var line = await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice_Line__c",
            define_object = new { label = "Invoice Line", plural_label = "Invoice Lines" },
            api_name = "Invoice__c",
            type = "MasterDetail",
            reference_to = "invoice__c",
        });
        Assert.Equal("a01", line.GetProperty("defined_object").Str("keyPrefix"));
        Assert.Equal("Invoice__c", line.GetProperty("field").GetProperty("referenceTo")[0].GetString());
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice_Line__c", api_name = "Qty__c", type = "Number", precision = 6, scale = 0 });
    }

    static async Task<JsonElement> QueryAsync(TestTenant tenant, string soql) => await tenant.CallOkAsync("soql_query", new { query = soql });

    [Fact]
    public async Task CustomObject_CreatedAndQueried_BothDirections_OnMcpAndRest()
    {
        var tenant = await server.CreateTenantAsync("Custom objects");
        await DefineInvoicesAsync(tenant);
        string acme = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Acme" } })).Str("Id");

        var first = await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Account__c"] = acme, ["Amount__c"] = 120.5 } });
        Assert.StartsWith("a00", first.Str("Id"));
        Assert.Equal(18, first.Str("Id").Length);
        Assert.Equal("INV-0001", first.Str("Name"));
        Assert.Equal(tenant.UserId, first.Str("OwnerId"));
        var second = await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Account__c"] = acme, ["Amount__c"] = 80 } });
        Assert.Equal("INV-0002", second.Str("Name"));
        // Name is the server's on an auto-numbered object.
        Assert.StartsWith("INVALID_FIELD_FOR_INSERT_UPDATE: Invoice__c.Name is set by the system",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Invoice__c", fields = new { Name = "Mine" } })));

        string line1 = (await tenant.CallOkAsync("create_record", new { @object = "Invoice_Line__c", fields = new Dictionary<string, object> { ["Name"] = "Widgets", ["Invoice__c"] = first.Str("Id"), ["Qty__c"] = 3 } })).Str("Id");
        Assert.StartsWith("a01", line1);
        await tenant.CallOkAsync("create_record", new { @object = "Invoice_Line__c", fields = new Dictionary<string, object> { ["Name"] = "Gadgets", ["Invoice__c"] = first.Str("Id"), ["Qty__c"] = 1 } });
        Assert.StartsWith("REQUIRED_FIELD_MISSING", Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Invoice_Line__c", fields = new { Name = "Orphan" } })));
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: Invoice_Line__c.Invoice__c must point to an Invoice__c (a00…)",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Invoice_Line__c", fields = new Dictionary<string, object> { ["Name"] = "X", ["Invoice__c"] = acme } })));

        // get_record finds the object from the tenant's key prefix; update_record and find_records take it like any object.
        var read = await tenant.CallOkAsync("get_record", new { Id = first.Str("Id") });
        Assert.Equal("INV-0001", read.Str("Name"));
        Assert.Equal(acme, read.Str("Account__c"));
        Assert.Equal(120.5, read.GetProperty("Amount__c").GetDouble());
        var updated = await tenant.CallOkAsync("update_record", new { Id = second.Str("Id"), fields = new Dictionary<string, object> { ["Amount__c"] = 99 } });
        Assert.Equal(99, updated.GetProperty("Amount__c").GetDouble());
        var found = await tenant.CallOkAsync("find_records", new { @object = "Invoice__c", where = new Dictionary<string, object> { ["Account__c"] = acme } });
        Assert.Equal(2, found.GetProperty("totalSize").GetInt32());

        // SOQL: the parent path through the lookup, and the children under the parent.
        var invoices = await QueryAsync(tenant, $"SELECT Id, Name, Amount__c, Account__r.Name FROM Invoice__c WHERE Account__c = '{acme}' ORDER BY Name");
        Assert.Equal(2, invoices.GetProperty("totalSize").GetInt32());
        var rows = invoices.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(["INV-0001", "INV-0002"], rows.Select(r => r.Str("Name")));
        Assert.Equal([120.5, 99.0], rows.Select(r => r.GetProperty("Amount__c").GetDouble()));
        Assert.All(rows, r => Assert.Equal("Acme", r.GetProperty("Account__r").Str("Name")));

        var accounts = await QueryAsync(tenant, "SELECT Name, (SELECT Name, Amount__c FROM Invoices__r ORDER BY Name DESC) FROM Account");
        var account = Assert.Single(accounts.GetProperty("records").EnumerateArray());
        Assert.Equal("Acme", account.Str("Name"));
        Assert.Equal(["INV-0002", "INV-0001"], account.GetProperty("Invoices__r").GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));

        var withLines = await QueryAsync(tenant, "SELECT Name, Account__r.Name, (SELECT Name, Qty__c FROM Invoice_Lines__r ORDER BY Name) FROM Invoice__c WHERE Name = 'INV-0001'");
        var invoice = Assert.Single(withLines.GetProperty("records").EnumerateArray());
        Assert.Equal(["Gadgets", "Widgets"], invoice.GetProperty("Invoice_Lines__r").GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
        var lines = await QueryAsync(tenant, "SELECT Name, Invoice__r.Name, Invoice__r.Account__r.Name, OwnerId FROM Invoice_Line__c WHERE Qty__c > 2");
        var widget = Assert.Single(lines.GetProperty("records").EnumerateArray());
        Assert.Equal("INV-0001", widget.GetProperty("Invoice__r").Str("Name"));
        Assert.Equal("Acme", widget.GetProperty("Invoice__r").GetProperty("Account__r").Str("Name"));
        Assert.Equal(tenant.UserId, widget.Str("OwnerId"));

        // REST: the global describe lists the objects, describe gives the key prefix, the parent names its children.
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        var (status, global) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects");
        Assert.Equal(HttpStatusCode.OK, status);
        var listed = global.GetProperty("sobjects").EnumerateArray().Single(o => o.Str("name") == "Invoice__c");
        Assert.Equal("a00", listed.Str("keyPrefix"));
        Assert.True(listed.GetProperty("custom").GetBoolean());
        Assert.Equal("Invoices", listed.Str("labelPlural"));
        var (_, describe) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects/Invoice__c/describe");
        Assert.Equal("Invoice", describe.Str("label"));
        var accountField = describe.GetProperty("fields").EnumerateArray().Single(f => f.Str("name") == "Account__c");
        Assert.Equal("reference", accountField.Str("type"));
        Assert.Equal("Account__r", accountField.Str("relationshipName"));
        var (_, accountDescribe) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects/Account/describe");
        var child = accountDescribe.GetProperty("childRelationships").EnumerateArray().Single(c => c.Str("relationshipName") == "Invoices__r");
        Assert.Equal("Invoice__c", child.Str("childSObject"));
        Assert.Equal("Account__c", child.Str("field"));
        Assert.False(child.GetProperty("cascadeDelete").GetBoolean());

        // REST sobjects: create, read, update, delete a record of a custom object.
        string viaRest = await rest.CreateAsync("Invoice__c", new Dictionary<string, object> { ["Amount__c"] = 5, ["Account__c"] = acme });
        var restRecord = await rest.GetAsync("Invoice__c", viaRest);
        Assert.Equal("INV-0003", restRecord.Str("Name"));
        Assert.Equal("Invoice__c", restRecord.GetProperty("attributes").Str("type"));
        var (patched, _) = await rest.SendAsync(HttpMethod.Patch, $"services/data/v60.0/sobjects/Invoice__c/{viaRest}", new Dictionary<string, object> { ["Amount__c"] = 6 });
        Assert.Equal(HttpStatusCode.NoContent, patched);
        Assert.Equal(6, (await rest.GetAsync("Invoice__c", viaRest)).GetProperty("Amount__c").GetDouble());
        var (restQueryStatus, restQuery) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/query?q=" + Uri.EscapeDataString("SELECT Name FROM Invoice__c WHERE Amount__c = 6"));
        Assert.Equal(HttpStatusCode.OK, restQueryStatus);
        Assert.Equal("INV-0003", Assert.Single(restQuery.GetProperty("records").EnumerateArray()).Str("Name"));
        var (deleted, _) = await rest.SendAsync(HttpMethod.Delete, $"services/data/v60.0/sobjects/Invoice__c/{viaRest}");
        Assert.Equal(HttpStatusCode.NoContent, deleted);

        // Composite and collections go through the same paths.
        var (collectionStatus, collection) = await rest.SendAsync(HttpMethod.Post, "services/data/v60.0/composite/sobjects", new
        {
            allOrNone = true,
            records = new object[]
            {
                new Dictionary<string, object> { ["attributes"] = new { type = "Invoice__c" }, ["Amount__c"] = 1 },
                new Dictionary<string, object> { ["attributes"] = new { type = "Invoice__c" }, ["Amount__c"] = 2 },
            },
        });
        Assert.Equal(HttpStatusCode.OK, collectionStatus);
        Assert.All(collection.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean(), r.ToString()));
        var names = (await QueryAsync(tenant, "SELECT Name FROM Invoice__c WHERE Amount__c < 3 ORDER BY Name")).GetProperty("records").EnumerateArray().Select(r => r.Str("Name"));
        Assert.Equal(["INV-0004", "INV-0005"], names);

        // tools/list offers the tenant's custom objects wherever a tool lists the objects it takes.
        await using (var mcp = await tenant.ConnectMcpAsync())
        {
            var tools = await mcp.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            var findRecords = tools.Single(t => t.Name == "find_records").ProtocolTool.InputSchema;
            var allowed = findRecords.GetProperty("properties").GetProperty("object").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToArray();
            Assert.Contains("Invoice__c", allowed);
            Assert.Contains("Invoice_Line__c", allowed);
        }

        // History and the change log name the object.
        var history = await tenant.CallOkAsync("get_record_history", new { Id = second.Str("Id") });
        Assert.Equal(2, history.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Delete_MasterDetailCascadesAndRestores_LookupClearsOrRestricts()
    {
        var tenant = await server.CreateTenantAsync("Custom deletes");
        await DefineInvoicesAsync(tenant);
        string acme = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Acme" } })).Str("Id");
        string invoice = (await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Account__c"] = acme } })).Str("Id");
        var lineIds = new List<string>();
        foreach (var name in new[] { "A", "B", "C" })
            lineIds.Add((await tenant.CallOkAsync("create_record", new { @object = "Invoice_Line__c", fields = new Dictionary<string, object> { ["Name"] = name, ["Invoice__c"] = invoice } })).Str("Id"));

        // Master-detail: the lines go to the bin with their invoice and come back with it.
        var deleted = await tenant.CallOkAsync("delete_record", new { Id = invoice });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(lineIds.Order(), deleted.GetProperty("cascade").EnumerateArray().Select(c => c.Str("Id")).Order());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Invoice_Line__c" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(3, (await tenant.CallOkAsync("find_records", new { @object = "Invoice_Line__c", deleted = true })).GetProperty("totalSize").GetInt32());
        Assert.StartsWith("UNDELETE_FAILED: Invoice_Line__c", Mcp.ErrorText(await tenant.CallAsync("restore_record", new { Id = lineIds[0] })));
        var restored = await tenant.CallOkAsync("restore_record", new { Id = invoice });
        Assert.Equal(3, restored.GetProperty("cascade").GetArrayLength());
        Assert.Equal(3, (await QueryAsync(tenant, "SELECT COUNT() FROM Invoice_Line__c")).GetProperty("totalSize").GetInt32());

        // Lookup with clear: deleting the Account empties the invoice's Account__c, with its own change.
        await tenant.CallOkAsync("delete_record", new { Id = acme });
        var invoiceAfter = await tenant.CallOkAsync("get_record", new { Id = invoice });
        Assert.False(invoiceAfter.TryGetProperty("Account__c", out var stillThere) && stillThere.ValueKind != JsonValueKind.Null);
        var history = await tenant.CallOkAsync("get_record_history", new { Id = invoice });
        var last = history.GetProperty("versions").EnumerateArray().Last();
        Assert.Contains("Account__c", last.ToString());

        // Lookup with restrict: an Account a contract points to cannot be deleted.
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contract_Term__c", define_object = new { label = "Contract Term", plural_label = "Contract Terms" } });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contract_Term__c", api_name = "Account__c", type = "Lookup", reference_to = "Account", on_delete = "restrict" });
        string globex = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Globex" } })).Str("Id");
        string term = (await tenant.CallOkAsync("create_record", new { @object = "Contract_Term__c", fields = new Dictionary<string, object> { ["Name"] = "2027", ["Account__c"] = globex } })).Str("Id");
        string refused = Mcp.ErrorText(await tenant.CallAsync("delete_record", new { Id = globex }));
        Assert.Equal($"DELETE_FAILED: Account '{globex}' (Globex) cannot be deleted: Contract_Term__c '{term}' (2027) points to it through Account__c, a Lookup that restricts deletes. " +
            $"Change or delete the Contract Term records whose Account__c is '{globex}' first.", refused);
        Assert.Equal("Globex", (await tenant.CallOkAsync("get_record", new { Id = globex })).Str("Name"));
        await tenant.CallOkAsync("delete_record", new { Id = term });
        await tenant.CallOkAsync("delete_record", new { Id = globex });
    }

    [Fact]
    public async Task AutoNumber_ConcurrentCreates_NeverShareAName()
    {
        var tenant = await server.CreateTenantAsync("Custom numbering");
        await DefineInvoicesAsync(tenant);
        var created = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new { } })));
        var names = created.Select(c => c.Str("Name")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(1, 24).Select(i => $"INV-{i:0000}"), names);
    }

    [Fact]
    public async Task CustomObjects_StayInTheirTenant()
    {
        var a = await server.CreateTenantAsync("Custom A");
        var b = await server.CreateTenantAsync("Custom B");
        await DefineInvoicesAsync(a);
        string acme = (await a.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Acme" } })).Str("Id");
        string invoiceOfA = (await a.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Account__c"] = acme } })).Str("Id");

        // B has no such object: not in describe, not in SOQL, not through REST, and A's Id is no record of B's.
        Assert.StartsWith("INVALID_ARGUMENT: 'Invoice__c' is not an object.", Mcp.ErrorText(await b.CallAsync("find_records", new { @object = "Invoice__c" })));
        Assert.StartsWith("INVALID_TYPE", Mcp.ErrorText(await b.CallAsync("soql_query", new { query = "SELECT Name FROM Invoice__c" })));
        Assert.StartsWith("NOT_FOUND", Mcp.ErrorText(await b.CallAsync("get_record", new { Id = invoiceOfA })));
        using var restB = new ServerRest(server.BaseUri, b.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await restB.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects/Invoice__c/describe")).Status);
        var (_, global) = await restB.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects");
        Assert.DoesNotContain(global.GetProperty("sobjects").EnumerateArray(), o => o.Str("name") == "Invoice__c");

        // The same name in B is B's own object: its own prefix sequence, its own numbering, none of A's rows.
        await DefineInvoicesAsync(b);
        string globex = (await b.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Globex" } })).Str("Id");
        var invoiceOfB = await b.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Account__c"] = globex } });
        Assert.Equal("INV-0001", invoiceOfB.Str("Name"));
        Assert.StartsWith("a00", invoiceOfB.Str("Id"));
        Assert.Equal(1, (await QueryAsync(b, "SELECT COUNT() FROM Invoice__c")).GetProperty("totalSize").GetInt32());
        Assert.StartsWith("NOT_FOUND", Mcp.ErrorText(await b.CallAsync("get_record", new { Id = invoiceOfA })));
        Assert.StartsWith("NOT_FOUND", Mcp.ErrorText(await b.CallAsync("update_record", new { Id = invoiceOfA, fields = new Dictionary<string, object> { ["Amount__c"] = 1 } })));
        Assert.StartsWith("NOT_FOUND", Mcp.ErrorText(await b.CallAsync("delete_record", new { Id = invoiceOfA })));
        Assert.Empty((await QueryAsync(b, $"SELECT Id FROM Invoice__c WHERE Id = '{invoiceOfA}'")).GetProperty("records").EnumerateArray());

        // B cannot point at A's records: neither A's Account nor A's invoice.
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: Invoice__c.Account__c: no Account",
            Mcp.ErrorText(await b.CallAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Account__c"] = acme } })));
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: Invoice_Line__c.Invoice__c: no Invoice__c",
            Mcp.ErrorText(await b.CallAsync("create_record", new { @object = "Invoice_Line__c", fields = new Dictionary<string, object> { ["Name"] = "x", ["Invoice__c"] = invoiceOfA } })));

        // A's record is untouched.
        var still = await a.CallOkAsync("get_record", new { Id = invoiceOfA });
        Assert.Equal("INV-0001", still.Str("Name"));
        Assert.Equal(acme, still.Str("Account__c"));
    }

    [Fact]
    public async Task IdempotentCreate_OfACustomObjectRecord_AnswersTheFirstRecordAgain()
    {
        var tenant = await server.CreateTenantAsync("Custom object idempotency");
        await DefineInvoicesAsync(tenant);
        var first = await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new { Amount__c = 10 }, idempotency_key = "inv-once-1" });
        var again = await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new { Amount__c = 10 }, idempotency_key = "inv-once-1" });
        Assert.Equal(first.Str("Id"), again.Str("Id"));
        Assert.Equal("INV-0001", again.Str("Name"));
        var reused = await tenant.CallAsync("create_record", new { @object = "Invoice__c", fields = new { Amount__c = 11 }, idempotency_key = "inv-once-1" });
        Assert.True(reused.IsError);
        Assert.StartsWith("IDEMPOTENCY_KEY_REUSED", Mcp.ErrorText(reused));
        var rows = await QueryAsync(tenant, "SELECT Id FROM Invoice__c");
        Assert.Single(rows.GetProperty("records").EnumerateArray());
    }
}
