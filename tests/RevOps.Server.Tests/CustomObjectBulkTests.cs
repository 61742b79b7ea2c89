using System.Net;

namespace RevOps.Server.Tests;

/// <summary>Bulk API 2.0 on a custom object: insert, update, upsert on an External ID custom field, delete and a query job on Invoice__c.</summary>
public sealed class CustomObjectBulkTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static async Task DefineInvoiceAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Invoice__c",
            define_object = new { label = "Invoice", plural_label = "Invoices", name_field = new { type = "AutoNumber", format = "INV-{0000}" } },
        });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Amount__c", type = "Currency" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Erp_Id__c", type = "Text", external_id = true });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Invoice__c", api_name = "Account__c", type = "Lookup", reference_to = "Account" });
    }

    async Task<string> RunIngestAsync(BulkApi2Client bulk, string job, string csv)
    {
        string id = await bulk.CreateIngestAsync(job);
        var upload = await bulk.UploadAsync(id, csv);
        Assert.True(upload.Status == HttpStatusCode.Created, $"upload: {(int)upload.Status} {upload.Body}");
        await bulk.SetStateAsync("ingest", id, "UploadComplete");
        Assert.Equal("JobComplete", (await bulk.WaitAsync("ingest", id)).Str("state"));
        return id;
    }

    [Fact]
    public async Task Ingest_InsertUpdateUpsertDelete_OnACustomObject_AndAQueryJobReadsThem()
    {
        var tenant = await server.CreateTenantAsync("Bulk custom objects");
        await DefineInvoiceAsync(tenant);
        string acme = (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Acme" } })).Str("Id");
        var bulk = new BulkApi2Client(server.Http, server.BaseUri, tenant.ApiKey);

        // Insert: the parent by its relationship name, an auto-numbered Name per row, a bad currency failing on its own.
        string insert = await RunIngestAsync(bulk, """{"object":"invoice__c","operation":"insert"}""",
            "Erp_Id__c,Amount__c,Account__r.Name\nE-1,100,Acme\nE-2,not money,Acme\nE-3,30.5,\n");
        var (_, inserted) = await bulk.ResultsAsync(insert, "successfulResults");
        Assert.Equal(["E-1", "E-3"], inserted.Select(r => r[2]));
        Assert.All(inserted, r => { Assert.StartsWith("a00", r[0]); Assert.Equal(18, r[0].Length); Assert.Equal("true", r[1]); });
        var (_, failed) = await bulk.ResultsAsync(insert, "failedResults");
        var bad = Assert.Single(failed);
        Assert.Equal("E-2", bad[2]);
        Assert.Contains("Amount__c", bad[1]);
        var first = await tenant.CallOkAsync("get_record", new { Id = inserted[0][0] });
        Assert.Equal("INV-0001", first.Str("Name"));
        Assert.Equal(acme, first.Str("Account__c"));
        Assert.Equal(100, first.GetProperty("Amount__c").GetDouble());

        // Update by Id.
        string update = await RunIngestAsync(bulk, """{"object":"Invoice__c","operation":"update"}""", $"Id,Amount__c\n{inserted[1][0]},31\n");
        Assert.Equal([inserted[1][0]], (await bulk.ResultsAsync(update, "successfulResults")).Rows.Select(r => r[0]));
        Assert.Equal(31, (await tenant.CallOkAsync("get_record", new { Id = inserted[1][0] })).GetProperty("Amount__c").GetDouble());

        // Upsert on the External ID custom field: E-1 is updated, E-9 is created.
        string upsert = await RunIngestAsync(bulk, """{"object":"Invoice__c","operation":"upsert","externalIdFieldName":"erp_id__c"}""",
            $"Erp_Id__c,Amount__c,Account__c\nE-1,150,{acme}\nE-9,9,{acme}\n");
        var (_, upserted) = await bulk.ResultsAsync(upsert, "successfulResults");
        Assert.Equal([(inserted[0][0], "false")], upserted.Where(r => r[2] == "E-1").Select(r => (r[0], r[1])));
        var created = Assert.Single(upserted, r => r[2] == "E-9");
        Assert.Equal("true", created[1]);
        Assert.Equal(150, (await tenant.CallOkAsync("get_record", new { Id = inserted[0][0] })).GetProperty("Amount__c").GetDouble());

        // A query job reads the object with its parent path.
        var (status, job) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "query",
            """{"operation":"query","query":"SELECT Name, Erp_Id__c, Amount__c, Account__r.Name FROM Invoice__c ORDER BY Name"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Invoice__c", job.Str("object"));
        Assert.Equal("JobComplete", (await bulk.WaitAsync("query", job.Str("id"))).Str("state"));
        var (_, results, _) = await bulk.SendAsync(HttpMethod.Get, $"{BulkApi2Client.Base}query/{job.Str("id")}/results");
        var rows = BulkApi2Client.Csv(results);
        Assert.Equal(["Name", "Erp_Id__c", "Amount__c", "Account__r.Name"], rows[0]);
        Assert.Equal(
            [["INV-0001", "E-1", "150", "Acme"], ["INV-0002", "E-3", "31", ""], ["INV-0003", "E-9", "9", "Acme"]],
            rows.Skip(1).Select(r => r.ToArray()));

        // Delete by Id; an Account's Id in an Invoice__c delete fails on its own and deletes nothing.
        string delete = await RunIngestAsync(bulk, """{"object":"Invoice__c","operation":"delete"}""", $"Id\n{created[0]}\n{acme}\n");
        Assert.Equal([created[0]], (await bulk.ResultsAsync(delete, "successfulResults")).Rows.Select(r => r[0]));
        var refused = Assert.Single((await bulk.ResultsAsync(delete, "failedResults")).Rows);
        Assert.StartsWith("MALFORMED_ID", refused[1]);
        Assert.Contains("Invoice__c", refused[1]);
        var left = await tenant.CallOkAsync("soql_query", new { query = "SELECT Name FROM Invoice__c ORDER BY Name" });
        Assert.Equal(["INV-0001", "INV-0002"], left.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
        Assert.Equal("Acme", (await tenant.CallOkAsync("get_record", new { Id = acme })).Str("Name"));
    }

    [Fact]
    public async Task Ingest_OnAnotherTenantsCustomObject_IsUnknownObject()
    {
        var owner = await server.CreateTenantAsync("Bulk custom owner");
        var stranger = await server.CreateTenantAsync("Bulk custom stranger");
        await DefineInvoiceAsync(owner);
        var bulk = new BulkApi2Client(server.Http, server.BaseUri, stranger.ApiKey);
        var (status, body) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "ingest", """{"object":"Invoice__c","operation":"insert"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unable to find object: Invoice__c", body[0].Str("message"));
        (status, body) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "query", """{"operation":"query","query":"SELECT Name FROM Invoice__c"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Invoice__c", body[0].Str("message"));
        var (_, list) = await bulk.JsonAsync(HttpMethod.Get, BulkApi2Client.Base + "ingest");
        Assert.Empty(list.GetProperty("records").EnumerateArray());
    }
}
