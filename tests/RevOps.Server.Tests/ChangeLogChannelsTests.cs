using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace RevOps.Server.Tests;

/// <summary>
/// Every way to write a record leaves exactly one change-log row per record it changed, with the
/// caller's actor, the channel and the request id (the client's X-Request-Id, else the trace id).
/// </summary>
public sealed class ChangeLogChannelsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryWritePath_AppendsOneRowPerRecordChanged_WithActorChannelAndRequestId()
    {
        var tenant = await server.CreateTenantAsync("Every channel");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Erp_Id__c", type = "Text", external_id = true, unique = true });
        int setupRows = ChangeLogFile.Read(server, tenant.TenantId).Count;
        Assert.Equal(0, setupRows);

        // MCP over HTTP
        var contact = (await CallAsync(tenant, "mcp-create", "create_contact", new { LastName = "Chan", Email = "chan@every.test" })).Str("Id");
        await CallAsync(tenant, "mcp-update", "update_record", new { Id = contact, fields = new { Title = "CTO" } });
        await CallAsync(tenant, "mcp-same", "update_record", new { Id = contact, fields = new { Title = "CTO" } }); // nothing changes: no row
        var bulk = await CallAsync(tenant, "mcp-bulk", "bulk_write", new { @object = "Contact", operation = "create", records = new[] { new { LastName = "B1" }, new { LastName = "B2" }, new { LastName = "B3" } } });
        var bulkIds = bulk.GetProperty("ids").EnumerateArray().Select(r => r.GetString()!).ToArray();
        var master = (await CallAsync(tenant, "mcp-acct1", "create_account", new { Name = "Master Co" })).Str("Id");
        var duplicate = (await CallAsync(tenant, "mcp-acct2", "create_account", new { Name = "Master Company", Phone = "+1 555 0101" })).Str("Id");
        await CallAsync(tenant, "mcp-merge", "merge_records", new { @object = "Account", master_id = master, duplicate_ids = new[] { duplicate }, fields = new { Phone = duplicate } });
        await CallAsync(tenant, "mcp-delete", "delete_record", new { Id = contact });
        await CallAsync(tenant, "mcp-restore", "restore_record", new { Id = contact });
        var lead = (await CallAsync(tenant, "mcp-lead", "create_record", new { @object = "Lead", fields = new { LastName = "Lee", Company = "Leadco" } })).Str("Id");
        var converted = await CallAsync(tenant, "mcp-convert", "convert_lead", new { LeadId = lead });

        // Salesforce REST
        var account = (await RestAsync(tenant, "rest-create", HttpMethod.Post, $"{V}/sobjects/Account", """{"Name":"Rest Co"}""", HttpStatusCode.Created)).Str("id");
        await RestAsync(tenant, "rest-update", HttpMethod.Patch, $"{V}/sobjects/Account/{account}", """{"Industry":"Banking"}""", HttpStatusCode.NoContent);
        var collection = await RestAsync(tenant, "rest-collection", HttpMethod.Post, $"{V}/composite/sobjects",
            """{"allOrNone":true,"records":[{"attributes":{"type":"Contact"},"LastName":"C1"},{"attributes":{"type":"Contact"},"LastName":"C2"}]}""", HttpStatusCode.OK);
        var collectionIds = collection.EnumerateArray().Select(r => r.Str("id")).ToArray();
        var upserted = (await RestAsync(tenant, "rest-upsert-new", HttpMethod.Patch, $"{V}/sobjects/Account/Erp_Id__c/ERP-1", """{"Name":"Upsert Co"}""", HttpStatusCode.Created)).Str("id");
        await RestAsync(tenant, "rest-upsert-old", HttpMethod.Patch, $"{V}/sobjects/Account/Erp_Id__c/ERP-1", """{"Industry":"Energy"}""", HttpStatusCode.OK);
        var composite = await RestAsync(tenant, "rest-composite", HttpMethod.Post, $"{V}/composite", """
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"acct","body":{"Name":"Chain Co"}},
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/@{acct.id}","referenceId":"rename","body":{"Name":"Chain Corp"}}
            ]}
            """, HttpStatusCode.OK);
        var chain = composite.GetProperty("compositeResponse")[0].GetProperty("body").Str("id");
        await RestAsync(tenant, "rest-delete", HttpMethod.Delete, $"{V}/sobjects/Account/{account}", null, HttpStatusCode.NoContent);
        var soapLead = (await CallAsync(tenant, "mcp-lead2", "create_record", new { @object = "Lead", fields = new { LastName = "Soap", Company = "Soapco" } })).Str("Id");
        await SoapConvertAsync(tenant, "soap-convert", soapLead);
        var traced = await RestAsync(tenant, null, HttpMethod.Post, $"{V}/sobjects/Task", """{"Subject":"No id sent"}""", HttpStatusCode.Created, keepResponse: true);

        // revops mcp (stdio, straight on the database file)
        var stdioContact = await StdioCreateAsync(tenant);

        var rows = ChangeLogFile.Read(server, tenant.TenantId);
        Assert.Equal(Enumerable.Range(1, rows.Count).Select(i => (long)i), rows.Select(r => r.Seq));
        // Every row names the tenant's first user (its Integration User) and the key it came with; stdio has no key and acts as the org's oldest admin, that same user.
        string actor = $"{tenant.UserId} Integration User key {tenant.KeyId}";
        var convertedLead = converted;
        var expected = new List<(string Request, string Operation, string Object, string Id, string Actor, string Channel)>
        {
            ("mcp-create", "created", "Contact", contact, actor, "mcp"),
            ("mcp-update", "updated", "Contact", contact, actor, "mcp"),
            ("mcp-bulk", "created", "Contact", bulkIds[0], actor, "mcp"),
            ("mcp-bulk", "created", "Contact", bulkIds[1], actor, "mcp"),
            ("mcp-bulk", "created", "Contact", bulkIds[2], actor, "mcp"),
            ("mcp-acct1", "created", "Account", master, actor, "mcp"),
            ("mcp-acct2", "created", "Account", duplicate, actor, "mcp"),
            ("mcp-merge", "updated", "Account", master, actor, "mcp"),
            ("mcp-merge", "merged", "Account", duplicate, actor, "mcp"),
            ("mcp-delete", "deleted", "Contact", contact, actor, "mcp"),
            ("mcp-restore", "restored", "Contact", contact, actor, "mcp"),
            ("mcp-lead", "created", "Lead", lead, actor, "mcp"),
        };
        expected.AddRange(ConversionRows("mcp-convert", lead, convertedLead.Str("accountId"), convertedLead.Str("contactId"),
            convertedLead.TryGetProperty("opportunityId", out var opp) && opp.ValueKind == JsonValueKind.String ? opp.GetString() : null, actor, "mcp", rows));
        expected.AddRange(
        [
            ("rest-create", "created", "Account", account, actor, "rest"),
            ("rest-update", "updated", "Account", account, actor, "rest"),
            ("rest-collection", "created", "Contact", collectionIds[0], actor, "rest"),
            ("rest-collection", "created", "Contact", collectionIds[1], actor, "rest"),
            ("rest-upsert-new", "created", "Account", upserted, actor, "rest"),
            ("rest-upsert-old", "updated", "Account", upserted, actor, "rest"),
            ("rest-composite", "created", "Account", chain, actor, "rest"),
            ("rest-composite", "updated", "Account", chain, actor, "rest"),
            ("rest-delete", "deleted", "Account", account, actor, "rest"),
            ("mcp-lead2", "created", "Lead", soapLead, actor, "mcp"),
        ]);
        var soapLeadRow = rows.Single(r => r.RecordId == soapLead && r.Operation == "converted");
        var soapConverted = soapLeadRow.Changes;
        expected.AddRange(ConversionRows("soap-convert", soapLead, soapConverted.GetProperty("ConvertedAccountId").Str("after"),
            soapConverted.GetProperty("ConvertedContactId").Str("after"), null, actor, "rest", rows));
        expected.Add((traced.Request!, "created", "Task", traced.Id, actor, "rest"));
        expected.Add((rows[^1].RequestId!, "created", "Contact", stdioContact, $"{tenant.UserId} Integration User key -", "mcp"));

        Assert.Equal(expected.Count, rows.Count);
        Assert.Equal(
            expected.Select(e => $"{e.Request} {e.Operation} {e.Object} {e.Id} {e.Actor} {e.Channel}"),
            rows.Select(r => $"{r.RequestId} {r.Operation} {r.Object} {r.RecordId} {r.Actor} {r.ActorName} key {r.KeyId ?? "-"} {r.Channel}"));
        Assert.StartsWith("local-", rows[^1].RequestId);
        Assert.False(string.IsNullOrEmpty(traced.Request));
    }

    /// <summary>A conversion's rows in the order it writes them, taken from the log's order for the records it names.</summary>
    static IEnumerable<(string, string, string, string, string, string)> ConversionRows(string request, string lead, string accountId, string contactId, string? opportunityId,
        string actor, string channel, List<ChangeRow> rows)
    {
        var named = new HashSet<string> { lead, accountId, contactId };
        if (opportunityId is not null) named.Add(opportunityId);
        var mine = rows.Where(r => r.RequestId == request).ToArray();
        Assert.Equal(named.Order(), mine.Select(r => r.RecordId).Order());
        foreach (var row in mine)
            yield return (request, row.RecordId == lead ? "converted" : "created", row.RecordId == lead ? "Lead" : row.RecordId == accountId ? "Account" : row.RecordId == contactId ? "Contact" : "Opportunity",
                row.RecordId, actor, channel);
    }

    async Task<JsonElement> CallAsync(TestTenant tenant, string requestId, string tool, object arguments)
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.McpUri,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {tenant.ApiKey}", ["X-Request-Id"] = requestId },
        }), cancellationToken: Ct);
        var result = await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: Ct);
        Assert.True(result.IsError != true, $"{tool} failed: {Mcp.Text(result)}");
        return Mcp.Structured(result);
    }

    sealed record Sent(JsonElement Body, string? Request, string Id)
    {
        public string Str(string property) => Body.GetProperty(property).GetString()!;
    }

    async Task<JsonElement> RestAsync(TestTenant tenant, string requestId, HttpMethod method, string path, string? json, HttpStatusCode status) =>
        (await RestAsync(tenant, requestId, method, path, json, status, keepResponse: true)).Body;

    async Task<Sent> RestAsync(TestTenant tenant, string? requestId, HttpMethod method, string path, string? json, HttpStatusCode status, bool keepResponse)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        if (requestId is not null) request.Headers.Add("X-Request-Id", requestId);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        string echoed = response.Headers.GetValues("X-Request-Id").Single();
        if (requestId is not null) Assert.Equal(requestId, echoed);
        var body = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        string id = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("id", out var i) ? i.GetString()! : "";
        return new Sent(body, echoed, id);
    }

    async Task SoapConvertAsync(TestTenant tenant, string requestId, string leadId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "services/Soap/u/60.0"))
        {
            Content = new StringContent($"""
                <?xml version="1.0" encoding="utf-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com">
                  <soapenv:Header><SessionHeader><sessionId>{tenant.ApiKey}</sessionId></SessionHeader></soapenv:Header>
                  <soapenv:Body><convertLead><leadConverts><leadId>{leadId}</leadId><convertedStatus>Closed - Converted</convertedStatus><doNotCreateOpportunity>true</doNotCreateOpportunity></leadConverts></convertLead></soapenv:Body>
                </soapenv:Envelope>
                """, Encoding.UTF8, "text/xml"),
        };
        request.Headers.Add("X-Request-Id", requestId);
        using var response = await server.Http.SendAsync(request, Ct);
        Assert.Contains("<success>true</success>", await response.Content.ReadAsStringAsync(Ct));
    }

    async Task<string> StdioCreateAsync(TestTenant tenant)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [Cli.DllPath, "mcp", "--tenant", tenant.TenantId, "--data", server.DataDirectory],
            Name = "revops-stdio",
            EnvironmentVariables = server.CliEnvironment,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);
        var created = await client.CallToolAsync("create_contact", new Dictionary<string, object?> { ["LastName"] = "Stdio" }, cancellationToken: Ct);
        return Mcp.Structured(created).Str("Id");
    }
}
