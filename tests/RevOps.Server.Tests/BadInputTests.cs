using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;

namespace RevOps.Server.Tests;

/// <summary>Every mistake gets a clear answer naming the field and the fix, changes nothing, and is never a 5xx.</summary>
public sealed class BadInputTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Theory]
    [InlineData("create_contact", """{"FirstName":"Ada"}""", "REQUIRED_FIELD_MISSING: Contact.LastName is required. Send a value for 'LastName'.")]
    [InlineData("create_contact", """{"LastName":5}""", "INVALID_TYPE: Contact.LastName must be a string; got the number 5. Send e.g. \"text\".")]
    [InlineData("create_contact", """{"LastName":"X","Emial":"a@b.test"}""", "INVALID_ARGUMENT: create_contact has no argument 'Emial'. Did you mean 'Email'?")]
    [InlineData("create_contact", """{"LastName":"X","Email":"not-an-email"}""", "INVALID_FIELD_VALUE: Contact.Email: 'not-an-email' is not a valid email address. Send it as name@example.com.")]
    [InlineData("create_contact", """{"LastName":"X","LeadSource":"Billboard"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Contact.LeadSource: 'Billboard' is not an allowed value. Send one of: Web, Phone Inquiry, Partner Referral, Purchased List, Referral, Partner, Advertisement, Employee Referral, External Referral, Trade Show, Word of mouth, Other.")]
    [InlineData("create_contact", """{"LastName":"X","AccountId":"nope"}""", "MALFORMED_ID: Contact.AccountId: 'nope' is not a valid record Id. Send the 15- or 18-character Id of the Account.")]
    [InlineData("create_contact", """{"LastName":"X","custom_fields":{"score":1}}""", "INVALID_FIELD: create_contact: custom field names end in __c; send 'score__c' instead of 'score'.")]
    [InlineData("create_account", """{"Name":"X","NumberOfEmployees":"many"}""", "INVALID_TYPE: Account.NumberOfEmployees must be a whole number; got the string \"many\". Send e.g. 250.")]
    [InlineData("create_account", """{"Name":"X","Industry":"Software"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Account.Industry: 'Software' is not an allowed value. Send one of: Agriculture, Apparel, Banking, Biotechnology, Chemicals, Communications, Construction, Consulting, Education, Electronics, Energy, Engineering, Entertainment, Environmental, Finance, Food & Beverage, Government, Healthcare, Hospitality, Insurance, Machinery, Manufacturing, Media, Not For Profit, Other, Recreation, Retail, Shipping, Technology, Telecommunications, Transportation, Utilities.")]
    [InlineData("create_opportunity", """{"Name":"X","StageName":"Won","CloseDate":"2026-12-31"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.StageName: 'Won' is not an allowed value. Send one of: Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, Perception Analysis, Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost.")]
    [InlineData("create_opportunity", """{"Name":"X","StageName":"Prospecting","CloseDate":"next week"}""", "INVALID_TYPE: Opportunity.CloseDate must be a date as YYYY-MM-DD; got the string \"next week\". Send e.g. \"2026-12-31\".")]
    [InlineData("create_opportunity", """{"Name":"X","StageName":"Prospecting"}""", "REQUIRED_FIELD_MISSING: Opportunity.CloseDate is required. Send a value for 'CloseDate'.")]
    [InlineData("create_task", """{"Subject":"X","WhatId":"0031t6IaGGIbaKQA0Z"}""", "INVALID_CROSS_REFERENCE_KEY: Task.WhatId must point to Account or Opportunity; '0031t6IaGGIbaKQA0Z' is the Id of a Contact. Send the Id of an Account (001…) or an Opportunity (006…).")]
    [InlineData("create_task", """{"Subject":"X","WhoId":"003000000000001AAA"}""", "INVALID_CROSS_REFERENCE_KEY: Task.WhoId: no Contact '003000000000001AAA' in this org. Send the Id of an existing Contact (search for it first), or leave WhoId out.")]
    [InlineData("get_contact", """{"Id":"abc"}""", "MALFORMED_ID: 'abc' is not a valid Contact Id. Send the 15- or 18-character Id (it starts with 003).")]
    [InlineData("get_contact", """{"Id":"0031uGTqCufUsDGAL9"}""", "MALFORMED_ID: '0031uGTqCufUsDGAL9' is not a valid Contact Id. Its last three characters 'AL9' are not an Id's checksum (only letters A–Z and digits 0–5), so it was mistyped: copy the Id again, or send its first 15 characters '0031uGTqCufUsDG'. Send the 15- or 18-character Id (it starts with 003).")]
    [InlineData("create_task", """{"Subject":"X","WhoId":"0031uGTqCufUsDG789"}""", "MALFORMED_ID: Task.WhoId: '0031uGTqCufUsDG789' is not a valid record Id. Its last three characters '789' are not an Id's checksum (only letters A–Z and digits 0–5), so it was mistyped: copy the Id again, or send its first 15 characters '0031uGTqCufUsDG'. Send the 15- or 18-character Id of the Contact or Lead.")]
    [InlineData("find_records", """{"object":"Deal"}""", "INVALID_ARGUMENT: 'Deal' is not an object. Did you mean 'Opportunity'? Send one of: Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink.")]
    [InlineData("find_records", """{"object":"companies"}""", "INVALID_ARGUMENT: 'companies' is not an object. Did you mean 'Account'? Send one of: Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink.")]
    [InlineData("get_contact", """{"Id":"001000000000001AAA"}""", "NOT_FOUND: '001000000000001AAA' is not a Contact Id (Contact Ids start with 003). It is the Id of an Account.")]
    [InlineData("get_contact", """{}""", "REQUIRED_FIELD_MISSING: Contact.Id is required. Send a value for 'Id'.")]
    [InlineData("update_opportunity_stage", """{"Id":"006000000000001AAA"}""", "REQUIRED_FIELD_MISSING: Opportunity.StageName is required. Send a value for 'StageName'.")]
    [InlineData("search_contacts", """{"limit":500}""", "INVALID_ARGUMENT: limit must be between 1 and 200; 500 was sent.")]
    [InlineData("search_contacts", """{"accountId":"003000000000001AAA"}""", "INVALID_CROSS_REFERENCE_KEY: accountId: Contact.AccountId must point to Account; '003000000000001AAA' is the Id of a Contact. Send the Id of an Account (001…).")]
    [InlineData("search_opportunities", """{"minAmount":"lots"}""", "INVALID_TYPE: search_opportunities: 'minAmount' must be a number; got \"lots\".")]
    [InlineData("get_tasks", """{"status":"Done"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: status: Task.Status: 'Done' is not an allowed value. Send one of: Not Started, In Progress, Completed, Waiting on someone else, Deferred.")]
    public async Task Tool_BadInput_ReturnsActionableErrorAndWritesNothing(string tool, string argumentsJson, string expected)
    {
        var tenant = await server.CreateTenantAsync("Bad input");
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson)!;

        var result = await tenant.CallAsync(tool, arguments);

        Assert.Equal(expected, Mcp.ErrorText(result));
        foreach (var search in new[] { "search_contacts", "search_accounts", "search_opportunities", "get_tasks" })
            Assert.Equal(0, (await tenant.CallOkAsync(search)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task CallTool_UnknownTool_IsJsonRpcError()
    {
        var tenant = await server.CreateTenantAsync("Unknown tool");
        await using var client = await tenant.ConnectMcpAsync();
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("delete_everything", cancellationToken: TestContext.Current.CancellationToken).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("delete_everything", error.Message);
        var typo = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("get_contcat", cancellationToken: TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("Unknown tool: 'get_contcat'. Did you mean 'get_contact'? tools/list names every tool.", typo.Message);
    }

    [Fact]
    public async Task CallTool_UnknownTool_IsOneWarningLineInTheServerLog_NotAStackTrace()
    {
        string data = Directory.CreateTempSubdirectory("revops-unknown-tool-").FullName;
        await using var serve = await ServeProcess.StartAsync(data, ServeProcess.FreePort(), new Dictionary<string, string>());
        var (_, key) = await serve.CreateTenantAsync("Unknown tool log");
        var (status, body) = await serve.SendAsync(HttpMethod.Post, "/mcp", key,
            new { jsonrpc = "2.0", id = 7, method = "tools/call", @params = new { name = "drop_database", arguments = new { } } });
        Assert.Equal((System.Net.HttpStatusCode.OK, 7, -32602), (status, body.GetProperty("id").GetInt32(), body.GetProperty("error").GetProperty("code").GetInt32()));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        string log = serve.Output;
        Assert.Single(log.Split('\n'), line => line.Contains("drop_database", StringComparison.Ordinal));
        Assert.DoesNotContain("McpProtocolException", log);
        Assert.DoesNotContain("fail:", log);
    }

    [Fact]
    public async Task Post_MalformedJson_IsParseErrorNot5xx()
    {
        var tenant = await server.CreateTenantAsync("Malformed");
        using var response = await PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":""", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(-32700, body.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("id").ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("revops_live_0000000000000000000000000000000000000000")]
    [InlineData("not-even-a-key")]
    public async Task Post_MissingOrUnknownKey_Is401WithBearerChallenge(string? key)
    {
        using var response = await PostMcpAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("tools", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Post_XTenantIdWithoutDevMode_IsIgnored()
    {
        var tenant = await server.CreateTenantAsync("No dev");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Tenant-ID", tenant.TenantId);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostTenants_WithoutAdminToken_Is401AndBadBodyIs400()
    {
        using var anonymous = await server.Http.PostAsync(new Uri(server.BaseUri, "tenants"),
            new StringContent("""{"name":"Evil"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        foreach (var (body, expected) in new[]
                 {
                     ("""{"name":""}""", "name is required"),
                     ("""{"name":"X","subscription_tier":"platinum"}""", "subscription_tier 'platinum' is not known. Send one of: free, professional, enterprise."),
                     ("""{"name":""", "The body must be JSON"),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "tenants")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
            using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Contains(expected, error.RootElement.GetProperty("message").GetString());
        }
    }

    Task<HttpResponseMessage> PostMcpAsync(string body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
