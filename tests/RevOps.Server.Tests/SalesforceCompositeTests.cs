using System.Net;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Composite all-or-none requests that work on records they create themselves.</summary>
public sealed class SalesforceCompositeTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<JsonElement> PostAsync(TestTenant tenant, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + tenant.ApiKey);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }

    [Fact]
    public async Task AllOrNone_UpdatesAndDeletesRecordsCreatedEarlierInTheSameRequest()
    {
        var tenant = await server.CreateTenantAsync("Composite chain");
        var result = await PostAsync(tenant, "services/data/v60.0/composite", """
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"acct","body":{"Name":"Chain Co"}},
              {"method":"POST","url":"/services/data/v60.0/sobjects/Contact","referenceId":"temp","body":{"LastName":"Temp","AccountId":"@{acct.id}"}},
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/@{acct.id}","referenceId":"rename","body":{"Name":"Chain Corp","Industry":"Banking"}},
              {"method":"DELETE","url":"/services/data/v60.0/sobjects/Contact/@{temp.id}","referenceId":"drop"}
            ]}
            """);
        var responses = result.GetProperty("compositeResponse").EnumerateArray().ToArray();
        Assert.Equal([201, 201, 204, 204], responses.Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        string accountId = responses[0].GetProperty("body").Str("id");
        string contactId = responses[1].GetProperty("body").Str("id");

        var account = await tenant.CallOkAsync("get_record", new { Id = accountId });
        Assert.Equal("Chain Corp", account.Str("Name"));
        Assert.Equal("Banking", account.Str("Industry"));
        Assert.StartsWith("ENTITY_IS_DELETED: ", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = contactId })));

        // A failure anywhere leaves nothing behind, records created earlier in the request included.
        var failed = await PostAsync(tenant, "services/data/v60.0/composite", """
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"a","body":{"Name":"Ghost"}},
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/@{a.id}","referenceId":"b","body":{"Rating":"Lukewarm"}}
            ]}
            """);
        var codes = failed.GetProperty("compositeResponse").EnumerateArray().Select(r => r.GetProperty("body")[0].Str("errorCode")).ToArray();
        Assert.Equal(["PROCESSING_HALTED", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"], codes);
        var ghosts = await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Name = "Ghost" } });
        Assert.Equal(0, ghosts.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SoapConvertLead_ConvertsWithTheApiKeyAsSession_AndRefusesDtds()
    {
        var tenant = await server.CreateTenantAsync("Soap convert");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Soap", Company = "Soapworks" } })).Str("Id");
        async Task<(HttpStatusCode, string)> PostXmlAsync(string xml)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "services/Soap/u/60.0")) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        string Envelope(string session) => $"""
            <?xml version="1.0" encoding="utf-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com">
              <soapenv:Header><SessionHeader><sessionId>{session}</sessionId></SessionHeader></soapenv:Header>
              <soapenv:Body><convertLead><leadConverts><leadId>{leadId}</leadId><convertedStatus>Closed - Converted</convertedStatus><doNotCreateOpportunity>true</doNotCreateOpportunity></leadConverts></convertLead></soapenv:Body>
            </soapenv:Envelope>
            """;

        var (badStatus, bad) = await PostXmlAsync(Envelope("revops_live_wrong"));
        Assert.Equal(HttpStatusCode.InternalServerError, badStatus); // Salesforce's SOAP answers faults with 500; jsforce expects it.
        Assert.Contains("<faultcode>sf:INVALID_SESSION_ID</faultcode>", bad);

        var (status, ok) = await PostXmlAsync(Envelope(tenant.ApiKey));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<success>true</success>", ok);
        Assert.Contains("<opportunityId xsi:nil=\"true\"/>", ok);
        Assert.DoesNotContain("<errors>", ok);
        var lead = await tenant.CallOkAsync("get_record", new { Id = leadId });
        Assert.True(lead.GetProperty("IsConverted").GetBoolean());
        Assert.Contains($"<contactId>{lead.Str("ConvertedContactId")}</contactId>", ok);

        var (dtdStatus, dtd) = await PostXmlAsync("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
        Assert.Equal(HttpStatusCode.InternalServerError, dtdStatus);
        Assert.Contains("INVALID_REQUEST", dtd);
        Assert.DoesNotContain("root:", dtd);
    }
}
