using System.Net;
using System.Text;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// The upload form's options, as revops import has them: upsert on an External ID field updates the record it matches instead of
/// making a second one, a missing parent Account is created, and a German file's dates (31.12.2026, 02/03/2026 day first) and
/// decimal commas are read as such; a bad culture, date format or upsert key is refused and nothing is written.
/// </summary>
public sealed partial class ConsoleImportTests
{
    const string DealsCsv =
        "Name,Deal_Key__c,StageName,CloseDate,Amount,Account.Name\r\n" +
        "Renewal 2027,K1,Prospecting,31.12.2026,\"1.234,5\",Existing Co\r\n" +
        "New deal,K2,Prospecting,02/03/2026,\"10,25\",Brand New Co\r\n";

    async Task<ConsoleClient.Reply> UploadWithAsync(ConsoleClient client, Dictionary<string, string> options)
    {
        await client.GetAsync("/console/admin/import");
        return await client.PostMultipartAsync("/console/admin/import", new(options) { ["object"] = "Opportunity" }, ("file", "deals.csv", Encoding.UTF8.GetBytes(DealsCsv)));
    }

    static Dictionary<string, string> StartFields(string html) => new(Selected(html))
    {
        ["object"] = "Opportunity", ["file_name"] = "deals.csv", ["csv"] = Hidden(html, "csv"),
        ["upsert_on"] = Hidden(html, "upsert_on"), ["culture"] = Hidden(html, "culture"), ["date_format"] = Hidden(html, "date_format"),
    };

    [Fact]
    public async Task ImportOptions_UpsertUpdates_MissingParentIsCreated_GermanDatesAndNumbersAreRead()
    {
        var (tenant, client) = await SignedInTenantAsync("Console import options");
        using var _ = client;
        await tenant.CallOkAsync("define_custom_field", new { @object = "Opportunity", api_name = "Deal_Key__c", type = "Text", external_id = true, unique = true });
        string existingCo = (await tenant.CallOkAsync("create_account", new { Name = "Existing Co" })).Str("Id");
        string k1 = (await tenant.CallOkAsync("create_opportunity", new { Name = "Renewal", StageName = "Prospecting", CloseDate = "2026-06-30", AccountId = existingCo, Deal_Key__c = "K1" })).Str("Id");

        var upload = await client.GetAsync("/console/admin/import");
        foreach (string label in new[] { "for=\"import-upsert\"", "name=\"create_missing_parents\"", "for=\"import-culture\"", "for=\"import-date-format\"" })
            Assert.Contains(label, upload.Html);
        var mapping = await UploadWithAsync(client, new() { ["upsert_on"] = "Deal_Key__c", ["create_missing_parents"] = "true", ["culture"] = "de-DE" });
        Assert.True(mapping.Status == HttpStatusCode.OK, $"{(int)mapping.Status} {mapping.Html}");
        Assert.Contains("Options: rows whose Deal_Key__c a record holds update it, the others create one; parents named by Name that do not exist are created; dates and numbers are read as de-DE writes them.", mapping.Html);
        var fields = StartFields(mapping.Html);
        Assert.Equal(("Deal_Key__c", "de-DE", "Account.Name"), (fields["upsert_on"], fields["culture"], fields["map5"]));
        fields["create_missing_parents"] = "true";

        var started = await client.PostMultipartAsync("/console/admin/import/start", fields);
        Assert.True(started.Status == HttpStatusCode.Redirect, $"{(int)started.Status} {started.Html}");
        var done = await FinishedAsync(client, started.Location!);
        Assert.Equal(("2", "1", "0"), (Figure(done.Html, "rows"), Figure(done.Html, "created"), Figure(done.Html, "failed")));

        var query = await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT Id, Name, Deal_Key__c, CloseDate, Amount, Account.Name FROM Opportunity ORDER BY Deal_Key__c")}", tenant.ApiKey);
        var deals = query.Body.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(2, deals.Length); // K1 updated, not made twice
        Assert.Equal((k1, "Renewal 2027", "2026-12-31", 1234.5m, "Existing Co"),
            (deals[0].Str("Id"), deals[0].Str("Name"), deals[0].Str("CloseDate"), deals[0].GetProperty("Amount").GetDecimal(), deals[0].GetProperty("Account").Str("Name")));
        Assert.Equal(("K2", "2026-03-02", 10.25m, "Brand New Co"),
            (deals[1].Str("Deal_Key__c"), deals[1].Str("CloseDate"), deals[1].GetProperty("Amount").GetDecimal(), deals[1].GetProperty("Account").Str("Name")));
        var accounts = await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT Name FROM Account WHERE Name = 'Brand New Co'")}", tenant.ApiKey);
        Assert.Equal(1, accounts.Body.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task ImportOptions_ABadCultureDateFormatOrUpsertKey_IsRefusedWithTheReason_AndNothingIsWritten()
    {
        var (tenant, client) = await SignedInTenantAsync("Console import bad options");
        using var _ = client;
        var badCulture = await UploadWithAsync(client, new() { ["culture"] = "klingon-<b>" });
        Assert.Equal(HttpStatusCode.BadRequest, badCulture.Status);
        Assert.Contains("Culture &#x27;klingon-&lt;b&gt;&#x27; is not a culture name", badCulture.Html);
        var badFormat = await UploadWithAsync(client, new() { ["date_format"] = "yyyy" });
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.Status);
        Assert.Contains("Date format &#x27;yyyy&#x27; does not read a date back", badFormat.Html);

        var mapping = await UploadWithAsync(client, new() { ["upsert_on"] = "Name", ["culture"] = "de" });
        Assert.Equal(HttpStatusCode.OK, mapping.Status);
        var notAKey = await client.PostMultipartAsync("/console/admin/import/start", StartFields(mapping.Html));
        Assert.Equal(HttpStatusCode.BadRequest, notAKey.Status);
        Assert.Contains("Upsert on Name: Opportunity has no External ID field of that name", notAKey.Html);
        var forged = StartFields(mapping.Html);
        forged["upsert_on"] = "Name' OR 1=1 --";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostMultipartAsync("/console/admin/import/start", forged)).Status);

        var count = await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT COUNT() FROM Opportunity")}", tenant.ApiKey);
        Assert.Equal(0, count.Body.GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await GetAsync(server, $"{V}/query?q={Uri.EscapeDataString("SELECT COUNT() FROM Account")}", tenant.ApiKey)).Body.GetProperty("totalSize").GetInt32());
    }
}
