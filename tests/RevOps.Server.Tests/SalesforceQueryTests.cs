using System.Net;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>SOQL over the REST API: query, queryAll, nextRecordsUrl paging, batch sizes, aggregates and errors, as jsforce and simple-salesforce call them.</summary>
public sealed class SalesforceQueryTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string Api = "services/data/v60.0/";

    async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> SendAsync(TestTenant tenant, HttpMethod method, string path, string? json = null, string? queryOptions = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tenant.ApiKey);
        if (queryOptions is not null) request.Headers.TryAddWithoutValidation("Sforce-Query-Options", queryOptions);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Content.Headers.ContentType?.ToString());
    }

    async Task SeedContactsAsync(TestTenant tenant, int count)
    {
        for (int start = 0; start < count; start += 200)
        {
            var records = Enumerable.Range(start, Math.Min(200, count - start))
                .Select(i => $$"""{"attributes":{"type":"Contact"},"LastName":"Q{{i:D5}}","LeadSource":"{{(i % 3 == 0 ? "Web" : "Partner Referral")}}"}""");
            var (status, body, _) = await SendAsync(tenant, HttpMethod.Post, Api + "composite/sobjects", $$"""{"allOrNone":true,"records":[{{string.Join(',', records)}}]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.All(body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        }
    }

    [Fact]
    public async Task Query_MoreThanABatch_PagesThroughNextRecordsUrl_InOrder_WithoutRepeats()
    {
        var tenant = await server.CreateTenantAsync("REST query paging");
        await SeedContactsAsync(tenant, 2100);
        string soql = Uri.EscapeDataString("SELECT Id, LastName FROM Contact ORDER BY LastName");

        var (status, first, contentType) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + soql);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("application/json", contentType);
        Assert.Equal(2100, first.GetProperty("totalSize").GetInt32());
        Assert.False(first.GetProperty("done").GetBoolean());
        Assert.Equal(2000, first.GetProperty("records").GetArrayLength());
        string next = first.Str("nextRecordsUrl");
        Assert.Matches("^/services/data/v60.0/query/[^/?#]+$", next);
        var record = first.GetProperty("records")[0];
        Assert.Equal("Contact", record.GetProperty("attributes").Str("type"));
        Assert.Equal($"/services/data/v60.0/sobjects/Contact/{record.Str("Id")}", record.GetProperty("attributes").Str("url"));
        Assert.Equal(["attributes", "Id", "LastName"], record.EnumerateObject().Select(p => p.Name));

        var (_, second, _) = await SendAsync(tenant, HttpMethod.Get, next.TrimStart('/'));
        Assert.True(second.GetProperty("done").GetBoolean());
        Assert.False(second.TryGetProperty("nextRecordsUrl", out _));
        Assert.Equal(2100, second.GetProperty("totalSize").GetInt32());
        var names = first.GetProperty("records").EnumerateArray().Concat(second.GetProperty("records").EnumerateArray()).Select(r => r.Str("LastName")).ToList();
        Assert.Equal(Enumerable.Range(0, 2100).Select(i => $"Q{i:D5}"), names);

        // jsforce keeps only the locator and rebuilds the URL, queryAll included; simple-salesforce sends a trailing slash and '+' for spaces.
        string locator = next[(next.LastIndexOf('/') + 1)..];
        var (_, viaQueryAll, _) = await SendAsync(tenant, HttpMethod.Get, Api + "queryAll/" + locator);
        Assert.Equal(100, viaQueryAll.GetProperty("records").GetArrayLength());
        var (formStatus, form, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query/?q=SELECT+Id+FROM+Contact+WHERE+LastName+%3D+%27Q00042%27");
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Equal(1, form.GetProperty("totalSize").GetInt32());

        // Sforce-Query-Options: batchSize=N is honoured exactly, also on the next pages.
        var pages = new List<int>();
        var (_, page, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + soql, queryOptions: "batchSize=500");
        pages.Add(page.GetProperty("records").GetArrayLength());
        while (page.TryGetProperty("nextRecordsUrl", out var url))
        {
            (_, page, _) = await SendAsync(tenant, HttpMethod.Get, url.GetString()!.TrimStart('/'), queryOptions: "batchSize=500");
            pages.Add(page.GetProperty("records").GetArrayLength());
        }
        Assert.Equal([500, 500, 500, 500, 100], pages);
    }

    [Fact]
    public async Task QueryAll_IncludesTheRecycleBin_Query_DoesNot_AndCountAggregatesAnswerInOnePage()
    {
        var tenant = await server.CreateTenantAsync("REST queryAll");
        await SeedContactsAsync(tenant, 6);
        var (_, all, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString("SELECT Id FROM Contact WHERE LastName = 'Q00001'"));
        string id = all.GetProperty("records")[0].Str("Id");
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(tenant, HttpMethod.Delete, Api + "sobjects/Contact/" + id)).Status);

        string count = Uri.EscapeDataString("SELECT COUNT() FROM Contact");
        Assert.Equal(5, (await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + count)).Body.GetProperty("totalSize").GetInt32());
        var (_, withDeleted, _) = await SendAsync(tenant, HttpMethod.Get, Api + "queryAll?q=" + count);
        Assert.Equal(6, withDeleted.GetProperty("totalSize").GetInt32());
        Assert.Empty(withDeleted.GetProperty("records").EnumerateArray());
        var (_, deleted, _) = await SendAsync(tenant, HttpMethod.Get, Api + "queryAll?q=" + Uri.EscapeDataString("SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true"));
        Assert.Equal(id, deleted.GetProperty("records")[0].Str("Id"));
        Assert.True(deleted.GetProperty("records")[0].GetProperty("IsDeleted").GetBoolean());

        var (_, grouped, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString("SELECT LeadSource, COUNT(Id) FROM Contact GROUP BY LeadSource ORDER BY LeadSource"));
        Assert.True(grouped.GetProperty("done").GetBoolean());
        var rows = grouped.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal("""{"type":"AggregateResult"}""", rows[0].GetProperty("attributes").GetRawText());
        Assert.Equal(("Partner Referral", 3), (rows[0].Str("LeadSource"), rows[0].GetProperty("expr0").GetInt32()));
        Assert.Equal(("Web", 2), (rows[1].Str("LeadSource"), rows[1].GetProperty("expr0").GetInt32()));
    }

    [Fact]
    public async Task BadQueries_AreSalesforceErrorArrays_WithTheRightCodes_AndValuesNeverBecomeSql()
    {
        var tenant = await server.CreateTenantAsync("REST query errors");
        await SeedContactsAsync(tenant, 3);
        async Task<(HttpStatusCode, string, string)> ErrorOf(string soql)
        {
            var (status, body, contentType) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString(soql));
            Assert.StartsWith("application/json", contentType);
            var error = Assert.Single(body.EnumerateArray());
            return (status, error.Str("errorCode"), error.Str("message"));
        }

        var (status, code, message) = await ErrorOf("SELECT Id FROM Contact WHERE");
        Assert.Equal((HttpStatusCode.BadRequest, "MALFORMED_QUERY"), (status, code));
        Assert.Contains("ERROR at Row:1:Column:", message);
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_TYPE"), Take2(await ErrorOf("SELECT Id FROM Widget")));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_FIELD"), Take2(await ErrorOf("SELECT Nope FROM Contact")));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_QUERY_FILTER_OPERATOR"), Take2(await ErrorOf("SELECT Id FROM Contact WHERE Id = 'not-an-id'")));
        var (missingStatus, missing, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query");
        Assert.Equal(HttpStatusCode.BadRequest, missingStatus);
        Assert.Equal("MALFORMED_QUERY", missing[0].Str("errorCode"));

        foreach (var hostile in new[] { "Q00001' OR 1=1 --", "x'); DROP TABLE contact; --", "\\' OR ''='", "Q0000%" })
        {
            string literal = hostile.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
            var (ok, body, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString($"SELECT Id FROM Contact WHERE LastName = '{literal}'"));
            Assert.Equal(HttpStatusCode.OK, ok);
            Assert.Equal(0, body.GetProperty("totalSize").GetInt32());
        }
        Assert.Equal(3, (await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString("SELECT COUNT() FROM Contact"))).Body.GetProperty("totalSize").GetInt32());
    }

    static (HttpStatusCode, string) Take2((HttpStatusCode Status, string Code, string Message) error) => (error.Status, error.Code);

    [Fact]
    public async Task EveryChildRelationshipDescribeNames_CanBeQueried()
    {
        var tenant = await server.CreateTenantAsync("REST relationships");
        string boss = (await tenant.CallOkAsync("create_contact", new { LastName = "Boss" })).Str("Id");
        await tenant.CallOkAsync("create_contact", new { LastName = "Report", ReportsToId = boss });
        var (_, describe, _) = await SendAsync(tenant, HttpMethod.Get, Api + "sobjects/Contact/describe");
        var names = describe.GetProperty("childRelationships").EnumerateArray().Select(c => c.Str("relationshipName")).ToArray();
        Assert.Equal(["DirectReports", "Tasks", "Events"], names);
        string subqueries = string.Join(", ", names.Select(n => $"(SELECT Id FROM {n})"));
        var (status, result, _) = await SendAsync(tenant, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString($"SELECT LastName, {subqueries} FROM Contact WHERE LastName = 'Boss'"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, result.GetProperty("records")[0].GetProperty("DirectReports").GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Query_NeverCrossesTenants()
    {
        var a = await server.CreateTenantAsync("REST query A");
        var b = await server.CreateTenantAsync("REST query B");
        await SeedContactsAsync(a, 250);
        var (_, fromB, _) = await SendAsync(b, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString("SELECT Id, LastName FROM Contact"));
        Assert.Equal(0, fromB.GetProperty("totalSize").GetInt32());
        var (_, page, _) = await SendAsync(a, HttpMethod.Get, Api + "query?q=" + Uri.EscapeDataString("SELECT Id FROM Contact"), queryOptions: "batchSize=200");
        Assert.Equal(250, page.GetProperty("totalSize").GetInt32());
        // A locator carries the query, never the tenant: B following A's next page reads only B's (no) rows.
        var (status, stolen, _) = await SendAsync(b, HttpMethod.Get, page.Str("nextRecordsUrl").TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, stolen.GetProperty("totalSize").GetInt32());
        Assert.Empty(stolen.GetProperty("records").EnumerateArray());
    }
}
