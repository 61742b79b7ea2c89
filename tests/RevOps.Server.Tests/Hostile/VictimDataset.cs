using System.Text.Json;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Tenant A's data for the hostile tests: one of every object, a custom field, records in the
/// recycle bin, a converted lead and paged cursors, all carrying marker strings no other tenant
/// uses, so any answer to another tenant that contains one of them (or one of A's Ids) is a leak.
/// </summary>
public sealed record VictimDataset(TestTenant Tenant, IReadOnlyList<string> Ids, IReadOnlyList<string> Markers, IReadOnlyList<string> Cursors,
    IReadOnlyDictionary<string, string> Named)
{
    public const string CustomField = "Zqx_Code__c";
    public const string IdempotencyKey = "zqxidem7730";
    public const string CustomObject = "Zqx_Invoice__c";

    public string this[string name] => Named[name];

    public static async Task<VictimDataset> CreateAsync(CrmServerFixture server, string name)
    {
        var a = await server.CreateTenantAsync(name);
        var named = new Dictionary<string, string>
        {
            ["AccountName"] = "Zqx Vault Holdings", ["ContactEmail"] = "ada.zqx@vaultzqx.test", ["ContactLastName"] = "Zqxlovelace",
            ["LeadEmail"] = "lin.zqx@leadzqx.test", ["LeadCompany"] = "Zqx Lead Works", ["OpportunityName"] = "Zqx Secret Deal",
            ["TaskSubject"] = "Zqx secret call", ["EventSubject"] = "Zqx board meeting", ["CustomValue"] = "ZQXCODE42",
            ["DeletedEmail"] = "gone.zqx@vaultzqx.test", ["DeletedAccountName"] = "Zqx Deleted Corp", ["ConvertedCompany"] = "Zqx Converted Inc",
            ["ConvertedEmail"] = "cy.zqx@convertzqx.test", ["Phone"] = "4155550199",
            ["UserEmail"] = "quinn.zqx@vaultzqx.test", ["UserName"] = "Quinn Zqxrep",
        };
        // A second user of A's, owning a task: users, their names and emails are A's data like any record.
        var rep = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", a.ApiKey,
            $$"""{"email":"{{named["UserEmail"]}}","name":"{{named["UserName"]}}","title":"Zqx Rep"}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, rep.Status);
        await a.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = CustomField, type = "Text", external_id = true });
        string account = (await a.CallOkAsync("create_account", new { Name = named["AccountName"], Industry = "Banking", Phone = named["Phone"], idempotency_key = IdempotencyKey })).Str("Id");
        string contact = (await a.CallOkAsync("create_contact", new
        {
            FirstName = "Ada", LastName = named["ContactLastName"], Email = named["ContactEmail"], Phone = named["Phone"], AccountId = account,
            custom_fields = new Dictionary<string, string> { [CustomField] = named["CustomValue"] },
        })).Str("Id");
        string deal = (await a.CallOkAsync("create_opportunity", new { Name = named["OpportunityName"], StageName = "Prospecting", CloseDate = "2026-12-31", Amount = 777777, AccountId = account })).Str("Id");
        string task = (await a.CallOkAsync("create_task", new { Subject = named["TaskSubject"], WhoId = contact, WhatId = deal, OwnerId = rep.Body.Str("Id") })).Str("Id");
        string evt = (await a.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = named["EventSubject"], StartDateTime = "2026-06-01T10:00:00Z", EndDateTime = "2026-06-01T11:00:00Z", WhoId = contact } })).Str("Id");
        string lead = (await a.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Lin", LastName = "Zqxlead", Company = named["LeadCompany"], Email = named["LeadEmail"] } })).Str("Id");
        string converted = (await a.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Cy", LastName = "Zqxconvert", Company = named["ConvertedCompany"], Email = named["ConvertedEmail"] } })).Str("Id");
        await a.CallOkAsync("convert_lead", new { LeadId = converted });
        string gone = (await a.CallOkAsync("create_contact", new { FirstName = "Del", LastName = "Zqxgone", Email = named["DeletedEmail"] })).Str("Id");
        string goneAccount = (await a.CallOkAsync("create_account", new { Name = named["DeletedAccountName"] })).Str("Id");
        await a.CallOkAsync("delete_record", new { Id = gone });
        await a.CallOkAsync("delete_record", new { Id = goneAccount });
        // A's Bulk API 2.0 jobs: their ids, data and results are A's as much as its records are.
        var bulk = new BulkApi2Client(server.Http, server.BaseUri, a.ApiKey);
        string ingest = await bulk.CreateIngestAsync("""{"object":"Contact","operation":"insert"}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, (await bulk.UploadAsync(ingest, "LastName,Email\nZqxbulk,bulk.zqx@vaultzqx.test\n")).Status);
        await bulk.SetStateAsync("ingest", ingest, "UploadComplete");
        Assert.Equal("JobComplete", (await bulk.WaitAsync("ingest", ingest)).Str("state"));
        var (_, queryJob) = await bulk.JsonAsync(HttpMethod.Post, BulkApi2Client.Base + "query", """{"operation":"query","query":"SELECT Id, LastName FROM Contact"}""");
        Assert.Equal("JobComplete", (await bulk.WaitAsync("query", queryJob.Str("id"))).Str("state"));
        named["IngestJob"] = ingest; named["QueryJob"] = queryJob.Str("id");
        named["Account"] = account; named["Contact"] = contact; named["Opportunity"] = deal; named["Task"] = task; named["Event"] = evt;
        named["Lead"] = lead; named["ConvertedLead"] = converted; named["DeletedContact"] = gone; named["DeletedAccount"] = goneAccount;
        named["User"] = rep.Body.Str("Id");
        // A's file on its account: its Ids, title and name are A's data like any record's (FilesHostileTests probes its content hash).
        named["FileTitle"] = "Zqx file title"; named["FileBody"] = "Zqx file body";
        var (fileStatus, file) = await FilesTests.SendAsync(server, a.ApiKey, HttpMethod.Post, "services/data/v60.0/sobjects/ContentVersion", FilesTests.Json(new
        {
            Title = named["FileTitle"], PathOnClient = "zqxsecret.txt", FirstPublishLocationId = account,
            VersionData = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(named["FileBody"])),
        }));
        Assert.Equal(System.Net.HttpStatusCode.Created, fileStatus);
        named["ContentVersion"] = file.Str("id");

        // A's custom object, with a lookup to its account: the object's name, its records and its rows are A's.
        named["CustomObjectRecord"] = "Zqx invoice secret";
        await a.CallOkAsync("define_custom_field", new { @object = CustomObject, define_object = new { label = "Zqx Invoice", plural_label = "Zqx Invoices" } });
        await a.CallOkAsync("define_custom_field", new { @object = CustomObject, api_name = "Account__c", type = "Lookup", reference_to = "Account", on_delete = "clear" });
        named["CustomObject"] = (await a.CallOkAsync("create_record", new { @object = CustomObject, fields = new { Name = named["CustomObjectRecord"], Account__c = account } })).Str("Id");

        // Every Id A holds, live, converted or deleted, its users' and its API key's.
        var ids = new SortedSet<string>(StringComparer.Ordinal) { a.KeyId, named["IngestJob"], named["QueryJob"] };
        foreach (var obj in new[] { "Account", "Contact", "Lead", "Opportunity", "Task", "Event", "User", "ContentVersion", "ContentDocument", "ContentDocumentLink", CustomObject })
        {
            var rows = await a.CallOkAsync("soql_query", new { query = $"SELECT Id FROM {obj}", include_deleted = true });
            foreach (var row in rows.GetProperty("records").EnumerateArray()) ids.Add(row.Str("Id"));
        }

        // Cursors for A's second pages: another tenant must not be able to read on with them.
        var cursors = new List<string>();
        foreach (var (tool, args) in new (string, object)[]
                 {
                     ("soql_query", new { query = "SELECT Id, Name FROM Account", include_deleted = true, limit = 1 }), ("search_accounts", new { limit = 1 }),
                     ("search_contacts", new { limit = 1 }), ("find_records", new { @object = "Contact", limit = 1 }), ("search_crm", new { text = "Zqx", limit = 1 }),
                 })
            if ((await a.CallOkAsync(tool, args)).TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String) cursors.Add(next.GetString()!);
        Assert.Equal(5, cursors.Count);

        string[] markers = [.. named.Values.Where(v => !ids.Contains(v)), CustomField, CustomObject, IdempotencyKey, "Zqxlead", "Zqxconvert", "Zqxgone", "Zqxbulk", "zqxsecret", a.TenantId];
        return new VictimDataset(a, [.. ids], markers.Distinct().ToList(), cursors, named);
    }
}
