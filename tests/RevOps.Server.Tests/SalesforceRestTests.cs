using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Domain.Ids;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Tests;

/// <summary>
/// The Salesforce-compatible REST API over raw HTTP: status codes, exact bodies, both path forms the
/// clients send, JSON content types on every body, tenant isolation, and no 5xx for any client mistake.
/// </summary>
public sealed class SalesforceRestTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "/services/data/v60.0";
    const string NotFoundBody = """[{"message":"The requested resource does not exist","errorCode":"NOT_FOUND","fields":[]}]""";
    const string InvalidSessionBody = """[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID","fields":[]}]""";
    const string EntityIsDeletedBody = """[{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED","fields":[]}]""";
    const string RolledBack = """{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}""";

    /// <summary>One answer: status, content type and body text (JSON parsed when there is a body).</summary>
    sealed record Reply(HttpStatusCode Status, string? ContentType, string Text, HttpResponseMessage Message)
    {
        public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

        public string Str(string property) => Json.GetProperty(property).GetString()!;
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends one request; every answer with a body must say it is JSON (jsforce parses nothing else).</summary>
    async Task<Reply> SendAsync(HttpMethod method, string path, string? key, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path.TrimStart('/')));
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        var response = await server.Http.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        string? type = response.Content.Headers.ContentType?.ToString();
        if (text.Length > 0)
            Assert.True(type?.StartsWith("application/json", StringComparison.Ordinal) == true, $"{method} {path} answered {(int)response.StatusCode} with Content-Type '{type}': {text}");
        return new Reply(response.StatusCode, type, text, response);
    }

    Task<Reply> GetAsync(TestTenant tenant, string path) => SendAsync(HttpMethod.Get, path, tenant.ApiKey);

    Task<Reply> PostAsync(TestTenant tenant, string path, string json) => SendAsync(HttpMethod.Post, path, tenant.ApiKey, json);

    Task<Reply> PatchAsync(TestTenant tenant, string path, string json) => SendAsync(HttpMethod.Patch, path, tenant.ApiKey, json);

    Task<Reply> DeleteAsync(TestTenant tenant, string path) => SendAsync(HttpMethod.Delete, path, tenant.ApiKey);

    async Task<string> CreateAsync(TestTenant tenant, string type, string json)
    {
        var reply = await PostAsync(tenant, $"{V}/sobjects/{type}", json);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        return reply.Str("id");
    }

    static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    static void AssertError(Reply reply, HttpStatusCode status, string errorCode, params string[] fields)
    {
        Assert.Equal(status, reply.Status);
        var error = Assert.Single(reply.Json.EnumerateArray());
        Assert.Equal(errorCode, error.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(fields, error.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
    }

    static string SaveResult(string id) => $$"""{"id":"{{id}}","success":true,"errors":[]}""";

    static string OrgId(TestTenant tenant) => SalesforceId.ForOrganization(new TenantId(Guid.Parse(tenant.TenantId)));

    // ---------------------------------------------------------------- discovery

    [Theory]
    [InlineData("/services/data")]
    [InlineData("/services/data/")]
    public async Task Versions_WithoutToken_ListV20ToV64OldestFirstWithReleaseLabels(string path)
    {
        var reply = await SendAsync(HttpMethod.Get, path, key: null);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var versions = reply.Json.EnumerateArray().ToArray();
        Assert.Equal(45, versions.Length);
        AssertJson("""{"label":"Winter '11","url":"/services/data/v20.0","version":"20.0"}""", versions[0].GetRawText());
        AssertJson("""{"label":"Winter '24","url":"/services/data/v59.0","version":"59.0"}""", versions[39].GetRawText());
        AssertJson("""{"label":"Spring '24","url":"/services/data/v60.0","version":"60.0"}""", versions[40].GetRawText());
        AssertJson("""{"label":"Winter '25","url":"/services/data/v62.0","version":"62.0"}""", versions[42].GetRawText());
        AssertJson("""{"label":"Summer '25","url":"/services/data/v64.0","version":"64.0"}""", versions[44].GetRawText());
    }

    [Theory]
    [InlineData("/services/data/v60.0")]
    [InlineData("/services/data/v60.0/")]
    public async Task Resources_BothSlashForms_ListResourcesWithAbsoluteIdentity(string path)
    {
        var tenant = await server.CreateTenantAsync("Rest resources");

        var reply = await GetAsync(tenant, path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        string identity = $"{server.BaseUri.GetLeftPart(UriPartial.Authority)}/id/{OrgId(tenant)}/{tenant.UserId}";
        AssertJson($$"""
            {"sobjects":"/services/data/v60.0/sobjects","query":"/services/data/v60.0/query","queryAll":"/services/data/v60.0/queryAll",
             "limits":"/services/data/v60.0/limits","composite":"/services/data/v60.0/composite","identity":"{{identity}}"}
            """, reply.Text);
    }

    [Theory]
    [InlineData("GET", "/services/data/v19.0")]
    [InlineData("GET", "/services/data/v19.0/sobjects")]
    [InlineData("GET", "/services/data/v65.0/sobjects")]
    [InlineData("GET", "/services/data/v65.0/limits")]
    [InlineData("GET", "/services/data/v99.0/sobjects/Account/describe")]
    [InlineData("GET", "/services/data/v60.5/sobjects")]
    [InlineData("GET", "/services/data/60.0/sobjects")]
    [InlineData("GET", "/services/data/vabc/sobjects")]
    [InlineData("POST", "/services/data/v10.0/sobjects/Account")]
    [InlineData("POST", "/services/data/v65.0/composite/sobjects")]
    [InlineData("POST", "/services/data/v65.0/composite")]
    [InlineData("GET", "/services/data/v60.0/nothing-here")]
    [InlineData("GET", "/services/data/v60.0/sobjects/Account/001000000000001AAA/too/deep")]
    public async Task Version_OutsideV20ToV64OrUnknownPath_Is404NotFound(string method, string path)
    {
        var tenant = await server.CreateTenantAsync("Rest versions");

        var reply = await SendAsync(new HttpMethod(method), path, tenant.ApiKey, method == "POST" ? """{"Name":"Never"}""" : null);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal(NotFoundBody, reply.Text);
        Assert.Empty((await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray());
    }

    [Theory]
    [InlineData("v20.0")]
    [InlineData("v45.0")]
    [InlineData("v64.0")]
    public async Task Version_InsideRange_IsServedWithThatVersionInUrls(string version)
    {
        var tenant = await server.CreateTenantAsync("Rest version edge");

        var global = await GetAsync(tenant, $"/services/data/{version}/sobjects");

        Assert.Equal(HttpStatusCode.OK, global.Status);
        Assert.Equal($"/services/data/{version}/sobjects/Account/describe", global.Json.GetProperty("sobjects")[0].GetProperty("urls").GetProperty("describe").GetString());
    }

    [Theory]
    [InlineData("free", "/services/data/v60.0/limits", 15_000, 5, 10)]
    [InlineData("professional", "/services/data/v60.0/limits/", 100_000, 100_000, 100_000)]
    [InlineData("enterprise", "/services/data/v64.0/limits/", 1_000_000, 100_000, 100_000)]
    public async Task Limits_FirstCallOfANewTenant_ReportsTheTiersFullAllowance(string tier, string path, long max, int perSecond, int burst)
    {
        var tenant = await server.CreateTenantAsync("Rest limits " + tier, tier);

        var reply = await GetAsync(tenant, path);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal($$$"""{"Max":{{{max}}},"Remaining":{{{max}}}}""", reply.Json.GetProperty("DailyApiRequests").GetRawText());
        var perSecondLimit = reply.Json.GetProperty("ApiRequestsPerSecond");
        Assert.Equal(perSecond, perSecondLimit.GetProperty("Max").GetInt32());
        Assert.Equal(burst, perSecondLimit.GetProperty("Burst").GetInt32());
        // The limits call itself took one token of the burst, unless the bucket refilled since.
        Assert.InRange(perSecondLimit.GetProperty("Remaining").GetInt32(), burst - 1, burst);
    }

    [Fact]
    public async Task Limits_AfterCalls_RemainingCountsEveryRestCall()
    {
        var tenant = await server.CreateTenantAsync("Rest limits counted");
        await CreateAsync(tenant, "Account", """{"Name":"One"}""");
        await GetAsync(tenant, $"{V}/sobjects");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(tenant, $"{V}/sobjects/Widget/describe")).Status); // failures count too

        // Calls are counted in memory and stored every second; each limits call counts as well.
        int calls = 3;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            long remaining = (await GetAsync(tenant, $"{V}/limits")).Json.GetProperty("DailyApiRequests").GetProperty("Remaining").GetInt64();
            if (remaining == 100_000 - calls) break;
            Assert.True(remaining > 100_000 - calls, $"Remaining {remaining} counts more than the {calls} calls made");
            calls++;
            await Task.Delay(200, timeout.Token);
        }
    }

    [Fact]
    public async Task Identity_OwnUrlAndUserinfo_DescribeTheKeysUserAndOrg_OtherIdsAreNotFound()
    {
        var tenant = await server.CreateTenantAsync("Rest identity");
        string org = OrgId(tenant);
        string authority = server.BaseUri.GetLeftPart(UriPartial.Authority);
        string identityUrl = $"{authority}/id/{org}/{tenant.UserId}";
        // The tenant's first user: its Integration User (no admin_email was given), an admin.
        string username = tenant.Username;
        Assert.Equal($"integration.{tenant.TenantId}@revops.invalid", username);
        string urls = $$"""{"rest":"{{authority}}/services/data/v{version}/","sobjects":"{{authority}}/services/data/v{version}/sobjects/","query":"{{authority}}/services/data/v{version}/query/"}""";

        // jsforce adds ?format=json&oauth_token=… and sends the Bearer token too.
        var identity = await GetAsync(tenant, $"/id/{org}/{tenant.UserId}?format=json&oauth_token={Uri.EscapeDataString(tenant.ApiKey)}");
        Assert.Equal(HttpStatusCode.OK, identity.Status);
        AssertJson($$"""
            {"id":"{{identityUrl}}","username":"{{username}}","display_name":"Integration User","nick_name":"iuser","first_name":"Integration","last_name":"User",
             "timezone":"GMT","asserted_user":"true","user_id":"{{tenant.UserId}}","organization_id":"{{org}}","organization_name":"Rest identity",
             "email":"{{username}}","user_type":"STANDARD","is_admin":true,"active":true,"urls":{{urls}}}
            """, identity.Text);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(tenant, $"/id/{org}/{tenant.UserId}/")).Status);
        // The key's own id is not a user's.
        Assert.Equal(NotFoundBody, (await GetAsync(tenant, $"/id/{org}/{tenant.KeyId}")).Text);

        var userinfo = await GetAsync(tenant, "/services/oauth2/userinfo");
        Assert.Equal(HttpStatusCode.OK, userinfo.Status);
        AssertJson($$"""
            {"sub":"{{identityUrl}}","preferred_username":"{{username}}","name":"Integration User","given_name":"Integration","family_name":"User","zoneinfo":"GMT",
             "user_id":"{{tenant.UserId}}","organization_id":"{{org}}","organization_name":"Rest identity","email":"{{username}}","user_type":"STANDARD",
             "is_admin":true,"active":true,"urls":{{urls}}}
            """, userinfo.Text);

        // A key made for another user of the org describes that user, and only that user.
        var sarah = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
            """{"email":"sarah@identity.test","name":"Sarah Johnson","time_zone":"America/New_York"}""");
        Assert.True(sarah.Status == HttpStatusCode.Created, sarah.Text);
        string sarahId = sarah.Body.Str("Id");
        var sarahKey = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, """{"scope":"read","user":"sarah@identity.test"}""");
        Assert.True(sarahKey.Status == HttpStatusCode.Created, sarahKey.Text);
        var sarahInfo = await SendAsync(HttpMethod.Get, "/services/oauth2/userinfo", sarahKey.Body.Str("api_key"));
        Assert.Equal(HttpStatusCode.OK, sarahInfo.Status);
        AssertJson($$"""
            {"sub":"{{authority}}/id/{{org}}/{{sarahId}}","preferred_username":"sarah@identity.test","name":"Sarah Johnson","given_name":"Sarah","family_name":"Johnson",
             "zoneinfo":"America/New_York","user_id":"{{sarahId}}","organization_id":"{{org}}","organization_name":"Rest identity","email":"sarah@identity.test",
             "user_type":"STANDARD","is_admin":false,"active":true,"urls":{{urls}}}
            """, sarahInfo.Text);
        Assert.Equal(NotFoundBody, (await SendAsync(HttpMethod.Get, $"/id/{org}/{tenant.UserId}", sarahKey.Body.Str("api_key"))).Text);

        var other = await server.CreateTenantAsync("Rest identity other");
        Assert.Equal(NotFoundBody, (await GetAsync(tenant, $"/id/{OrgId(other)}/{other.UserId}")).Text);
        Assert.Equal(NotFoundBody, (await GetAsync(tenant, $"/id/{org}/{other.UserId}")).Text);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(other, $"/id/{org}/{tenant.UserId}")).Status);
    }

    // ---------------------------------------------------------------- OAuth

    async Task<Reply> TokenAsync(params (string Name, string Value)[] form)
    {
        var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await SendAsync(HttpMethod.Post, "/services/oauth2/token", key: null, configure: r => r.Content = content);
    }

    [Fact]
    public async Task OAuthToken_PasswordAndClientCredentials_ReturnTheKeyAsBearerTokenForThisInstance()
    {
        var tenant = await server.CreateTenantAsync("Rest oauth");
        string authority = server.BaseUri.GetLeftPart(UriPartial.Authority);

        foreach (var reply in new[]
        {
            await TokenAsync(("grant_type", "password"), ("client_id", "app"), ("client_secret", "unused"), ("username", "ops@example.com"), ("password", tenant.ApiKey)),
            await TokenAsync(("grant_type", "client_credentials"), ("client_id", "app"), ("client_secret", tenant.ApiKey)),
        })
        {
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var body = reply.Json;
            Assert.Equal(["access_token", "instance_url", "id", "token_type", "issued_at", "scope"], body.EnumerateObject().Select(p => p.Name));
            Assert.Equal(tenant.ApiKey, reply.Str("access_token"));
            Assert.Equal(authority, reply.Str("instance_url"));
            Assert.Equal($"{authority}/id/{OrgId(tenant)}/{tenant.UserId}", reply.Str("id"));
            Assert.Equal("Bearer", reply.Str("token_type"));
            Assert.Matches("^[0-9]{13}$", reply.Str("issued_at"));

            var resources = await SendAsync(HttpMethod.Get, $"{reply.Str("instance_url")}/services/data/v60.0/limits", reply.Str("access_token"));
            Assert.Equal(HttpStatusCode.OK, resources.Status);
        }
    }

    [Fact]
    public async Task OAuthToken_WrongSecretUnknownGrantOrJsonBody_Is400OAuthError()
    {
        Assert.Equal("""{"error":"invalid_grant","error_description":"authentication failure"}""",
            (await TokenAsync(("grant_type", "password"), ("username", "x"), ("password", "revops_live_wrong"))).Text);
        var missing = await TokenAsync(("grant_type", "client_credentials"), ("client_id", "x"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("invalid_grant", missing.Str("error"));
        var unsupported = await TokenAsync(("grant_type", "authorization_code"), ("code", "abc"));
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.Status);
        Assert.Equal("unsupported_grant_type", unsupported.Str("error"));
        var json = await SendAsync(HttpMethod.Post, "/services/oauth2/token", key: null, """{"grant_type":"password"}""");
        Assert.Equal(HttpStatusCode.BadRequest, json.Status);
        Assert.Equal("invalid_request", json.Str("error"));
    }

    // ---------------------------------------------------------------- 401

    [Theory]
    [InlineData("GET", "/services/data/v60.0", null)]
    [InlineData("GET", "/services/data/v60.0/sobjects", "Bearer nope")]
    [InlineData("GET", "/services/data/v60.0/sobjects/Account/describe", null)]
    [InlineData("POST", "/services/data/v60.0/sobjects/Account", "Bearer revops_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("PATCH", "/services/data/v60.0/sobjects/Account/001000000000001AAA", "Basic dXNlcjpwYXNz")]
    [InlineData("DELETE", "/services/data/v60.0/sobjects/Account/001000000000001AAA", null)]
    [InlineData("POST", "/services/data/v60.0/composite/sobjects", null)]
    [InlineData("POST", "/services/data/v60.0/composite", "Bearer ")]
    [InlineData("GET", "/services/data/v60.0/limits/", null)]
    [InlineData("GET", "/services/data/v99.0/sobjects", null)]
    [InlineData("GET", "/services/oauth2/userinfo", null)]
    [InlineData("GET", "/id/00D000000000001AAA/005000000000001AAA", "Bearer nope")]
    public async Task AnyEndpoint_MissingOrBadToken_Is401InvalidSessionArray(string method, string path, string? authorization)
    {
        var reply = await SendAsync(new HttpMethod(method), path, key: null, method is "POST" or "PATCH" ? """{"Name":"x"}""" : null, r =>
        {
            if (authorization is not null) r.Headers.TryAddWithoutValidation("Authorization", authorization);
        });

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal(InvalidSessionBody, reply.Text);
        Assert.StartsWith("application/json", reply.ContentType);
    }

    // ---------------------------------------------------------------- describe

    [Fact]
    public async Task DescribeGlobal_ListsTheSevenObjectsWithoutFields()
    {
        var tenant = await server.CreateTenantAsync("Rest global");

        var reply = await GetAsync(tenant, $"{V}/sobjects/");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var body = reply.Json;
        Assert.Equal(["encoding", "maxBatchSize", "sobjects"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("UTF-8", body.GetProperty("encoding").GetString());
        Assert.Equal(200, body.GetProperty("maxBatchSize").GetInt32());
        var objects = body.GetProperty("sobjects").EnumerateArray().ToArray();
        Assert.Equal(["Account", "Contact", "Lead", "Opportunity", "Task", "Event", "User", "ContentVersion", "ContentDocument", "ContentDocumentLink"], objects.Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(["001", "003", "00Q", "006", "00T", "00U", "005", "068", "069", "06A"], objects.Select(o => o.GetProperty("keyPrefix").GetString()));
        Assert.Equal(["Accounts", "Contacts", "Leads", "Opportunities", "Tasks", "Events", "Users", "Content Versions", "Content Documents", "Content Document Links"], objects.Select(o => o.GetProperty("labelPlural").GetString()));
        // Users are read through the record channels and changed only through /api/users and `revops user`.
        Assert.Equal([true, true, true, true, true, true, false, true, true, true], objects.Select(o => o.GetProperty("createable").GetBoolean()));
        Assert.Equal([true, true, true, true, true, true, false, true, true, true], objects.Select(o => o.GetProperty("updateable").GetBoolean()));
        Assert.Equal([true, true, true, true, true, true, false, true, true, true], objects.Select(o => o.GetProperty("deletable").GetBoolean()));
        Assert.All(objects, o => Assert.True(o.GetProperty("queryable").GetBoolean()));
        Assert.All(objects, o => Assert.False(o.TryGetProperty("fields", out _)));
        AssertJson("""
            {"activateable":false,"createable":true,"custom":false,"customSetting":false,"deletable":true,"deprecatedAndHidden":false,
             "feedEnabled":false,"hasSubtypes":false,"isSubtype":false,"keyPrefix":"003","label":"Contact","labelPlural":"Contacts",
             "layoutable":true,"mergeable":true,"mruEnabled":true,"name":"Contact","queryable":true,"replicateable":true,
             "retrieveable":true,"searchable":true,"triggerable":true,"undeletable":true,"updateable":true,
             "urls":{"sobject":"/services/data/v60.0/sobjects/Contact","describe":"/services/data/v60.0/sobjects/Contact/describe",
                     "rowTemplate":"/services/data/v60.0/sobjects/Contact/{ID}"}}
            """, objects[1].GetRawText());
    }

    [Theory]
    [InlineData("/services/data/v60.0/sobjects/Account")]
    [InlineData("/services/data/v60.0/sobjects/Account/")]
    [InlineData("/services/data/v60.0/sobjects/account")]
    public async Task ObjectInfo_BothSlashForms_GivesDescribeEntryAndRecentItems(string path)
    {
        var tenant = await server.CreateTenantAsync("Rest object info");
        var global = (await GetAsync(tenant, $"{V}/sobjects")).Json.GetProperty("sobjects")[0].GetRawText();
        Assert.Equal($$"""{"objectDescribe":{{global}},"recentItems":[]}""", (await GetAsync(tenant, path)).Text);

        string older = await CreateAsync(tenant, "Account", """{"Name":"Older"}""");
        string newer = await CreateAsync(tenant, "Account", """{"Name":"Newer"}""");

        var reply = await GetAsync(tenant, path);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        AssertJson($$"""
            [{"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/{{newer}}"},"Id":"{{newer}}","Name":"Newer"},
             {"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/{{older}}"},"Id":"{{older}}","Name":"Older"}]
            """, reply.Json.GetProperty("recentItems").GetRawText());
    }

    [Fact]
    public async Task Describe_Contact_GivesFieldsReferencesPicklistsAndChildRelationships()
    {
        var tenant = await server.CreateTenantAsync("Rest describe");

        var reply = await GetAsync(tenant, $"{V}/sobjects/contact/describe/");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var describe = reply.Json;
        Assert.Equal("Contact", describe.GetProperty("name").GetString());
        Assert.Equal("[]", describe.GetProperty("recordTypeInfos").GetRawText());
        var fields = describe.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal([
            "Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp", "OwnerId",
            "Salutation", "FirstName", "LastName", "Name", "Email", "Phone", "MobilePhone", "HomePhone", "Fax", "AccountId",
            "ReportsToId", "Title", "Department", "Birthdate", "LeadSource", "HasOptedOutOfEmail", "DoNotCall",
            "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "Description",
            "OtherPhone", "AssistantName", "AssistantPhone",
        ], fields.Keys);
        AssertJson("""
            {"autoNumber":false,"calculated":false,"cascadeDelete":false,"createable":true,"custom":false,"defaultValue":null,
             "defaultedOnCreate":false,"digits":0,"externalId":false,"filterable":true,"groupable":true,"idLookup":false,
             "label":"Account ID","length":18,"name":"AccountId","nameField":false,"nillable":true,"picklistValues":[],"precision":0,
             "referenceTo":["Account"],"relationshipName":"Account","restrictedPicklist":false,"scale":0,"soapType":"tns:ID",
             "sortable":true,"type":"reference","unique":false,"updateable":true}
            """, fields["AccountId"].GetRawText());
        Assert.Equal("""["Contact"]""", fields["ReportsToId"].GetProperty("referenceTo").GetRawText());
        Assert.Equal("ReportsTo", fields["ReportsToId"].GetProperty("relationshipName").GetString());
        Assert.Equal("""["User"]""", fields["CreatedById"].GetProperty("referenceTo").GetRawText());
        Assert.Equal("CreatedBy", fields["CreatedById"].GetProperty("relationshipName").GetString());
        Assert.Equal("""["User"]""", fields["OwnerId"].GetProperty("referenceTo").GetRawText());
        Assert.Equal("Owner", fields["OwnerId"].GetProperty("relationshipName").GetString());
        Assert.False(fields["LastName"].GetProperty("nillable").GetBoolean());
        Assert.False(fields["Name"].GetProperty("createable").GetBoolean());
        Assert.False(fields["Name"].GetProperty("updateable").GetBoolean());
        Assert.Equal("email", fields["Email"].GetProperty("type").GetString());
        Assert.Equal("date", fields["Birthdate"].GetProperty("type").GetString());
        Assert.Equal("xsd:date", fields["Birthdate"].GetProperty("soapType").GetString());
        Assert.Equal("boolean", fields["DoNotCall"].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, fields["Title"].GetProperty("relationshipName").ValueKind);
        Assert.Equal(["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Referral", "Partner", "Advertisement",
            "Employee Referral", "External Referral", "Trade Show", "Word of mouth", "Other"],
            fields["LeadSource"].GetProperty("picklistValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        AssertJson("""{"active":true,"defaultValue":false,"label":"Web","validFor":null,"value":"Web"}""", fields["LeadSource"].GetProperty("picklistValues")[0].GetRawText());
        AssertJson("""
            [{"cascadeDelete":false,"childSObject":"Contact","deprecatedAndHidden":false,"field":"ReportsToId","relationshipName":"DirectReports","restrictedDelete":false},
             {"cascadeDelete":true,"childSObject":"Task","deprecatedAndHidden":false,"field":"WhoId","relationshipName":"Tasks","restrictedDelete":false},
             {"cascadeDelete":true,"childSObject":"Event","deprecatedAndHidden":false,"field":"WhoId","relationshipName":"Events","restrictedDelete":false}]
            """, describe.GetProperty("childRelationships").GetRawText());
    }

    [Theory]
    [InlineData("/services/data/v60.0/sobjects/Widget")]
    [InlineData("/services/data/v60.0/sobjects/Widget/describe")]
    [InlineData("/services/data/v60.0/sobjects/Widget__c/001000000000001AAA")]
    [InlineData("/services/data/v60.0/sobjects/Campaign/describe")]
    public async Task Describe_UnknownObject_Is404NamingTheObjects(string path)
    {
        var tenant = await server.CreateTenantAsync("Rest unknown object");
        string type = path.Split('/')[5];

        var reply = await GetAsync(tenant, path);

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal($$"""[{"message":"The requested resource does not exist: sObject type '{{type}}' is not supported. Objects: Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink.","errorCode":"NOT_FOUND","fields":[]}]""", reply.Text);
    }

    // ---------------------------------------------------------------- single records

    [Fact]
    public async Task Record_CreateGetPatchDelete_AnswerSalesforceStatusCodesAndBodies()
    {
        var tenant = await server.CreateTenantAsync("Rest crud");

        // simple-salesforce posts to sobjects/Contact/ and sends Content-Type and X-PrettyPrint on every call.
        var created = await SendAsync(HttpMethod.Post, $"{V}/sobjects/Contact/", tenant.ApiKey,
            """{"attributes":{"type":"Contact"},"FirstName":"Grace","LastName":"Hopper","Email":"grace@navy.example.com","Birthdate":"1906-12-09"}""",
            r => r.Headers.Add("X-PrettyPrint", "1"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string id = created.Str("id");
        Assert.Matches("^003[0-9A-Za-z]{15}$", id);
        Assert.Equal(SaveResult(id), created.Text);

        var record = await GetAsync(tenant, $"{V}/sobjects/Contact/{id}");
        Assert.Equal(HttpStatusCode.OK, record.Status);
        var json = record.Json;
        Assert.Equal(35, json.EnumerateObject().Count());
        Assert.Equal($$"""{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/{{id}}"}""", json.GetProperty("attributes").GetRawText());
        Assert.Equal("Grace Hopper", json.GetProperty("Name").GetString());
        Assert.Equal("1906-12-09", json.GetProperty("Birthdate").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("Title").ValueKind);
        Assert.Equal(tenant.UserId, json.GetProperty("CreatedById").GetString());
        Assert.Equal(tenant.UserId, json.GetProperty("LastModifiedById").GetString());
        Assert.Equal(tenant.UserId, json.GetProperty("OwnerId").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$", json.GetProperty("CreatedDate").GetString());

        Assert.Equal($$"""{"attributes":{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/{{id}}"},"Id":"{{id}}","LastName":"Hopper","Email":"grace@navy.example.com"}""",
            (await GetAsync(tenant, $"{V}/sobjects/Contact/{id}?fields=LastName,Email")).Text);
        Assert.Equal($$"""{"attributes":{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/{{id}}"},"Id":"{{id}}","LastName":"Hopper","Email":"grace@navy.example.com"}""",
            (await GetAsync(tenant, $"{V}/sobjects/Contact/{id}?fields=LastName%2CEmail")).Text);
        Assert.Equal($$"""{"attributes":{"type":"Contact","url":"/services/data/v45.0/sobjects/Contact/{{id}}"},"Id":"{{id}}","LastName":"Hopper"}""",
            (await GetAsync(tenant, $"/services/data/v45.0/sobjects/Contact/{id[..15]}?fields=Id,LastName")).Text);

        var patched = await PatchAsync(tenant, $"{V}/sobjects/Contact/{id}", """{"Title":"Rear Admiral","FirstName":"Amazing Grace"}""");
        Assert.Equal(HttpStatusCode.NoContent, patched.Status);
        Assert.Equal("", patched.Text);
        Assert.Equal($$"""{"attributes":{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/{{id}}"},"Id":"{{id}}","Title":"Rear Admiral","Name":"Amazing Grace Hopper"}""",
            (await GetAsync(tenant, $"{V}/sobjects/Contact/{id}?fields=Title,Name")).Text);

        var deleted = await DeleteAsync(tenant, $"{V}/sobjects/Contact/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("", deleted.Text);
        var again = await DeleteAsync(tenant, $"{V}/sobjects/Contact/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal(EntityIsDeletedBody, again.Text);
        AssertError(await PatchAsync(tenant, $"{V}/sobjects/Contact/{id}", """{"Title":"Too late"}"""), HttpStatusCode.NotFound, "ENTITY_IS_DELETED", "Id");
        var gone = await GetAsync(tenant, $"{V}/sobjects/Contact/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal(NotFoundBody, gone.Text);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("POST")]
    public async Task Record_PutOrPost_Is405MethodNotAllowed(string method)
    {
        var tenant = await server.CreateTenantAsync("Rest 405");
        string id = await CreateAsync(tenant, "Account", """{"Name":"Acme"}""");

        var reply = await SendAsync(new HttpMethod(method), $"{V}/sobjects/Account/{id}", tenant.ApiKey, """{"Name":"Replaced"}""");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        Assert.Equal($$"""[{"message":"HTTP Method '{{method}}' not allowed. Allowed are GET,PATCH,DELETE","errorCode":"METHOD_NOT_ALLOWED","fields":[]}]""", reply.Text);
        Assert.Equal("Acme", (await GetAsync(tenant, $"{V}/sobjects/Account/{id}?fields=Name")).Json.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Record_GetByWrongTypeMissingOrNonId_Is404WithSalesforceMessages()
    {
        var tenant = await server.CreateTenantAsync("Rest get 404");
        string account = await CreateAsync(tenant, "Account", """{"Name":"Acme"}""");

        Assert.Equal(NotFoundBody, (await GetAsync(tenant, $"{V}/sobjects/Contact/{account}")).Text);
        Assert.Equal(NotFoundBody, (await GetAsync(tenant, $"{V}/sobjects/Account/001000000000001AAA")).Text);
        Assert.Equal("""[{"message":"Provided external ID field does not exist or is not accessible: not-an-id","errorCode":"NOT_FOUND","fields":[]}]""",
            (await GetAsync(tenant, $"{V}/sobjects/Account/not-an-id")).Text);
        AssertError(await GetAsync(tenant, $"{V}/sobjects/Account/{account}?fields=Name,Bogus"), HttpStatusCode.BadRequest, "INVALID_FIELD", "Bogus");
    }

    [Theory]
    [InlineData("""{"LastName":"X","Emial":"x@example.com"}""", "INVALID_FIELD", "Emial")]
    [InlineData("""{"FirstName":"NoLast"}""", "REQUIRED_FIELD_MISSING", "LastName")]
    [InlineData("""{"LastName":null}""", "REQUIRED_FIELD_MISSING", "LastName")]
    [InlineData("""{"LastName":"X","Name":"Full Name"}""", "INVALID_FIELD_FOR_INSERT_UPDATE", "Name")]
    [InlineData("""{"LastName":"X","CreatedDate":"2020-01-01T00:00:00Z"}""", "INVALID_FIELD_FOR_INSERT_UPDATE", "CreatedDate")]
    [InlineData("""{"LastName":5}""", "INVALID_TYPE", "LastName")]
    [InlineData("""{"LastName":"X","AccountId":"garbage"}""", "MALFORMED_ID", "AccountId")]
    [InlineData("""{"LastName":"X","AccountId":"001000000000001AAA"}""", "INVALID_CROSS_REFERENCE_KEY", "AccountId")]
    [InlineData("""{"LastName":"X","LeadSource":"Billboard"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "LeadSource")]
    [InlineData("""{"LastName":"X",""", "JSON_PARSER_ERROR")]
    [InlineData("""["LastName"]""", "JSON_PARSER_ERROR")]
    [InlineData("", "JSON_PARSER_ERROR")]
    [InlineData("""{"LastName":"\ud800"}""", "JSON_PARSER_ERROR")]
    [InlineData("""{"\udc00":"X"}""", "JSON_PARSER_ERROR")]
    public async Task Record_CreateWithBadBody_Is400WithErrorCodeAndFieldAndWritesNothing(string body, string errorCode, params string[] fields)
    {
        var tenant = await server.CreateTenantAsync("Rest bad body");

        AssertError(await PostAsync(tenant, $"{V}/sobjects/Contact", body), HttpStatusCode.BadRequest, errorCode, fields);

        Assert.Empty((await GetAsync(tenant, $"{V}/sobjects/Contact")).Json.GetProperty("recentItems").EnumerateArray());
    }

    // ---------------------------------------------------------------- upsert and get by external id

    static async Task DefineExternalIdsAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Ext_Key__c", type = "Text", external_id = true, unique = true });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Legacy_Code__c", type = "Text", external_id = true });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Plain__c", type = "Text" });
    }

    [Fact]
    public async Task Upsert_ByExternalId_CreatesThenUpdates_StatusDependsOnVersion()
    {
        var tenant = await server.CreateTenantAsync("Rest upsert");
        await DefineExternalIdsAsync(tenant);

        var created = await PatchAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/ERP-1", """{"Name":"Initech"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string id = created.Str("id");
        Assert.Equal($$"""{"id":"{{id}}","success":true,"errors":[],"created":true}""", created.Text);

        var v60 = await PatchAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/ERP-1", """{"Industry":"Banking"}""");
        Assert.Equal(HttpStatusCode.OK, v60.Status);
        Assert.Equal($$"""{"id":"{{id}}","success":true,"errors":[],"created":false}""", v60.Text);

        var v46 = await PatchAsync(tenant, "/services/data/v46.0/sobjects/Account/Ext_Key__c/ERP-1", """{"Rating":"Hot"}""");
        Assert.Equal(HttpStatusCode.OK, v46.Status);
        Assert.Equal($$"""{"id":"{{id}}","success":true,"errors":[],"created":false}""", v46.Text);

        var v45 = await PatchAsync(tenant, "/services/data/v45.0/sobjects/Account/Ext_Key__c/ERP-1", """{"Name":"Initech Corp"}""");
        Assert.Equal(HttpStatusCode.NoContent, v45.Status);
        Assert.Equal("", v45.Text);

        // A new value at v45.0 is still a 201 with a body.
        var v45Create = await PatchAsync(tenant, "/services/data/v45.0/sobjects/Account/Ext_Key__c/ERP-2", """{"Name":"Globex"}""");
        Assert.Equal(HttpStatusCode.Created, v45Create.Status);
        Assert.True(v45Create.Json.GetProperty("created").GetBoolean());

        var byExt = await GetAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/ERP-1?fields=Name,Industry,Rating,Ext_Key__c");
        Assert.Equal(HttpStatusCode.OK, byExt.Status);
        Assert.Equal($$"""{"attributes":{"type":"Account","url":"/services/data/v60.0/sobjects/Account/{{id}}"},"Id":"{{id}}","Name":"Initech Corp","Industry":"Banking","Rating":"Hot","Ext_Key__c":"ERP-1"}""", byExt.Text);
        Assert.Equal(NotFoundBody, (await GetAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/ERP-404")).Text);
    }

    [Theory]
    [InlineData("Acme%20One", "Acme One")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("A%2FB", "A/B")]
    [InlineData("50%25", "50%")]
    public async Task Upsert_PercentEncodedExternalIdValue_IsDecodedOnceForUpsertAndGet(string segment, string value)
    {
        var tenant = await server.CreateTenantAsync("Rest ext encoding");
        await DefineExternalIdsAsync(tenant);

        var created = await PatchAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/{segment}", """{"Name":"Encoded"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string id = created.Str("id");

        var stored = await GetAsync(tenant, $"{V}/sobjects/Account/{id}?fields=Ext_Key__c");
        Assert.Equal(value, stored.Json.GetProperty("Ext_Key__c").GetString());
        Assert.Equal(id, (await GetAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/{segment}")).Str("Id"));
        var matched = await PatchAsync(tenant, $"{V}/sobjects/Account/Ext_Key__c/{segment}", """{"Name":"Encoded again"}""");
        Assert.Equal(HttpStatusCode.OK, matched.Status);
        Assert.Equal(id, matched.Str("id"));
    }

    [Fact]
    public async Task Upsert_SeveralRecordsShareTheValue_Is300WithTheirUrlsAndChangesNothing()
    {
        var tenant = await server.CreateTenantAsync("Rest upsert 300");
        await DefineExternalIdsAsync(tenant);
        string one = await CreateAsync(tenant, "Account", """{"Name":"Dup One","Legacy_Code__c":"L-7"}""");
        string two = await CreateAsync(tenant, "Account", """{"Name":"Dup Two","Legacy_Code__c":"L-7"}""");
        string urls = $"""["/services/data/v60.0/sobjects/Account/{one}","/services/data/v60.0/sobjects/Account/{two}"]""";

        var upsert = await PatchAsync(tenant, $"{V}/sobjects/Account/Legacy_Code__c/L-7", """{"Name":"Which?"}""");
        Assert.Equal(HttpStatusCode.MultipleChoices, upsert.Status);
        Assert.Equal(urls, upsert.Text);
        var get = await GetAsync(tenant, $"{V}/sobjects/Account/Legacy_Code__c/L-7");
        Assert.Equal(HttpStatusCode.MultipleChoices, get.Status);
        Assert.Equal(urls, get.Text);

        var names = await GetAsync(tenant, $"{V}/composite/sobjects/Account?ids={one},{two}&fields=Name");
        Assert.Equal(["Dup One", "Dup Two"], names.Json.EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
    }

    [Theory]
    [InlineData("Plain__c")]
    [InlineData("Name")]
    [InlineData("Nope__c")]
    public async Task Upsert_FieldThatIsNotAnExternalId_Is404AndCreatesNothing(string field)
    {
        var tenant = await server.CreateTenantAsync("Rest upsert not ext");
        await DefineExternalIdsAsync(tenant);
        string message = $"Provided external ID field does not exist or is not accessible: {field}";

        var upsert = await PatchAsync(tenant, $"{V}/sobjects/Account/{field}/K-1", """{"Name":"Never"}""");
        Assert.Equal(HttpStatusCode.NotFound, upsert.Status);
        Assert.Equal(message, Assert.Single(upsert.Json.EnumerateArray()).GetProperty("message").GetString());
        var get = await GetAsync(tenant, $"{V}/sobjects/Account/{field}/K-1");
        Assert.Equal($$"""[{"message":"{{message}}","errorCode":"NOT_FOUND","fields":[]}]""", get.Text);
        var collection = await PatchAsync(tenant, $"{V}/composite/sobjects/Account/{field}", $$"""{"records":[{"attributes":{"type":"Account"},"{{field}}":"K-1","Name":"Never"}]}""");
        Assert.Equal($$"""[{"message":"{{message}}","errorCode":"NOT_FOUND","fields":[]}]""", collection.Text);
        Assert.Empty((await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray());
    }

    // ---------------------------------------------------------------- collections

    [Fact]
    public async Task Collections_CreateUpdateRetrieveDelete_AnswerArraysInInputOrder()
    {
        var tenant = await server.CreateTenantAsync("Rest collections");

        var created = await PostAsync(tenant, $"{V}/composite/sobjects/", """
            {"allOrNone":false,"records":[
              {"attributes":{"type":"Account"},"Name":"Acme"},
              {"attributes":{"type":"Contact"},"LastName":"Lovelace"},
              {"attributes":{"type":"Contact"},"FirstName":"NoLast"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var results = created.Json.EnumerateArray().ToArray();
        string account = results[0].GetProperty("id").GetString()!, contact = results[1].GetProperty("id").GetString()!;
        Assert.StartsWith("001", account);
        Assert.StartsWith("003", contact);
        AssertJson($$"""
            [{"id":"{{account}}","success":true,"errors":[]},{"id":"{{contact}}","success":true,"errors":[]},
             {"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Contact.LastName is required. Send a value for 'LastName'.","fields":["LastName"]}]}]
            """, created.Text);

        // jsforce sends lowercase id; other clients Id.
        var updated = await PatchAsync(tenant, $"{V}/composite/sobjects", $$"""
            {"records":[{"attributes":{"type":"Account"},"id":"{{account}}","Industry":"Energy"},
                        {"attributes":{"type":"Contact"},"Id":"{{contact}}","AccountId":"{{account}}"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal($"[{SaveResult(account)},{SaveResult(contact)}]", updated.Text);

        var posted = await PostAsync(tenant, $"{V}/composite/sobjects/Contact", $$"""{"ids":["{{contact}}","003000000000001AAA"],"fields":["LastName","AccountId"]}""");
        string expected = $$"""[{"attributes":{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/{{contact}}"},"Id":"{{contact}}","LastName":"Lovelace","AccountId":"{{account}}"},null]""";
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal(expected, posted.Text);
        Assert.Equal(expected, (await GetAsync(tenant, $"{V}/composite/sobjects/Contact?ids={contact},003000000000001AAA&fields=LastName,AccountId")).Text);
        Assert.Equal(expected, (await GetAsync(tenant, $"{V}/composite/sobjects/Contact/?ids={contact}%2C003000000000001AAA&fields=LastName%2CAccountId")).Text);
        var everyField = await PostAsync(tenant, $"{V}/composite/sobjects/Account", $$"""{"ids":["{{account}}"]}""");
        Assert.Equal("Energy", everyField.Json[0].GetProperty("Industry").GetString());
        // attributes and the 36 Account fields, OwnerId among them.
        Assert.Equal(37, everyField.Json[0].EnumerateObject().Count());
        Assert.Equal(tenant.UserId, everyField.Json[0].GetProperty("OwnerId").GetString());

        var deleted = await DeleteAsync(tenant, $"{V}/composite/sobjects?ids={contact},{account}");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal($"[{SaveResult(contact)},{SaveResult(account)}]", deleted.Text);
        Assert.Equal("[null]", (await PostAsync(tenant, $"{V}/composite/sobjects/Account", $$"""{"ids":["{{account}}"],"fields":["Name"]}""")).Text);
        var again = await DeleteAsync(tenant, $"{V}/composite/sobjects?ids={account}");
        Assert.Equal("ENTITY_IS_DELETED", again.Json[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
    }

    [Fact]
    public async Task Collections_AllOrNone_OneBadRecordRollsBackEveryRecord()
    {
        var tenant = await server.CreateTenantAsync("Rest all or none");
        string kept = await CreateAsync(tenant, "Contact", """{"LastName":"Kept"}""");

        var create = await PostAsync(tenant, $"{V}/composite/sobjects", """
            {"allOrNone":true,"records":[{"attributes":{"type":"Account"},"Name":"Never"},{"attributes":{"type":"Contact"},"FirstName":"NoLast"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, create.Status);
        AssertJson($$"""
            [{"success":false,"errors":[{{RolledBack}}]},
             {"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Contact.LastName is required. Send a value for 'LastName'.","fields":["LastName"]}]}]
            """, create.Text);
        Assert.Empty((await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray());

        var update = await PatchAsync(tenant, $"{V}/composite/sobjects", $$"""
            {"allOrNone":true,"records":[{"attributes":{"type":"Contact"},"id":"{{kept}}","Title":"Changed"},{"attributes":{"type":"Contact"},"id":"{{kept[..3]}}000000000001AAA","Title":"Changed"}]}
            """);
        var items = update.Json.EnumerateArray().ToArray();
        AssertJson(RolledBack, items[0].GetProperty("errors")[0].GetRawText());
        Assert.Equal("NOT_FOUND", items[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal(JsonValueKind.Null, (await GetAsync(tenant, $"{V}/sobjects/Contact/{kept}?fields=Title")).Json.GetProperty("Title").ValueKind);

        var delete = await DeleteAsync(tenant, $"{V}/composite/sobjects?ids={kept},garbage&allOrNone=true");
        AssertJson($$"""
            [{"success":false,"errors":[{{RolledBack}}]},{"success":false,"errors":[{"statusCode":"MALFORMED_ID","message":"malformed id garbage","fields":["id"]}]}]
            """, delete.Text);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(tenant, $"{V}/sobjects/Contact/{kept}")).Status);
    }

    [Fact]
    public async Task Collections_MoreThan200Records_Is400AndWritesNothing_200AreAccepted()
    {
        var tenant = await server.CreateTenantAsync("Rest 200 limit");
        await DefineExternalIdsAsync(tenant);
        static string Records(int n, string extra = "") =>
            "{\"records\":[" + string.Join(',', Enumerable.Range(0, n).Select(i => $$"""{"attributes":{"type":"Account"},"Name":"N{{i}}"{{extra.Replace("#", i.ToString(System.Globalization.CultureInfo.InvariantCulture))}}}""")) + "]}";
        string tooMany = """[{"message":"record limit reached. cannot submit more than 200 records into this call (201 were sent)","errorCode":"EXCEEDED_ID_LIMIT","fields":[]}]""";

        Assert.Equal(tooMany, (await PostAsync(tenant, $"{V}/composite/sobjects", Records(201))).Text);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(tenant, $"{V}/composite/sobjects", Records(201))).Status);
        Assert.Equal(tooMany, (await PatchAsync(tenant, $"{V}/composite/sobjects", Records(201, ",\"id\":\"001000000000001AAA\""))).Text);
        Assert.Equal(tooMany, (await PatchAsync(tenant, $"{V}/composite/sobjects/Account/Ext_Key__c", Records(201, ",\"Ext_Key__c\":\"K#\""))).Text);
        Assert.Equal(tooMany, (await DeleteAsync(tenant, $"{V}/composite/sobjects?ids=" + string.Join(',', Enumerable.Repeat("001000000000001AAA", 201)))).Text);
        Assert.Empty((await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray());

        var accepted = await PostAsync(tenant, $"{V}/composite/sobjects", Records(200));
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(200, accepted.Json.EnumerateArray().Count(r => r.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task CollectionUpsert_ByExternalId_ReportsCreatedPerRecord()
    {
        var tenant = await server.CreateTenantAsync("Rest collection upsert");
        await DefineExternalIdsAsync(tenant);
        string existing = await CreateAsync(tenant, "Account", """{"Name":"Old","Ext_Key__c":"K-1"}""");

        var reply = await PatchAsync(tenant, $"{V}/composite/sobjects/Account/Ext_Key__c", """
            {"allOrNone":false,"records":[
              {"attributes":{"type":"Account"},"Ext_Key__c":"K-1","Name":"Renamed"},
              {"attributes":{"type":"Account"},"Ext_Key__c":"K-2","Name":"New"},
              {"attributes":{"type":"Account"},"Name":"No key"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var items = reply.Json.EnumerateArray().ToArray();
        AssertJson($$"""{"id":"{{existing}}","success":true,"errors":[],"created":false}""", items[0].GetRawText());
        string created = items[1].GetProperty("id").GetString()!;
        AssertJson($$"""{"id":"{{created}}","success":true,"errors":[],"created":true}""", items[1].GetRawText());
        AssertJson("""{"success":false,"errors":[{"statusCode":"MISSING_ARGUMENT","message":"Ext_Key__c not specified","fields":["Ext_Key__c"]}]}""", items[2].GetRawText());
        Assert.Equal("Renamed", (await GetAsync(tenant, $"{V}/sobjects/Account/{existing}?fields=Name")).Json.GetProperty("Name").GetString());
        Assert.Equal("K-2", (await GetAsync(tenant, $"{V}/sobjects/Account/{created}?fields=Ext_Key__c")).Json.GetProperty("Ext_Key__c").GetString());
    }

    // ---------------------------------------------------------------- composite

    [Fact]
    public async Task Composite_References_AreFilledInUrlsAndBodies()
    {
        var tenant = await server.CreateTenantAsync("Rest composite");

        var reply = await PostAsync(tenant, $"{V}/composite", """
            {"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"acct","body":{"Name":"Composite Co"}},
              {"method":"POST","url":"/services/data/v60.0/sobjects/Contact","referenceId":"ct","body":{"LastName":"Ref","AccountId":"@{acct.id}"}},
              {"method":"GET","url":"/services/data/v60.0/sobjects/Contact/@{ct.id}?fields=AccountId,LastName","referenceId":"read"},
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/@{acct.id}","referenceId":"upd","body":{"Description":"Has @{read.LastName}"}},
              {"method":"GET","url":"/services/data/v60.0/sobjects/Account/@{missing.id}","referenceId":"bad"}]}
            """);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var responses = reply.Json.GetProperty("compositeResponse").EnumerateArray().ToArray();
        string account = responses[0].GetProperty("body").GetProperty("id").GetString()!;
        string contact = responses[1].GetProperty("body").GetProperty("id").GetString()!;
        AssertJson($$"""
            {"compositeResponse":[
              {"body":{{SaveResult(account)}},"httpHeaders":{"Location":"/services/data/v60.0/sobjects/Account/{{account}}"},"httpStatusCode":201,"referenceId":"acct"},
              {"body":{{SaveResult(contact)}},"httpHeaders":{"Location":"/services/data/v60.0/sobjects/Contact/{{contact}}"},"httpStatusCode":201,"referenceId":"ct"},
              {"body":{"attributes":{"type":"Contact","url":"/services/data/v60.0/sobjects/Contact/{{contact}}"},"Id":"{{contact}}","AccountId":"{{account}}","LastName":"Ref"},
               "httpHeaders":{},"httpStatusCode":200,"referenceId":"read"},
              {"body":null,"httpHeaders":{},"httpStatusCode":204,"referenceId":"upd"},
              {"body":[{"errorCode":"INVALID_REFERENCE","message":"Invalid reference specified. No value for missing.id found in the earlier subrequests.","fields":[]}],
               "httpHeaders":{},"httpStatusCode":400,"referenceId":"bad"}]}
            """, reply.Text);
        Assert.Equal("Has Ref", (await GetAsync(tenant, $"{V}/sobjects/Account/{account}?fields=Description")).Json.GetProperty("Description").GetString());
    }

    [Fact]
    public async Task Composite_AllOrNone_CommitsTogetherOrHaltsEverything()
    {
        var tenant = await server.CreateTenantAsync("Rest composite atomic");
        string existing = await CreateAsync(tenant, "Account", """{"Name":"Existing"}""");
        string doomed = await CreateAsync(tenant, "Contact", """{"LastName":"Doomed"}""");

        var ok = await PostAsync(tenant, $"{V}/composite", $$"""
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"a","body":{"Name":"Atomic"} },
              {"method":"POST","url":"/services/data/v60.0/sobjects/Contact","referenceId":"c","body":{"LastName":"Atom","AccountId":"@{a.id}"} },
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/{{existing}}","referenceId":"u","body":{"ParentId":"@{a.id}"} },
              {"method":"DELETE","url":"/services/data/v60.0/sobjects/Contact/{{doomed}}","referenceId":"d"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        var responses = ok.Json.GetProperty("compositeResponse").EnumerateArray().ToArray();
        Assert.Equal([201, 201, 204, 204], responses.Select(r => r.GetProperty("httpStatusCode").GetInt32()));
        string atomic = responses[0].GetProperty("body").GetProperty("id").GetString()!;
        Assert.Equal(atomic, (await GetAsync(tenant, $"{V}/sobjects/Account/{existing}?fields=ParentId")).Json.GetProperty("ParentId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(tenant, $"{V}/sobjects/Contact/{doomed}")).Status);

        var recentBefore = (await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").GetRawText();
        var halted = await PostAsync(tenant, $"{V}/composite", $$"""
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"a","body":{"Name":"Never"} },
              {"method":"PATCH","url":"/services/data/v60.0/sobjects/Account/{{existing}}","referenceId":"u","body":{"Name":"Never renamed"} },
              {"method":"POST","url":"/services/data/v60.0/sobjects/Contact","referenceId":"c","body":{"FirstName":"NoLast","AccountId":"@{a.id}"} }]}
            """);
        const string processingHalted = """[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back since another operation in the same transaction failed.","fields":[]}]""";
        AssertJson($$"""
            {"compositeResponse":[
              {"body":{{processingHalted}},"httpHeaders":{},"httpStatusCode":400,"referenceId":"a"},
              {"body":{{processingHalted}},"httpHeaders":{},"httpStatusCode":400,"referenceId":"u"},
              {"body":[{"errorCode":"REQUIRED_FIELD_MISSING","message":"Contact.LastName is required. Send a value for 'LastName'.","fields":["LastName"]}],"httpHeaders":{},"httpStatusCode":400,"referenceId":"c"}]}
            """, halted.Text);
        Assert.Equal(recentBefore, (await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").GetRawText());
        Assert.Equal("Existing", (await GetAsync(tenant, $"{V}/sobjects/Account/{existing}?fields=Name")).Json.GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(26)]
    public async Task Composite_NoneOrMoreThan25Subrequests_Is400InvalidBatchRequest(int count)
    {
        var tenant = await server.CreateTenantAsync("Rest composite 25");
        var subrequests = Enumerable.Range(0, count).Select(i => $$$"""{"method":"POST","url":"/services/data/v60.0/sobjects/Account","referenceId":"r{{{i}}}","body":{"Name":"N{{{i}}}"}}""");

        var reply = await PostAsync(tenant, $"{V}/composite", $$"""{"compositeRequest":[{{string.Join(',', subrequests)}}]}""");

        Assert.Equal($$"""[{"message":"A composite request holds 1 to 25 subrequests; {{count}} were sent.","errorCode":"INVALID_BATCH_REQUEST","fields":[]}]""", reply.Text);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Empty((await GetAsync(tenant, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray());
    }

    // ---------------------------------------------------------------- updated / deleted

    [Fact]
    public async Task UpdatedAndDeleted_Window_ListIdsWithPlusOrPercentEncodedOffsets()
    {
        var tenant = await server.CreateTenantAsync("Rest replication");
        var start = DateTime.UtcNow.AddMinutes(-1);
        string kept = await CreateAsync(tenant, "Contact", """{"LastName":"Stays"}""");
        string gone = await CreateAsync(tenant, "Contact", """{"LastName":"Goes"}""");
        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(tenant, $"{V}/sobjects/Contact/{gone}")).Status);
        var end = DateTime.UtcNow.AddMinutes(1);
        string from = start.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        string to = end.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        const string time = @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00";

        // jsforce percent-encodes the offset (%2B00:00); a hand-built URL often sends a raw '+', which form rules read as a space.
        foreach (string offset in new[] { "%2B00:00", "+00:00", "Z" })
        {
            var updated = await GetAsync(tenant, $"{V}/sobjects/Contact/updated/?start={from}{offset}&end={to}{offset}");
            Assert.Equal(HttpStatusCode.OK, updated.Status);
            Assert.Matches($$"""^\{"ids":\["{{kept}}"\],"latestDateCovered":"{{time}}"\}$""", updated.Text);

            var deleted = await GetAsync(tenant, $"{V}/sobjects/Contact/deleted?start={from}{offset}&end={to}{offset}");
            Assert.Equal(HttpStatusCode.OK, deleted.Status);
            Assert.Matches($$"""^\{"deletedRecords":\[\{"id":"{{gone}}","deletedDate":"{{time}}"\}\],"earliestDateAvailable":"{{time}}","latestDateCovered":"{{time}}"\}$""", deleted.Text);
        }
        Assert.Equal("""{"ids":[],"latestDateCovered":"2024-01-02T00:00:00+00:00"}""",
            (await GetAsync(tenant, $"{V}/sobjects/Contact/updated?start=2024-01-01T00:00:00%2B00:00&end=2024-01-02T00:00:00%2B00:00")).Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?start=2024-01-01T00:00:00Z")]
    [InlineData("?start=yesterday&end=today")]
    [InlineData("?start=2024-02-01T00:00:00Z&end=2024-01-01T00:00:00Z")]
    public async Task Updated_MissingBadOrReversedDates_Is400InvalidReplicationDate(string query)
    {
        var tenant = await server.CreateTenantAsync("Rest replication bad");

        AssertError(await GetAsync(tenant, $"{V}/sobjects/Account/updated{query}"), HttpStatusCode.BadRequest, "INVALID_REPLICATION_DATE");
        AssertError(await GetAsync(tenant, $"{V}/sobjects/Account/deleted{query}"), HttpStatusCode.BadRequest, "INVALID_REPLICATION_DATE");
    }

    // ---------------------------------------------------------------- tenant isolation

    [Fact]
    public async Task AnotherTenantsRecordId_IsNotFoundForGetPatchDeleteAndNothingChanges()
    {
        var acme = await server.CreateTenantAsync("Rest isolation A");
        var globex = await server.CreateTenantAsync("Rest isolation B");
        await DefineExternalIdsAsync(acme);
        await DefineExternalIdsAsync(globex);
        string id = await CreateAsync(acme, "Account", """{"Name":"Acme Private","Ext_Key__c":"SHARED-1"}""");
        string before = (await GetAsync(acme, $"{V}/sobjects/Account/{id}")).Text;

        Assert.Equal(NotFoundBody, (await GetAsync(globex, $"{V}/sobjects/Account/{id}")).Text);
        AssertError(await PatchAsync(globex, $"{V}/sobjects/Account/{id}", """{"Name":"Hijacked"}"""), HttpStatusCode.NotFound, "NOT_FOUND");
        AssertError(await DeleteAsync(globex, $"{V}/sobjects/Account/{id}"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(NotFoundBody, (await GetAsync(globex, $"{V}/sobjects/Account/Ext_Key__c/SHARED-1")).Text);
        Assert.Equal("[null]", (await GetAsync(globex, $"{V}/composite/sobjects/Account?ids={id}&fields=Name")).Text);
        var update = await PatchAsync(globex, $"{V}/composite/sobjects", $$"""{"records":[{"attributes":{"type":"Account"},"id":"{{id}}","Name":"Hijacked"}]}""");
        Assert.Equal("NOT_FOUND", update.Json[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        var delete = await DeleteAsync(globex, $"{V}/composite/sobjects?ids={id}");
        Assert.Equal("NOT_FOUND", delete.Json[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        var composite = await PostAsync(globex, $"{V}/composite", $$"""
            {"compositeRequest":[{"method":"GET","url":"/services/data/v60.0/sobjects/Account/{{id}}","referenceId":"g"},
                                 {"method":"DELETE","url":"/services/data/v60.0/sobjects/Account/{{id}}","referenceId":"d"}]}
            """);
        Assert.Equal([404, 404], composite.Json.GetProperty("compositeResponse").EnumerateArray().Select(r => r.GetProperty("httpStatusCode").GetInt32()));

        // The same external id value in the other tenant is that tenant's own record.
        var upsert = await PatchAsync(globex, $"{V}/sobjects/Account/Ext_Key__c/SHARED-1", """{"Name":"Globex Own"}""");
        Assert.Equal(HttpStatusCode.Created, upsert.Status);
        Assert.NotEqual(id, upsert.Str("id"));

        Assert.Equal(before, (await GetAsync(acme, $"{V}/sobjects/Account/{id}")).Text);
        Assert.Equal([id], (await GetAsync(acme, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray().Select(r => r.GetProperty("Id").GetString()));
        Assert.Equal([upsert.Str("id")], (await GetAsync(globex, $"{V}/sobjects/Account")).Json.GetProperty("recentItems").EnumerateArray().Select(r => r.GetProperty("Id").GetString()));
    }

    // ---------------------------------------------------------------- never a 5xx

    /// <summary>Big values are written as placeholders so test names stay short: {HUGE} (2 MB), {LONG} (4,000 characters), {DEEP}, {IDS2001}.</summary>
    static string Expand(string text) => text
        .Replace("{HUGE}", new string('a', 2_000_000), StringComparison.Ordinal)
        .Replace("{LONG}", new string('a', 4_000), StringComparison.Ordinal)
        .Replace("{DEEP}", new string('[', 5_000), StringComparison.Ordinal)
        .Replace("{IDS2001}", string.Join(',', Enumerable.Repeat("\"001000000000001AAA\"", 2001)), StringComparison.Ordinal);

    public static TheoryData<string, string, string?> ClientMistakes()
    {
        const string huge = "{HUGE}", longPath = "{LONG}";
        return new TheoryData<string, string, string?>
        {
            { "POST", "/sobjects/Account", "{\"Name\":" },
            { "POST", "/sobjects/Account", "not json at all" },
            { "POST", "/sobjects/Account", "null" },
            { "POST", "/sobjects/Account", "\"Name\"" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"Name\":\"y\"}" },
            { "POST", "/sobjects/Account", "{\"Name\":[\"a\"]}" },
            { "POST", "/sobjects/Account", "{\"Name\":{\"nested\":true}}" },
            { "POST", "/sobjects/Account", "{\"Name\":true}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"NumberOfEmployees\":1e400}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"NumberOfEmployees\":-99999999999999999999}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"AnnualRevenue\":\"NaN\"}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"Website\":123}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"ParentId\":[1]}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"ParentId\":\"" + longPath + "\"}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"" + huge + "\"}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"x\",\"Description\":\"" + huge + "\"}" },
            { "POST", "/sobjects/Account", "{\"" + longPath + "\":\"x\"}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"\\ud800\"}" },
            { "POST", "/sobjects/Account", "{\"Name\":\"a\\u0000b\",\"Type\":\"\\u0000\"}" },
            { "POST", "/sobjects/Account", "{DEEP}" },
            { "POST", "/sobjects/Task", "{\"Subject\":\"x\",\"ActivityDate\":\"2024-13-45\"}" },
            { "POST", "/sobjects/Event", "{\"Subject\":\"x\",\"StartDateTime\":\"nope\",\"EndDateTime\":5}" },
            { "POST", "/sobjects/Opportunity", "{\"Name\":\"x\",\"StageName\":\"Prospecting\",\"CloseDate\":\"99999-01-01\",\"Amount\":\"1e999\"}" },
            { "POST", "/sobjects/" + longPath, "{\"Name\":\"x\"}" },
            { "GET", "/sobjects/Account/" + longPath, null },
            { "GET", "/sobjects/Account/001000000000001AAA?fields=" + longPath, null },
            { "GET", "/sobjects/Account/001000000000001AAA?fields=,,,", null },
            { "GET", "/sobjects/Account/%ED%A0%80", null },
            { "GET", "/sobjects/Account/001000000000001", null },
            { "GET", "/sobjects/Account/00100000000000!AAA", null },
            { "GET", "/sobjects/Account/Ext_Key__c/%zz", null },
            { "PATCH", "/sobjects/Account/garbage", "{\"Name\":\"x\"}" },
            { "PATCH", "/sobjects/Account/001000000000001AAA", "[]" },
            { "PATCH", "/sobjects/Account/001000000000001AAA", "{\"Id\":5}" },
            { "PATCH", "/sobjects/Account/003000000000001AAA", "{\"Name\":\"x\"}" },
            { "PATCH", "/sobjects/Account/Ext_Key__c/" + longPath, "{\"Name\":\"x\"}" },
            { "PATCH", "/sobjects/Account/Ext_Key__c/K", "{\"Name\":\"\\udc00\"}" },
            { "DELETE", "/sobjects/Account/garbage", null },
            { "DELETE", "/sobjects/Account/0010000000000010000", null },
            { "POST", "/composite/sobjects", "{}" },
            { "POST", "/composite/sobjects", "{\"records\":\"x\"}" },
            { "POST", "/composite/sobjects", "{\"records\":[1,2]}" },
            { "POST", "/composite/sobjects", "{\"records\":[{\"Name\":\"no type\"}]}" },
            { "POST", "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":5},\"Name\":\"x\"}]}" },
            { "POST", "/composite/sobjects", "{\"records\":[{\"attributes\":\"Account\",\"Name\":\"x\"}]}" },
            { "POST", "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Widget\"},\"Name\":\"x\"}]}" },
            { "POST", "/composite/sobjects", "{\"allOrNone\":\"yes\",\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"\\ud800\"}]}" },
            { "PATCH", "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"id\":5}]}" },
            { "PATCH", "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"id\":\"garbage\"}]}" },
            { "PATCH", "/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"id\":\"003000000000001AAA\"}]}" },
            { "DELETE", "/composite/sobjects", null },
            { "DELETE", "/composite/sobjects?ids=,,,", null },
            { "DELETE", "/composite/sobjects?ids=garbage,zzz000000000001AAA," + longPath, null },
            { "POST", "/composite/sobjects/Account", "{\"ids\":[1,2]}" },
            { "POST", "/composite/sobjects/Account", "{\"ids\":[null,{},[]]}" },
            { "POST", "/composite/sobjects/Account", "{\"ids\":\"001000000000001AAA\"}" },
            { "POST", "/composite/sobjects/Account", "{\"ids\":[\"001000000000001AAA\"],\"fields\":[1,null]}" },
            { "POST", "/composite/sobjects/Account", "{\"ids\":[\"001000000000001AAA\"],\"fields\":\"Name\"}" },
            { "POST", "/composite/sobjects/Widget", "{\"ids\":[\"001000000000001AAA\"]}" },
            { "POST", "/composite/sobjects/Account", "{\"ids\":[{IDS2001}]}" },
            { "PATCH", "/composite/sobjects/Account/Name", "{\"records\":[]}" },
            { "PATCH", "/composite/sobjects/Account/Ext_Key__c", "{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Ext_Key__c\":{\"a\":1}}]}" },
            { "POST", "/composite", "{}" },
            { "POST", "/composite", "{\"compositeRequest\":\"x\"}" },
            { "POST", "/composite", "{\"compositeRequest\":[1]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":5,\"url\":[],\"referenceId\":{}}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/x\",\"referenceId\":\"a\"}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v60.0/sobjects/Account/%zz\",\"referenceId\":\"a\"}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v99.0/sobjects/Account/x\",\"referenceId\":\"a\"}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v60.0/composite\",\"referenceId\":\"a\",\"body\":{}}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v60.0/sobjects/Account\",\"referenceId\":\"a\",\"body\":\"str\"}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v60.0/sobjects/Account\",\"referenceId\":\"a\",\"body\":null}]}" },
            { "POST", "/composite", "{\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v60.0/sobjects/Account\",\"referenceId\":\"a\",\"body\":{\"Name\":\"x\"}},{\"method\":\"POST\",\"url\":\"/services/data/v60.0/sobjects/Account\",\"referenceId\":\"a\",\"body\":{\"Name\":\"y\"}}]}" },
            { "POST", "/composite", "{\"allOrNone\":true,\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v60.0/sobjects/Account\",\"referenceId\":\"a\",\"body\":\"str\"}]}" },
            { "POST", "/composite", "{\"allOrNone\":true,\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v60.0/sobjects/Account\",\"referenceId\":\"a\",\"body\":[1]}]}" },
            { "POST", "/composite", "{\"allOrNone\":true,\"compositeRequest\":[{\"method\":\"PATCH\",\"url\":\"/services/data/v60.0/sobjects/Account/garbage\",\"referenceId\":\"a\",\"body\":{}}]}" },
            { "POST", "/composite", "{\"allOrNone\":true,\"compositeRequest\":[{\"method\":\"DELETE\",\"url\":\"/services/data/v60.0/sobjects/Account/@{nope.id}\",\"referenceId\":\"a\"}]}" },
            { "POST", "/composite", "{\"allOrNone\":true,\"compositeRequest\":[{\"method\":\"GET\",\"url\":\"/services/data/v60.0/sobjects/Account/001000000000001AAA\",\"referenceId\":\"a\"}]}" },
            { "GET", "/sobjects/Account/updated?start=" + longPath + "&end=x", null },
            { "GET", "/sobjects/Account/deleted?start=0001-01-01T00:00:00Z&end=9999-12-31T23:59:59Z", null },
            { "GET", "/sobjects/Widget/updated?start=2024-01-01T00:00:00Z&end=2024-01-02T00:00:00Z", null },
        };
    }

    [Fact]
    public async Task RecordPath_EncodedNulCharacter_IsA400FromKestrelBeforeOurErrorBodies()
    {
        var tenant = await server.CreateTenantAsync("Rest nul path");

        var reply = await GetAsync(tenant, $"{V}/sobjects/Account/%00%01");

        // Kestrel refuses the request line itself, so no middleware runs and the body is empty (jsforce: ERROR_HTTP_400).
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("", reply.Text);
    }

    [Theory]
    [MemberData(nameof(ClientMistakes))]
    public async Task ClientMistake_IsNeverA5xx_AndErrorsAreSalesforceArrays(string method, string path, string? body)
    {
        var tenant = await server.CreateTenantAsync("Rest no 5xx");
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Ext_Key__c", type = "Text", external_id = true });

        var reply = await SendAsync(new HttpMethod(method), V + Expand(path), tenant.ApiKey, body is null ? null : Expand(body));

        Assert.True((int)reply.Status < 500, $"{method} {path} answered {(int)reply.Status}");
        if ((int)reply.Status >= 400)
        {
            var error = reply.Json.EnumerateArray().First();
            Assert.False(string.IsNullOrEmpty(error.GetProperty("errorCode").GetString()));
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(tenant, $"{V}/limits")).Status);
    }
}
