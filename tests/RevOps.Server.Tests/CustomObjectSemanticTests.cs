using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Custom-object records join the semantic index (their Name and text custom fields): search_crm and /api/search find
/// them by meaning under their own object name, and a tenant with an object of the same name sees none of them.
/// </summary>
public sealed class CustomObjectSemanticTests(SemanticServerFixture fixture) : IClassFixture<SemanticServerFixture>
{
    CrmServerFixture Server => fixture.Server;

    static async Task DefineInvoicesAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice__c",
            define_object = new { label = "Invoice", plural_label = "Invoices", name_field = new { type = "AutoNumber", format = "INV-{0000}" } },
        });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Service__c", type = "Text" });
    }

    static Task<JsonElement> InvoiceAsync(TestTenant tenant, string service) =>
        tenant.CallOkAsync("create_record", new { @object = "Invoice__c", fields = new Dictionary<string, object> { ["Service__c"] = service } });

    static string[] Ids(JsonElement found) => found.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();

    [Fact]
    public async Task SearchCrm_Semantic_FindsCustomRecordByMeaning_AndAnotherTenantWithTheSameObjectSeesNothing()
    {
        var tenant = await Server.CreateTenantAsync("Semantic invoices");
        await DefineInvoicesAsync(tenant);
        var hosting = await InvoiceAsync(tenant, "Twelve months of cloud hosting for the analytics platform");
        await InvoiceAsync(tenant, "Catering for the summer staff picnic: sandwiches and lemonade");
        string hostingId = hosting.Str("Id");
        Assert.StartsWith("a00", hostingId);

        // No word of the query is in the record: only its meaning matches. Waits until both records are indexed.
        const string query = "rented servers and data centre costs";
        var found = await SemanticSearchTests.SearchUntilAsync(tenant, new { text = query, mode = "semantic", objects = new[] { "Invoice__c" } },
            f => Ids(f).Length == 2, SemanticSearchTests.FirstIndex);
        Assert.Equal("semantic", found.Str("mode"));
        var top = found.GetProperty("records")[0];
        Assert.Equal("Invoice__c", top.Str("object"));
        Assert.Equal(hostingId, top.Str("Id"));
        Assert.Equal(hosting.Str("Name"), top.Str("Name"));
        var keyword = await tenant.CallOkAsync("search_crm", new { text = query, mode = "keyword", objects = new[] { "Invoice__c" } });
        Assert.DoesNotContain(hostingId, Ids(keyword));

        // Auto mode over every object and /api/search find it too.
        var auto = await tenant.CallOkAsync("search_crm", new { text = query });
        Assert.Equal(hostingId, Ids(auto).FirstOrDefault());
        using var rest = new ServerRest(Server.BaseUri, tenant.ApiKey);
        var (status, body) = await rest.SendAsync(HttpMethod.Get, "/api/search?text=rented%20servers%20and%20data%20centre%20costs&mode=semantic&objects=Invoice__c&limit=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([hostingId], Ids(body));
        Assert.Equal("Invoice__c", body.GetProperty("records")[0].Str("object"));

        // Another tenant's Invoice__c (its own a00 prefix) holds only its own record.
        var other = await Server.CreateTenantAsync("Semantic invoices elsewhere");
        await DefineInvoicesAsync(other);
        var theirs = await InvoiceAsync(other, "Office chairs and standing desks");
        Assert.StartsWith("a00", theirs.Str("Id"));
        var otherFound = await SemanticSearchTests.SearchUntilAsync(other, new { text = query, mode = "semantic", objects = new[] { "Invoice__c" } },
            f => Ids(f).Contains(theirs.Str("Id")), SemanticSearchTests.FirstIndex);
        Assert.Equal([theirs.Str("Id")], Ids(otherFound));
        var otherAll = await other.CallOkAsync("search_crm", new { text = query, mode = "semantic" });
        Assert.DoesNotContain(hostingId, Ids(otherAll));
        Assert.DoesNotContain(Ids(await tenant.CallOkAsync("search_crm", new { text = "office furniture", mode = "semantic" })), id => id == theirs.Str("Id"));
    }

    [Fact]
    public async Task SearchCrm_Semantic_FollowsAnEditAndADelete()
    {
        var tenant = await Server.CreateTenantAsync("Semantic invoice edits");
        await DefineInvoicesAsync(tenant);
        string id = (await InvoiceAsync(tenant, "Catering for the summer staff picnic")).Str("Id");
        await InvoiceAsync(tenant, "Office chairs and standing desks");
        var found = await SemanticSearchTests.SearchUntilAsync(tenant, new { text = "food for a company party", mode = "semantic", objects = new[] { "Invoice__c" } },
            f => Ids(f).Length == 2, SemanticSearchTests.FirstIndex);
        Assert.Equal(id, Ids(found)[0]);

        await tenant.CallOkAsync("update_record", new { Id = id, fields = new Dictionary<string, object> { ["Service__c"] = "Annual antivirus software licences" } });
        await SemanticSearchTests.SearchUntilAsync(tenant, new { text = "computer security subscriptions", mode = "semantic", objects = new[] { "Invoice__c" } },
            f => Ids(f).FirstOrDefault() == id, TimeSpan.FromSeconds(30));

        await tenant.CallOkAsync("delete_record", new { Id = id });
        await SemanticSearchTests.SearchUntilAsync(tenant, new { text = "computer security subscriptions", mode = "semantic", objects = new[] { "Invoice__c" } },
            f => !Ids(f).Contains(id), TimeSpan.FromSeconds(30));
    }
}
