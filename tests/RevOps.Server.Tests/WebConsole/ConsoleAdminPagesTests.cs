using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// The console's usage page, custom fields, audit log and the operator view over HTTP on the real server: the
/// figures the pages show are those of /api/usage after calls this test made, a field defined in the console is
/// in REST describe and the audit log, non-admins get 403, and the operator's session and a tenant's never mix.
/// </summary>
public sealed partial class ConsoleAdminPagesTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    async Task<(TestTenant Tenant, ConsoleClient Client)> SignedInTenantAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        await ConsoleClient.SetPasswordAsync(server, tenant);
        return (tenant, await ConsoleClient.SignedInAsync(server, tenant.Username));
    }

    /// <summary>1 create, 3 searches and 1 failing get over MCP, flushed: 5 requests, 1 error.</summary>
    async Task MakeFiveCallsAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("create_contact", new { LastName = "Metered" });
        for (int i = 0; i < 3; i++) await tenant.CallOkAsync("search_contacts", new { name = "Meter" });
        Assert.True((await tenant.CallAsync("get_contact", new { Id = "bad" })).IsError);
        await UsageOnceFlushedAsync(server, tenant.ApiKey, 5);
    }

    static string Figure(string html, string name) => Regex.Match(html, $"data-figure=\"{name}\">([^<]*)<").Groups[1].Value;

    static string ToolRequests(string html, string tool) => Regex.Match(html, $"<tr data-tool=\"{Regex.Escape(tool)}\"><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>") is { Success: true } m
        ? $"{m.Groups[1].Value}/{m.Groups[2].Value}" : "";

    [Fact]
    public async Task UsagePage_ShowsTheRequestsOfCallsMade_PerDayAndToolChartsAndTheInvoice()
    {
        var (tenant, client) = await SignedInTenantAsync("Console usage");
        using var _ = client;
        await MakeFiveCallsAsync(tenant);

        var page = await client.GetAsync("/console/usage");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("5", Figure(page.Html, "requests"));
        Assert.Equal("1 (20%)", Figure(page.Html, "errors"));
        Assert.Equal(("3/0", "1/0", "1/1"), (ToolRequests(page.Html, "search_contacts"), ToolRequests(page.Html, "create_contact"), ToolRequests(page.Html, "get_contact")));
        string today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Matches($"<tr data-day=\"{today}\"><td>{today}</td><td>5</td><td>1</td>", page.Html);
        Assert.Contains("<svg class=\"chart\" id=\"chart-days\"", page.Html);
        Assert.Contains("<svg class=\"chart\" id=\"chart-tools\"", page.Html);
        Assert.Contains($"{int.Parse(today[8..], CultureInfo.InvariantCulture)}: 5 requests, 1 errors", page.Html);
        Assert.Contains("<rect class=\"err\"", page.Html);
        Assert.Equal("USD 49.00", Figure(page.Html, "total"));
        Assert.Contains("Base fee, professional tier", page.Html);

        var past = await client.GetAsync("/console/usage?from=2020-01-15&to=2020-03-02");
        Assert.Equal(("0", "USD 147.00"), (Figure(past.Html, "requests"), Figure(past.Html, "total")));
        var bad = await client.GetAsync("/console/usage?from=last-week");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("from &#x27;last-week&#x27; is not a day (YYYY-MM-DD", bad.Html);
    }

    [Fact]
    public async Task CustomField_DefinedInTheConsole_IsInRestDescribeAndTheAuditLog_AndABadOneChangesNothing()
    {
        var (tenant, client) = await SignedInTenantAsync("Console fields");
        using var _ = client;
        Assert.Contains("No custom fields yet.", (await client.GetAsync("/console/admin/fields")).Html);
        var defined = await client.PostAsync("/console/admin/fields", new()
        {
            ["object"] = "Account", ["api_name"] = "Region__c", ["type"] = "Picklist", ["label"] = "Region", ["values"] = "EMEA\r\nAMER\r\nAPAC", ["required"] = "true",
        });
        Assert.True(defined.Status == HttpStatusCode.OK, $"{(int)defined.Status} {defined.Html}");
        Assert.Contains("Defined Account.Region__c.", defined.Html);
        Assert.Contains("<tr data-field=\"Account.Region__c\"><td>Account</td><td>Region__c</td><td>Region</td><td>Picklist</td><td>yes</td><td>no</td><td>EMEA, AMER, APAC</td><td><form method=\"post\" action=\"/console/admin/fields/delete\">", defined.Html);

        var describe = await GetAsync(server, $"{V}/sobjects/Account/describe", tenant.ApiKey);
        var region = describe.Body.GetProperty("fields").EnumerateArray().Single(f => f.Str("name") == "Region__c");
        Assert.Equal(("picklist", "Region", false), (region.Str("type"), region.Str("label"), region.GetProperty("nillable").GetBoolean()));
        Assert.Equal(["EMEA", "AMER", "APAC"], region.GetProperty("picklistValues").EnumerateArray().Select(v => v.Str("value")));

        var refused = await client.PostAsync("/console/admin/fields", new() { ["object"] = "Account", ["api_name"] = "Blob__c", ["type"] = "Blob" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("role=\"alert\"", refused.Html);
        Assert.Contains("Blob", refused.Html);
        var after = await GetAsync(server, $"{V}/sobjects/Account/describe", tenant.ApiKey);
        Assert.DoesNotContain(after.Body.GetProperty("fields").EnumerateArray(), f => f.Str("name") == "Blob__c");

        var audit = await client.GetAsync("/console/admin/audit");
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        Assert.Matches($"<td>{tenant.UserId}</td><td>console</td><td>field.define</td><td>Account.Region__c</td>", audit.Html);
        var rest = await GetAsync(server, "/api/audit", tenant.ApiKey);
        var entry = rest.Body.GetProperty("entries").EnumerateArray().First(e => e.Str("action") == "field.define");
        Assert.Equal(("Account.Region__c", "console", tenant.UserId), (entry.Str("target"), entry.Str("channel"), entry.Str("actor_id")));
    }

    [Fact]
    public async Task NonAdmin_Gets403OnEveryAdminPageAndForm_ButReadsTheUsagePage()
    {
        var (tenant, admin) = await SignedInTenantAsync("Console non-admin");
        using var _ = admin;
        await admin.GetAsync("/console/admin");
        string email = $"rep.{Guid.NewGuid():N}@console.test";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync("/console/admin/users", new() { ["email"] = email, ["name"] = "Ray Rep", ["password"] = "ray's long password", ["admin"] = "false" })).Status);
        using var rep = await ConsoleClient.SignedInAsync(server, email, "ray's long password");
        Assert.Equal(HttpStatusCode.OK, (await rep.GetAsync("/console/usage")).Status);
        foreach (var page in new[] { "/console/admin/fields", "/console/admin/webhooks", "/console/admin/webhooks/wh_anything", "/console/admin/audit", "/console/admin/duplicates" })
        {
            var reply = await rep.GetAsync(page);
            Assert.True(reply.Status == HttpStatusCode.Forbidden, $"{page}: {(int)reply.Status}");
            Assert.Contains("This page is for your org's admins.", reply.Html);
        }
        await rep.GetAsync("/console/usage");
        var forms = new (string Path, Dictionary<string, string> Form)[]
        {
            ("/console/admin/fields", new() { ["object"] = "Account", ["api_name"] = "Sneaky__c", ["type"] = "Text" }),
            ("/console/admin/webhooks", new() { ["url"] = "https://hooks.example.com/sneaky" }),
            ("/console/admin/webhooks/wh_anything/delete", []),
            ("/console/admin/webhooks/wh_anything/test", []),
            ("/console/admin/webhooks/deliveries/evt_anything/redeliver", []),
            ("/console/admin/duplicates", new() { ["phone"] = "block" }),
        };
        foreach (var (path, form) in forms)
            Assert.True((await rep.PostAsync(path, form)).Status == HttpStatusCode.Forbidden, path);
        var describe = await GetAsync(server, $"{V}/sobjects/Account/describe", tenant.ApiKey);
        Assert.DoesNotContain(describe.Body.GetProperty("fields").EnumerateArray(), f => f.Str("name") == "Sneaky__c");
        Assert.Equal(0, (await GetAsync(server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("count").GetInt32());
        Assert.Equal("report", DuplicateAction(await GetAsync(server, "/api/duplicate-rules", tenant.ApiKey), "phone"));
    }

    static string DuplicateAction(Reply rules, string rule) =>
        rules.Body.GetProperty("rules").EnumerateArray().Single(r => r.Str("rule") == rule).Str("action");

    [Fact]
    public async Task DuplicateRules_SetInTheConsole_AreWhatTheApiReads_AndABadActionChangesNothing()
    {
        var (tenant, client) = await SignedInTenantAsync("Console duplicates");
        using var _ = client;
        var page = await client.GetAsync("/console/admin/duplicates");
        Assert.Contains("<tr data-rule=\"phone\"><td>phone</td><td>Contacts, Leads</td>", page.Html);
        var saved = await client.PostAsync("/console/admin/duplicates", new() { ["phone"] = "block", ["email"] = "off", ["name"] = "report" });
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Contains("Saved.", saved.Html);
        var rules = await GetAsync(server, "/api/duplicate-rules", tenant.ApiKey);
        Assert.Equal(("block", "off", "report"), (DuplicateAction(rules, "phone"), DuplicateAction(rules, "email"), DuplicateAction(rules, "name")));

        var refused = await client.PostAsync("/console/admin/duplicates", new() { ["phone"] = "explode", ["email"] = "block" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("must be off, report or block", refused.Html);
        rules = await GetAsync(server, "/api/duplicate-rules", tenant.ApiKey);
        Assert.Equal(("block", "off"), (DuplicateAction(rules, "phone"), DuplicateAction(rules, "email")));
    }

    [Fact]
    public async Task OperatorView_OpensWithTheAdminTokenOnly_ListsTenantsWithTheirRequests_AndNeverMixesWithTenantSessions()
    {
        var (tenant, user) = await SignedInTenantAsync("Console operated");
        using var _ = user;
        await MakeFiveCallsAsync(tenant);

        // A tenant admin's session opens no operator page.
        var fromTenant = await user.GetAsync("/console/operator");
        Assert.Equal(HttpStatusCode.Redirect, fromTenant.Status);
        Assert.Contains("/console/operator/sign-in", fromTenant.Location);

        using var op = new ConsoleClient(server.BaseUri);
        await op.GetAsync("/console/operator/sign-in");
        var wrong = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = tenant.ApiKey });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("That is not the operator&#x27;s admin token", wrong.Html);
        var signedIn = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = server.AdminToken });
        Assert.Equal((HttpStatusCode.Redirect, "/console/operator"), (signedIn.Status, signedIn.Location));
        string cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("revops.operator=", StringComparison.Ordinal));
        Assert.Contains("path=/console/operator", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        var tenants = await op.GetAsync("/console/operator");
        Assert.Equal(HttpStatusCode.OK, tenants.Status);
        var row = Regex.Match(tenants.Html, $"<tr data-tenant=\"{tenant.TenantId}\">.*?</tr>");
        Assert.True(row.Success, "the tenant is listed");
        Assert.Contains("Console operated", row.Value);
        Assert.Equal("5", Figure(row.Value, "requests"));
        Assert.DoesNotContain("<form method=\"post\" action=\"/console/admin", tenants.Html); // read-only

        var one = await op.GetAsync($"/console/operator/tenants/{tenant.TenantId}");
        Assert.Equal(("5", "USD 49.00"), (Figure(one.Html, "requests"), Figure(one.Html, "total")));
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/console/operator/tenants/{Guid.NewGuid()}")).Status);

        // The operator's session opens no tenant page.
        foreach (var page in new[] { "/console/board", "/console/admin", "/console/usage" })
        {
            var reply = await op.GetAsync(page);
            Assert.True(reply.Status == HttpStatusCode.Redirect && reply.Location!.Contains("/console/sign-in", StringComparison.Ordinal), $"{page}: {(int)reply.Status}");
        }
        await op.GetAsync("/console/operator");
        Assert.Equal(HttpStatusCode.Redirect, (await op.PostAsync("/console/operator/sign-out", [])).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/console/operator")).Status);
    }
}
