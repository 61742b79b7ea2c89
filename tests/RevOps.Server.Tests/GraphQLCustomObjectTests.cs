using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// The GraphQL schema follows a tenant's custom objects: Invoice__c (Lookup to Account) and Invoice_Line__c
/// (Master-Detail to Invoice__c) are queried both ways, described by objectInfos and created by mutation,
/// and another tenant's schema has none of them.
/// </summary>
public sealed class GraphQLCustomObjectTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static async Task DefineAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice__c",
            define_object = new { label = "Invoice", plural_label = "Invoices", name_field = new { type = "AutoNumber", format = "INV-{0000}" } },
        });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Amount__c", type = "Currency" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Account__c", type = "Lookup", reference_to = "Account", on_delete = "clear" });
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice_Line__c",
            define_object = new { label = "Invoice Line", plural_label = "Invoice Lines" },
            api_name = "Invoice__c", type = "MasterDetail", reference_to = "Invoice__c",
        });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice_Line__c", api_name = "Qty__c", type = "Number", precision = 6, scale = 0 });
    }

    [Fact]
    public async Task CustomObjects_QueriedBothWays_Described_AndCreated()
    {
        var tenant = await server.CreateTenantAsync("GraphQL custom objects");
        await DefineAsync(tenant);
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        var invoices = new List<string>();
        foreach (var (account, amount) in new[] { (acme, 100), (acme, 250), (globex, 75) })
            invoices.Add((await tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new { Account__c = account, Amount__c = amount } })).Str("Id"));
        await tenant.CallOkAsync("create_record", new { @object = "Invoice_Line__c", fields = new { Name = "Widgets", Invoice__c = invoices[0], Qty__c = 3 } });

        // Child to parent: each invoice with its account's name, filtered and ordered on the custom fields.
        var up = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """query { uiapi { query { Invoice__c(where: { Amount__c: { gte: 100 } }, orderBy: { Amount__c: { order: DESC } }) { edges { node { Id Name { value } Amount__c { value } Account__r { Name { value } } } } totalCount } } } }""");
        Assert.False(up.HasErrors, up.Body.ToString());
        var nodes = up.Nodes("Invoice__c").ToArray();
        Assert.Equal(2, up.Connection("Invoice__c").GetProperty("totalCount").GetInt32());
        Assert.Equal(new[] { "INV-0002", "INV-0001" }, nodes.Select(n => n.GetProperty("Name").Str("value")));
        Assert.Equal(new[] { 250.0, 100.0 }, nodes.Select(n => n.GetProperty("Amount__c").GetProperty("value").GetDouble()));
        Assert.All(nodes, n => Assert.Equal("Acme", n.GetProperty("Account__r").GetProperty("Name").Str("value")));

        // Parent to children, two levels: Account → Invoices__r → Invoice_Lines__r, and a filter through the lookup.
        var down = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """query { uiapi { query { Account(orderBy: { Name: { order: ASC } }) { edges { node { Name { value } Invoices__r(orderBy: { Name: { order: ASC } }) { edges { node { Name { value } Invoice_Lines__r { edges { node { Name { value } Qty__c { value } } } } } } } } } } } } }""");
        Assert.False(down.HasErrors, down.Body.ToString());
        var accounts = down.Nodes("Account").ToArray();
        Assert.Equal(new[] { "Acme", "Globex" }, accounts.Select(a => a.GetProperty("Name").Str("value")));
        var acmeInvoices = accounts[0].GetProperty("Invoices__r").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToArray();
        Assert.Equal(new[] { "INV-0001", "INV-0002" }, acmeInvoices.Select(i => i.GetProperty("Name").Str("value")));
        var line = Assert.Single(acmeInvoices[0].GetProperty("Invoice_Lines__r").GetProperty("edges").EnumerateArray()).GetProperty("node");
        Assert.Equal("Widgets", line.GetProperty("Name").Str("value"));
        Assert.Equal(3.0, line.GetProperty("Qty__c").GetProperty("value").GetDouble());
        Assert.Equal("INV-0003", Assert.Single(accounts[1].GetProperty("Invoices__r").GetProperty("edges").EnumerateArray()).GetProperty("node").GetProperty("Name").Str("value"));

        var through = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """query { uiapi { query { Invoice__c(where: { Account__r: { Name: { eq: "Globex" } } }) { edges { node { Name { value } } } } } } }""");
        Assert.False(through.HasErrors, through.Body.ToString());
        Assert.Equal("INV-0003", Assert.Single(through.Nodes("Invoice__c")).GetProperty("Name").Str("value"));

        // objectInfos: the custom object's key prefix and labels, and the parent's child relationship.
        var infos = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            """query { uiapi { objectInfos(apiNames: ["Invoice__c", "Account"]) { ApiName label labelPlural keyPrefix childRelationships { childObjectApiName fieldName relationshipName } fields { ApiName relationshipName } } } }""");
        Assert.False(infos.HasErrors, infos.Body.ToString());
        var info = infos.Data.GetProperty("uiapi").GetProperty("objectInfos");
        Assert.Equal("a00", info[0].Str("keyPrefix"));
        Assert.Equal("Invoice", info[0].Str("label"));
        Assert.Equal("Invoices", info[0].Str("labelPlural"));
        Assert.Contains(info[0].GetProperty("fields").EnumerateArray(), f => f.Str("ApiName") == "Account__c" && f.Str("relationshipName") == "Account__r");
        Assert.Contains(info[0].GetProperty("childRelationships").EnumerateArray(), c => c.Str("relationshipName") == "Invoice_Lines__r" && c.Str("fieldName") == "Invoice__c");
        Assert.Contains(info[1].GetProperty("childRelationships").EnumerateArray(), c => c.Str("relationshipName") == "Invoices__r" && c.Str("childObjectApiName") == "Invoice__c");

        // A mutation through the domain: the auto-number is assigned, the lookup checked.
        var created = await GraphQLClient.PostAsync(server, tenant.ApiKey,
            $$"""mutation { uiapi { Invoice__cCreate(input: { Invoice__c: { Amount__c: 42, Account__c: "{{globex}}" } }) { Record { Id Name { value } Account__r { Name { value } } } } } }""");
        Assert.False(created.HasErrors, created.Body.ToString());
        var record = created.Data.GetProperty("uiapi").GetProperty("Invoice__cCreate").GetProperty("Record");
        Assert.Equal("INV-0004", record.GetProperty("Name").Str("value"));
        Assert.StartsWith("a00", record.Str("Id"));
        var read = await tenant.CallOkAsync("get_record", new { @object = "Invoice__c", Id = record.Str("Id") });
        Assert.Equal(42.0, read.GetProperty("Amount__c").GetDouble());
    }

    [Fact]
    public async Task AnotherTenant_SeesNoneOfIt()
    {
        var owner = await server.CreateTenantAsync("GraphQL custom owner");
        await DefineAsync(owner);
        await owner.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new { Amount__c = 10 } });
        var other = await server.CreateTenantAsync("GraphQL custom other");

        var query = await GraphQLClient.PostAsync(server, other.ApiKey, """query { uiapi { query { Invoice__c { edges { node { Id } } } } } }""");
        Assert.True(query.HasErrors, query.Body.ToString());
        Assert.Contains("Invoice__c", query.Error.Str("message"));
        var infos = await GraphQLClient.PostAsync(server, other.ApiKey, """query { uiapi { objectInfos(apiNames: ["Invoice__c"]) { ApiName } } }""");
        Assert.True(infos.HasErrors, infos.Body.ToString());
        Assert.Contains("is not an object", infos.Error.Str("message"));

        // The same name defined in the other tenant is its own object, with its own rows.
        await DefineAsync(other);
        var own = await GraphQLClient.PostAsync(server, other.ApiKey, """query { uiapi { query { Invoice__c { edges { node { Id } } totalCount } } } }""");
        Assert.False(own.HasErrors, own.Body.ToString());
        Assert.Equal(0, own.Connection("Invoice__c").GetProperty("totalCount").GetInt32());
    }
}
