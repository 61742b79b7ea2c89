using System.Net;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Bulk API 2.0 over raw HTTP: ingest and query jobs from creation to results, per-row failures, abort, the job list and tenant walls.</summary>
public sealed class BulkApi2Tests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    BulkApi2Client Client(TestTenant tenant) => new(server.Http, server.BaseUri, tenant.ApiKey);

    [Fact]
    public async Task Ingest_MalformedRows_FailOneByOneAndTheGoodRowsLand()
    {
        var tenant = await server.CreateTenantAsync("Bulk lifecycle");
        var bulk = Client(tenant);
        string id = await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert","lineEnding":"LF","columnDelimiter":"COMMA","contentType":"CSV"}""");
        string csv = """
            FirstName,LastName,Email,Birthdate,Salutation,Title
            Ada,Lovelace,ada@bulk.test,1815-12-10,Ms.,"Countess, mathematician"
            Bad,Date,bad@bulk.test,31/31/2020,,
            Pick,List,pick@bulk.test,,Your Majesty,
            No,,nolast@bulk.test,,,
            Bro"ken,Quote,quote@bulk.test,,,
            Too,Few,few@bulk.test
            Null,Title,null@bulk.test,,,#N/A
            Grace,Hopper,grace@bulk.test,1906-12-09,Dr.,"Rear ""Amazing"" Admiral"

            """;
        var upload = await bulk.UploadAsync(id, csv.Replace("\r\n", "\n"));
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var (_, open) = await bulk.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest/" + id);
        Assert.Equal("Open", open.Str("state"));

        Assert.Equal("UploadComplete", (await bulk.SetStateAsync("ingest", id, "UploadComplete")).Str("state"));
        var done = await bulk.WaitAsync("ingest", id);
        Assert.Equal("JobComplete", done.Str("state"));
        Assert.Equal(8, done.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(5, done.GetProperty("numberRecordsFailed").GetInt32());
        Assert.Equal("V2Ingest", done.Str("jobType"));

        var (okHeader, ok) = await bulk.ResultsAsync(id, "successfulResults");
        Assert.Equal(["sf__Id", "sf__Created", "FirstName", "LastName", "Email", "Birthdate", "Salutation", "Title"], okHeader);
        Assert.Equal(["Ada", "Null", "Grace"], ok.Select(r => r[2]));
        Assert.All(ok, r => { Assert.StartsWith("003", r[0]); Assert.Equal("true", r[1]); });
        Assert.Equal("Rear \"Amazing\" Admiral", ok[2][7]);

        var (failHeader, failed) = await bulk.ResultsAsync(id, "failedResults");
        Assert.Equal(["sf__Id", "sf__Error", "FirstName", "LastName", "Email", "Birthdate", "Salutation", "Title"], failHeader);
        var errors = failed.ToDictionary(r => r[4], r => r[1]);
        Assert.Equal(5, errors.Count);
        Assert.Contains("Birthdate", errors["bad@bulk.test"]);
        Assert.Contains("Salutation", errors["pick@bulk.test"]);
        Assert.StartsWith("REQUIRED_FIELD_MISSING", errors["nolast@bulk.test"]);
        Assert.Contains("quote", errors["quote@bulk.test"]);
        Assert.Contains("the header has 6 columns", errors["few@bulk.test"]);
        Assert.All(failed, r => Assert.Equal("", r[0]));

        var (_, unprocessed) = await bulk.ResultsAsync(id, "unprocessedrecords");
        Assert.Empty(unprocessed);

        var ada = await tenant.CallOkAsync("get_record", new { Id = ok[0][0], fields = new[] { "Title", "Birthdate", "Salutation" } });
        Assert.Equal("Countess, mathematician", ada.Str("Title"));
        Assert.Equal("1815-12-10", ada.Str("Birthdate"));
        var found = await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Contact" });
        Assert.Equal(3, found.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Ingest_UpsertAndDelete_MatchOnExternalIdAndId()
    {
        var tenant = await server.CreateTenantAsync("Bulk upsert");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Erp_Id__c", type = "Text", external_id = true });
        var bulk = Client(tenant);
        string existing = (await tenant.CallOkAsync("create_account", new { Name = "Old Name", Erp_Id__c = "E-1", Industry = "Media" })).Str("Id");

        string upsert = await bulk.CreateIngestAsync("""{"object":"Account","operation":"upsert","externalIdFieldName":"erp_id__c"}""");
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(upsert, "Erp_Id__c,Name,Industry\nE-1,New Name,#N/A\nE-2,Second,Energy\n,Keyless,\n")).Status);
        await bulk.SetStateAsync("ingest", upsert, "UploadComplete");
        var done = await bulk.WaitAsync("ingest", upsert);
        Assert.Equal("JobComplete", done.Str("state"));
        Assert.Equal("Erp_Id__c", done.Str("externalIdFieldName"));
        var (_, ok) = await bulk.ResultsAsync(upsert, "successfulResults");
        Assert.Equal([(existing, "false"), (ok[1][0], "true")], ok.Select(r => (r[0], r[1])));
        var (_, failed) = await bulk.ResultsAsync(upsert, "failedResults");
        Assert.Contains("Erp_Id__c is empty", Assert.Single(failed)[1]);
        var renamed = await tenant.CallOkAsync("get_record", new { Id = existing, fields = new[] { "Name", "Industry" } });
        Assert.Equal("New Name", renamed.Str("Name"));
        Assert.False(renamed.TryGetProperty("Industry", out var industry) && industry.ValueKind != JsonValueKind.Null, "#N/A clears Industry");

        string delete = await bulk.CreateIngestAsync("""{"object":"Account","operation":"delete"}""");
        await bulk.UploadAsync(delete, $"Id\n{existing}\n003000000000000AAA\n");
        await bulk.SetStateAsync("ingest", delete, "UploadComplete");
        Assert.Equal("JobComplete", (await bulk.WaitAsync("ingest", delete)).Str("state"));
        Assert.Equal([existing], (await bulk.ResultsAsync(delete, "successfulResults")).Rows.Select(r => r[0]));
        Assert.StartsWith("MALFORMED_ID", Assert.Single((await bulk.ResultsAsync(delete, "failedResults")).Rows)[1]);
        Assert.StartsWith("ENTITY_IS_DELETED", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = existing })));
    }

    [Fact]
    public async Task Ingest_AbortedBeforeProcessing_WritesNothingAndListsTheRowsAsUnprocessed()
    {
        var tenant = await server.CreateTenantAsync("Bulk abort");
        var bulk = Client(tenant);
        string id = await bulk.CreateIngestAsync("""{"object":"Account","operation":"insert"}""");
        await bulk.UploadAsync(id, "Name\nNever One\nNever Two\n");
        Assert.Equal("Aborted", (await bulk.SetStateAsync("ingest", id, "Aborted")).Str("state"));
        var (status, body) = await bulk.JsonAsync(HttpMethod.Patch, BulkApi2Client.Base + "ingest/" + id, """{"state":"UploadComplete"}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("INVALIDJOBSTATE", body[0].Str("errorCode"));
        var (header, rows) = await bulk.ResultsAsync(id, "unprocessedrecords");
        Assert.Equal(["Name"], header);
        Assert.Equal(["Never One", "Never Two"], rows.Select(r => r[0]));
        await Task.Delay(1500, TestContext.Current.CancellationToken); // a runner that took it would have written by now
        Assert.Equal(0, (await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Account" })).GetProperty("totalSize").GetInt32());
        var (deleted, _, _) = await bulk.SendAsync(HttpMethod.Delete, BulkApi2Client.Base + "ingest/" + id);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await bulk.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest/" + id)).Status);
    }

    [Fact]
    public async Task Upload_BadHeaderOrEncoding_IsRefusedWithAClearErrorAndKeepsNothing()
    {
        var tenant = await server.CreateTenantAsync("Bulk refusals");
        var bulk = Client(tenant);
        string id = await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert"}""");
        var unknown = await bulk.UploadAsync(id, "LastName,Shoe_Size__c\nX,42\n");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("INVALIDBATCH", unknown.Body);
        Assert.Contains("Shoe_Size__c", unknown.Body);
        var notUtf8 = await bulk.UploadAsync(id, [.. Encoding.UTF8.GetBytes("LastName\nfine\n"), 0xC3, 0x28, (byte)'\n']);
        Assert.Equal(HttpStatusCode.BadRequest, notUtf8.Status);
        Assert.Contains("not UTF-8", notUtf8.Body);
        var json = await bulk.UploadAsync(id, Encoding.UTF8.GetBytes("""{"LastName":"x"}"""), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, json.Status);
        Assert.Contains("text/csv", json.Body);
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(id, "LastName\nKept\n")).Status);
        await bulk.SetStateAsync("ingest", id, "UploadComplete");
        var done = await bulk.WaitAsync("ingest", id);
        Assert.Equal(1, done.GetProperty("numberRecordsProcessed").GetInt32());

        var (status, body) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "ingest", """{"object":"Contact","operation":"hardDelete"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("FEATURENOTENABLED", body[0].Str("errorCode"));
        (status, body) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "ingest", """{"object":"Contact","operation":"upsert","externalIdFieldName":"Email"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("External ID", body[0].Str("message"));
    }

    [Fact]
    public async Task Query_ResultsPages_FollowSforceLocatorUntilNull()
    {
        var tenant = await server.CreateTenantAsync("Bulk query");
        for (int i = 0; i < 5; i++) await tenant.CallOkAsync("create_account", new { Name = $"Q{i}, Inc", Industry = "Media" });
        var bulk = Client(tenant);
        var (status, job) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "query", """{"operation":"query","query":"SELECT Id, Name, Industry FROM Account ORDER BY Name"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("UploadComplete", job.Str("state"));
        Assert.Equal("Account", job.Str("object"));
        string id = job.Str("id");
        Assert.Equal("JobComplete", (await bulk.WaitAsync("query", id)).Str("state"));

        var names = new List<string>();
        string? locator = null;
        var counts = new List<string>();
        do
        {
            var (pageStatus, body, headers) = await bulk.SendAsync(HttpMethod.Get, $"{BulkApi2Client.Base}query/{id}/results?maxRecords=2" + (locator is null ? "" : "&locator=" + locator));
            Assert.Equal(HttpStatusCode.OK, pageStatus);
            var records = BulkApi2Client.Csv(body);
            Assert.Equal(["Id", "Name", "Industry"], records[0]);
            names.AddRange(records.Skip(1).Select(r => r[1]));
            counts.Add(headers.GetValues("Sforce-NumberOfRecords").Single());
            locator = headers.GetValues("Sforce-Locator").Single();
        } while (locator != "null");
        Assert.Equal(["Q0, Inc", "Q1, Inc", "Q2, Inc", "Q3, Inc", "Q4, Inc"], names);
        Assert.Equal(["2", "2", "1"], counts);

        var bad = await bulk.SendAsync(HttpMethod.Get, $"{BulkApi2Client.Base}query/{id}/results?locator=%21%21");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        (status, var malformed) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "query", """{"operation":"query","query":"SELECT Nope FROM Account"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Nope", malformed[0].Str("message"));
    }

    [Fact]
    public async Task Jobs_OfAnotherTenant_AreNotFoundAndUntouched()
    {
        var owner = await server.CreateTenantAsync("Bulk owner");
        var other = await server.CreateTenantAsync("Bulk stranger");
        var mine = Client(owner);
        var theirs = Client(other);
        string id = await mine.CreateIngestAsync("""{"object":"Account","operation":"insert"}""");
        await mine.UploadAsync(id, "Name\nMine\n");

        Assert.Equal(HttpStatusCode.NotFound, (await theirs.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest/" + id)).Status);
        var (status, body) = await theirs.JsonAsync(HttpMethod.Patch, BulkApi2Client.Base + "ingest/" + id, """{"state":"UploadComplete"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NOT_FOUND", body[0].Str("errorCode"));
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.UploadAsync(id, "Name\nIntruder\n")).Status);
        foreach (var which in new[] { "successfulResults", "failedResults", "unprocessedrecords" })
            Assert.Equal(HttpStatusCode.NotFound, (await theirs.SendAsync(HttpMethod.Get, $"{BulkApi2Client.Base}ingest/{id}/{which}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await theirs.SendAsync(HttpMethod.Delete, BulkApi2Client.Base + "ingest/" + id)).Status);
        var (_, list) = await theirs.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest");
        Assert.Empty(list.GetProperty("records").EnumerateArray());

        var (_, ownList) = await mine.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest");
        var listed = Assert.Single(ownList.GetProperty("records").EnumerateArray());
        Assert.Equal(id, listed.Str("id"));
        Assert.Equal("Open", listed.Str("state"));
        Assert.True(ownList.GetProperty("done").GetBoolean());
        await mine.SetStateAsync("ingest", id, "UploadComplete");
        Assert.Equal("JobComplete", (await mine.WaitAsync("ingest", id)).Str("state"));
        Assert.Equal(["Mine"], (await mine.ResultsAsync(id, "successfulResults")).Rows.Select(r => r[2]));
    }
    [Fact]
    public async Task Ingest_RowsBeyondOnePart_AndWideRows_EveryRowLandsOnceInOrder()
    {
        // 4,300 narrow rows make three parts by count (2,000 each at most); 300 rows of 30,000 characters make three parts by
        // size (4 MiB each at most). A bad row in the middle of the second part fails alone.
        var tenant = await server.CreateTenantAsync("Bulk parts");
        var bulk = Client(tenant);
        string narrow = await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert"}""");
        var csv = new StringBuilder("LastName,Email,Birthdate\n");
        for (int i = 0; i < 4300; i++) csv.Append($"Part{i:D4},part{i}@bulk.test,{(i == 3000 ? "not-a-date" : "1990-01-31")}\n");
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(narrow, csv.ToString())).Status);
        await bulk.SetStateAsync("ingest", narrow, "UploadComplete");
        var done = await bulk.WaitAsync("ingest", narrow, TimeSpan.FromMinutes(3));
        Assert.Equal("JobComplete", done.Str("state"));
        Assert.Equal(4300, done.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(1, done.GetProperty("numberRecordsFailed").GetInt32());
        var (_, ok) = await bulk.ResultsAsync(narrow, "successfulResults");
        Assert.Equal(Enumerable.Range(0, 4300).Where(i => i != 3000).Select(i => $"Part{i:D4}"), ok.Select(r => r[2]));
        Assert.Equal(4299, ok.Select(r => r[0]).Distinct().Count());
        var (_, failed) = await bulk.ResultsAsync(narrow, "failedResults");
        Assert.Equal("Part3000", Assert.Single(failed)[2]);
        Assert.Contains("Birthdate", failed[0][1]);

        string wide = await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert"}""");
        var rows = new StringBuilder("LastName,Description\n");
        for (int i = 0; i < 300; i++) rows.Append($"Wide{i:D3},{(char)('a' + i % 26)}{new string('x', 29_998)}{i % 10}\n");
        Assert.Equal(HttpStatusCode.Created, (await bulk.UploadAsync(wide, rows.ToString())).Status);
        await bulk.SetStateAsync("ingest", wide, "UploadComplete");
        var wideDone = await bulk.WaitAsync("ingest", wide, TimeSpan.FromMinutes(3));
        Assert.Equal(300, wideDone.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(0, wideDone.GetProperty("numberRecordsFailed").GetInt32());
        var (_, wideOk) = await bulk.ResultsAsync(wide, "successfulResults");
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"Wide{i:D3}"), wideOk.Select(r => r[2]));
        var last = await tenant.CallOkAsync("get_record", new { Id = wideOk[299][0], fields = new[] { "Description" } });
        Assert.Equal($"n{new string('x', 29_998)}9", last.Str("Description"));
        var count = await tenant.CallOkAsync("soql_query", new { query = "SELECT COUNT() FROM Contact" });
        Assert.Equal(4599, count.GetProperty("totalSize").GetInt32());
    }
}
