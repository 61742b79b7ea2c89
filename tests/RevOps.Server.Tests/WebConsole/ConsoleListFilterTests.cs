using System.Net;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// List pages over HTTP: number and date ranges, picklist and checkbox values, on standard and custom fields, and
/// sorting by a custom field; a value the field cannot hold is the domain's message with a 400.
/// </summary>
public sealed partial class ConsoleListFilterTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static string Count(string html) => Regex.Match(html, "(\\d+) records · page").Groups[1].Value;

    static string[] Names(string html) => [.. Regex.Matches(html, "<tr><td><a href=\"/console/r/[^\"]+\">([^<]+)</a>").Select(m => m.Groups[1].Value)];

    [Fact]
    public async Task Lists_FilterByRangesAndPicklistsOnStandardAndCustomFields_AndSortByACustomField()
    {
        var tenant = await server.CreateTenantAsync("Console list filters");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Score__c", type = "Number", precision = 5, scale = 0 });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver" } });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Since__c", type = "Date" });
        for (int i = 1; i <= 5; i++)
            await tenant.CallOkAsync("create_contact", new Dictionary<string, object>
            {
                ["LastName"] = $"Scored {i}", ["Score__c"] = i * 10, ["Tier__c"] = i % 2 == 0 ? "Gold" : "Silver", ["Since__c"] = $"2026-0{i}-15",
            });
        for (int i = 1; i <= 3; i++)
            await tenant.CallOkAsync("create_opportunity", new { Name = $"Deal {i}", StageName = i == 1 ? "Qualification" : "Prospecting", CloseDate = $"2030-0{i}-28", Amount = i * 1000 });

        var scored = await client.GetAsync("/console/o/Contact?range=Score__c&min=20&max=40&sort=Score__c&dir=asc");
        Assert.Equal(HttpStatusCode.OK, scored.Status);
        Assert.Equal("3", Count(scored.Html));
        Assert.Equal(["Scored 2", "Scored 3", "Scored 4"], Names(scored.Html));
        Assert.Contains("aria-sort=\"ascending\"><a href=\"/console/o/Contact?sort=Score__c&amp;dir=desc", scored.Html); // the custom column is shown and sortable

        var descending = await client.GetAsync("/console/o/Contact?sort=Score__c&dir=desc");
        Assert.Equal(["Scored 5", "Scored 4", "Scored 3", "Scored 2", "Scored 1"], Names(descending.Html));
        var gold = await client.GetAsync("/console/o/Contact?pick=Tier__c%3DGold&sort=Score__c&dir=asc");
        Assert.Equal(["Scored 2", "Scored 4"], Names(gold.Html));
        Assert.Contains("<option value=\"Tier__c=Gold\" selected>", gold.Html);
        var since = await client.GetAsync("/console/o/Contact?range=Since__c&min=2026-03-01&sort=Score__c&dir=asc");
        Assert.Equal(["Scored 3", "Scored 4", "Scored 5"], Names(since.Html));
        var combined = await client.GetAsync("/console/o/Contact?range=Since__c&max=2026-04-30&pick=Tier__c%3DSilver&field=LastName&value=Scored");
        Assert.Equal("2", Count(combined.Html));

        var amount = await client.GetAsync("/console/o/Opportunity?range=Amount&min=1500&pick=StageName%3DProspecting");
        Assert.Equal("2", Count(amount.Html));
        var closing = await client.GetAsync("/console/o/Opportunity?range=CloseDate&max=2030-01-31");
        Assert.Equal(["Deal 1"], Names(closing.Html));
        var created = await client.GetAsync($"/console/o/Opportunity?range=CreatedDate&min={DateTime.UtcNow:yyyy-MM-dd}");
        Assert.Equal("3", Count(created.Html)); // a day alone bounds a date-time by the whole day

        var bad = await client.GetAsync("/console/o/Contact?range=Score__c&min=lots");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("Contact.Score__c", bad.Html);
        Assert.Contains("role=\"alert\"", bad.Html);
        var unknownPick = await client.GetAsync("/console/o/Contact?pick=Nope__c%3Dx");
        Assert.Equal(HttpStatusCode.BadRequest, unknownPick.Status);
        Assert.Contains("is not a picklist or checkbox of Contact", unknownPick.Html);
    }
}
