using System.Net;
using System.Text.RegularExpressions;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>The console's define-a-field form offers the tenant's custom objects beside the standard ones, and defines fields on them.</summary>
public sealed class CustomFieldFormObjectsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    static string ObjectOptions(string html) =>
        string.Join(",", Regex.Matches(Regex.Match(html, "<select id=\"cf-object\" name=\"object\">(.*?)</select>").Groups[1].Value, "<option>([^<]*)</option>").Select(m => m.Groups[1].Value));

    [Fact]
    public async Task CustomObject_IsInTheObjectSelect_AndAFieldDefinedOnItIsListedAndInDescribe()
    {
        var tenant = await server.CreateTenantAsync("Field form custom object");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        var other = await server.CreateTenantAsync("Field form other tenant");
        await other.CallOkAsync("define_custom_field", new { @object = "Secret_Project__c", define_object = new { label = "Secret Project", plural_label = "Secret Projects" } });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Project__c", define_object = new { label = "Project", plural_label = "Projects" } });

        var page = await client.GetAsync("/console/admin/fields");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        string options = ObjectOptions(page.Html);
        Assert.StartsWith("Account,Contact,", options);
        Assert.EndsWith(",Project__c", options);
        Assert.DoesNotContain("Secret_Project__c", options);

        var defined = await client.PostAsync("/console/admin/fields", new() { ["object"] = "Project__c", ["api_name"] = "Budget__c", ["type"] = "Currency", ["label"] = "Budget" });
        Assert.True(defined.Status == HttpStatusCode.OK, $"{(int)defined.Status} {defined.Html}");
        Assert.Contains("Defined Project__c.Budget__c.", defined.Html);
        Assert.Contains("<tr data-field=\"Project__c.Budget__c\"><td>Project__c</td><td>Budget__c</td><td>Budget</td><td>Currency(", defined.Html);
        Assert.EndsWith(",Project__c", ObjectOptions(defined.Html));

        var describe = await GetAsync(server, $"{V}/sobjects/Project__c/describe", tenant.ApiKey);
        var budget = describe.Body.GetProperty("fields").EnumerateArray().Single(f => f.Str("name") == "Budget__c");
        Assert.Equal(("currency", "Budget"), (budget.Str("type"), budget.Str("label")));
    }
}
