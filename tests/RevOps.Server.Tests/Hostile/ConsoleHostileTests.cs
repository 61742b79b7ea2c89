using System.Net;
using RevOps.Server.Tests.WebConsole;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// The web console against a hostile user: another tenant's Ids typed into URLs and forms read as not found and
/// change nothing; forms without (or with someone else's) antiforgery token are refused with 400; a forged
/// cookie is no sign-in; markup in a record's fields is shown as text.
/// </summary>
public sealed class ConsoleHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    [Fact]
    public async Task AnotherTenantsIds_InUrlsAndForms_AreNotFoundAndChangeNothing()
    {
        var attacker = await server.CreateTenantAsync("Console attacker");
        var victim = await server.CreateTenantAsync("Console victim");
        await ConsoleClient.SetPasswordAsync(server, attacker);
        using var client = await ConsoleClient.SignedInAsync(server, attacker.Username);
        string secret = (await victim.CallOkAsync("create_contact", new { LastName = "Secretperson", Title = "Hidden" })).Str("Id");
        string deal = (await victim.CallOkAsync("create_opportunity", new { Name = "Victim deal", StageName = "Prospecting", CloseDate = "2030-01-31" })).Str("Id");
        await victim.CallOkAsync("update_contact", new { Id = secret, Title = "Still hidden" });
        long victimSeq = ChangeLogFile.Read(server, victim.TenantId).Last(c => c.RecordId == secret).Seq;
        string mine = (await attacker.CallOkAsync("create_contact", new { LastName = "Mine" })).Str("Id");
        var before = StoreSnapshot.Take(server, victim.TenantId);

        var page = await client.GetAsync($"/console/r/{secret}");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.DoesNotContain("Secretperson", page.Html);
        await client.GetAsync("/console/board");
        var attempts = new (string Path, Dictionary<string, string> Form)[]
        {
            ($"/console/r/{secret}", new() { ["Title"] = "Pwned" }),
            ($"/console/r/{secret}/delete", []),
            ($"/console/r/{secret}/undo", new() { ["seq"] = victimSeq.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ($"/console/r/{mine}/undo", new() { ["seq"] = victimSeq.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            ("/console/board/move", new() { ["id"] = deal, ["StageName"] = "Closed Won" }),
        };
        foreach (var (path, form) in attempts)
        {
            var reply = await client.PostAsync(path, form);
            Assert.True(reply.Status is HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict, $"{path}: {(int)reply.Status}");
            Assert.DoesNotContain("Secretperson", reply.Html);
        }
        var search = await client.GetAsync("/console/search?q=Secretperson");
        Assert.Contains("0 found", search.Html);
        Assert.DoesNotContain(secret, search.Html);
        foreach (var list in new[] { "/console/o/Contact?field=LastName&value=Secret", "/console/feed" })
        {
            var html = (await client.GetAsync(list)).Html;
            Assert.DoesNotContain(secret, html);
            Assert.DoesNotContain("Secretperson</a>", html);
        }
        Assert.DoesNotContain(deal, (await client.GetAsync("/console/board")).Html);
        var after = StoreSnapshot.Take(server, victim.TenantId);
        Assert.Equal((before.VictimRows, before.VictimHash), (after.VictimRows, after.VictimHash));
        Assert.Equal("Still hidden", (await GetAsync(server, $"{V}/sobjects/Contact/{secret}", victim.ApiKey)).Body.Str("Title"));
    }

    [Fact]
    public async Task FormsWithoutTheirAntiforgeryToken_Are400AndChangeNothing()
    {
        var tenant = await server.CreateTenantAsync("Console forgery");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        using var other = await ConsoleClient.SignedInAsync(server, tenant.Username);
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Forged", Title = "Original" })).Str("Id");
        await client.GetAsync($"/console/r/{contact}");

        var bare = await client.PostAsync($"/console/r/{contact}", new() { ["Title"] = "Changed" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, bare.Status);
        Assert.Contains("antiforgery token is missing or stale", bare.Html);
        // A token of another session (another cookie jar) is no token for this one.
        await other.GetAsync($"/console/r/{contact}");
        var page = await other.GetAsync($"/console/r/{contact}");
        string foreignToken = System.Text.RegularExpressions.Regex.Match(page.Html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var crossed = await client.PostAsync($"/console/r/{contact}", new() { ["Title"] = "Changed", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(foreignToken) }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, crossed.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await new ConsoleClient(server.BaseUri).PostAsync("/console/sign-in", new() { ["username"] = tenant.Username, ["password"] = ConsoleClient.Password }, withToken: false)).Status);
        Assert.Equal("Original", (await GetAsync(server, $"{V}/sobjects/Contact/{contact}", tenant.ApiKey)).Body.Str("Title"));
    }

    [Fact]
    public async Task ForgedCookie_IsNoSignIn_AndMarkupInRecordsIsShownAsText()
    {
        var tenant = await server.CreateTenantAsync("Console markup");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        var jar = new CookieContainer();
        jar.Add(server.BaseUri, new Cookie("revops.console", "CfDJ8forged" + new string('A', 200), "/console"));
        using var forged = new ConsoleClient(server.BaseUri, jar);
        var reply = await forged.GetAsync("/console/board");
        Assert.Equal(HttpStatusCode.Redirect, reply.Status);
        Assert.Contains("/console/sign-in", reply.Location);

        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        string evil = (await tenant.CallOkAsync("create_contact", new { LastName = "<script>alert(1)</script>", Title = "\"><img src=x onerror=alert(2)>" })).Str("Id");
        foreach (var path in new[] { $"/console/r/{evil}", "/console/o/Contact", "/console/feed" })
        {
            var html = (await client.GetAsync(path)).Html;
            Assert.DoesNotContain("<script>alert(1)</script>", html);
            Assert.DoesNotContain("<img src=x", html);
        }
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", (await client.GetAsync($"/console/r/{evil}")).Html);
    }

    [Fact]
    public async Task AnotherTenantsWebhooksDeliveriesFieldsAndAudit_InConsoleAdminPages_AreNotFoundOrAbsentAndChangeNothing()
    {
        var attacker = await server.CreateTenantAsync("Console admin attacker");
        var victim = await server.CreateTenantAsync("Console admin victim");
        await ConsoleClient.SetPasswordAsync(server, attacker);
        using var client = await ConsoleClient.SignedInAsync(server, attacker.Username);
        // An IP literal: a public https target the policy accepts without DNS; its deliveries just keep retrying.
        string hook = await Webhooks.CreateAsync(victim, new Uri("https://1.1.1.1/victim-hook"));
        await victim.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Victim_Secret__c", type = "Text" });
        await victim.CallOkAsync("create_contact", new { LastName = "Hooked victim" });
        string delivery = (await Webhooks.WaitForDeliveriesAsync(victim, hook, log => log.Length == 1, TimeSpan.FromSeconds(10)))[0].Str("id");

        var log = await client.GetAsync($"/console/admin/webhooks/{hook}");
        Assert.Equal(HttpStatusCode.NotFound, log.Status);
        Assert.DoesNotContain(delivery, log.Html);
        foreach (var (path, form) in new (string, Dictionary<string, string>)[]
        {
            ($"/console/admin/webhooks/{hook}/delete", []),
            ($"/console/admin/webhooks/{hook}/edit", new() { ["url"] = "https://1.1.1.2/attacker" }),
            ($"/console/admin/webhooks/{hook}/test", []),
            ($"/console/admin/webhooks/deliveries/{delivery}/redeliver", new() { ["webhook"] = hook }),
            ($"/console/admin/webhooks/deliveries/{delivery}/redeliver", []),
        })
        {
            var reply = await client.PostAsync(path, form);
            Assert.True(reply.Status == HttpStatusCode.NotFound, $"{path}: {(int)reply.Status}");
            Assert.DoesNotContain("1.1.1.1", reply.Html);
        }
        foreach (var page in new[] { "/console/admin/webhooks", "/console/admin/fields", "/console/admin/audit" })
        {
            var html = (await client.GetAsync(page)).Html;
            Assert.DoesNotContain(hook, html);
            Assert.DoesNotContain("Victim_Secret__c", html);
            Assert.DoesNotContain("1.1.1.1", html);
        }
        var listed = Assert.Single((await GetAsync(server, "/api/webhooks", victim.ApiKey)).Body.GetProperty("webhooks").EnumerateArray());
        Assert.Equal((hook, "https://1.1.1.1/victim-hook"), (listed.Str("id"), listed.Str("url")));
        Assert.Single(await Webhooks.DeliveriesAsync(victim, hook));
        Assert.Equal(0, (await GetAsync(server, "/api/webhooks", attacker.ApiKey)).Body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task NewConsoleForms_WithoutTheirAntiforgeryToken_Are400AndChangeNothing()
    {
        var tenant = await server.CreateTenantAsync("Console admin forgery");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        await client.GetAsync("/console/admin/fields");
        var forms = new (string Path, Dictionary<string, string> Form)[]
        {
            ("/console/admin/fields", new() { ["object"] = "Account", ["api_name"] = "Forged__c", ["type"] = "Text" }),
            ("/console/admin/webhooks", new() { ["url"] = "https://1.1.1.1/forged" }),
            ("/console/admin/webhooks/wh_x/delete", []),
            ("/console/admin/webhooks/wh_x/edit", new() { ["url"] = "https://1.1.1.1/forged" }),
            ("/console/admin/webhooks/deliveries/evt_x/redeliver", []),
            ("/console/admin/import/start", new() { ["object"] = "Contact", ["map0"] = "LastName", ["csv"] = "LastName\r\nForged\r\n" }),
        };
        foreach (var (path, form) in forms)
        {
            var reply = await client.PostAsync(path, form, withToken: false);
            Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{path}: {(int)reply.Status}");
            Assert.Contains("antiforgery token is missing or stale", reply.Html);
        }
        using var op = new ConsoleClient(server.BaseUri);
        var operatorSignIn = await op.PostAsync("/console/operator/sign-in", new() { ["token"] = server.AdminToken }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, operatorSignIn.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await op.GetAsync("/console/operator")).Status);
        var describe = await GetAsync(server, $"{V}/sobjects/Account/describe", tenant.ApiKey);
        Assert.DoesNotContain(describe.Body.GetProperty("fields").EnumerateArray(), f => f.Str("name") == "Forged__c");
        Assert.Equal(0, (await GetAsync(server, "/api/webhooks", tenant.ApiKey)).Body.GetProperty("count").GetInt32());
        Assert.Equal(0, (await GetAsync(server, $"{V}/query?q=SELECT+Id+FROM+Contact", tenant.ApiKey)).Body.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task MarkupInAnUploadedCsv_IsShownAsTextOnTheMappingPage()
    {
        var tenant = await server.CreateTenantAsync("Console import markup");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        await client.GetAsync("/console/admin/import");
        var mapping = await client.PostMultipartAsync("/console/admin/import", new() { ["object"] = "Contact" },
            ("file", "<b>x</b>.csv", "LastName,<script>alert(1)</script>\r\n\"><img src=x onerror=alert(2)>,y\r\n"u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, mapping.Status);
        Assert.DoesNotContain("<script>alert", mapping.Html);
        Assert.DoesNotContain("<img src=x", mapping.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mapping.Html);
    }

    [Fact]
    public async Task MarkupInFieldLabelsWebhookFiltersAndTenantNames_IsShownAsText()
    {
        var tenant = await server.CreateTenantAsync("<script>alert('tenant')</script>");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        await client.GetAsync("/console/admin/fields");
        var field = await client.PostAsync("/console/admin/fields", new() { ["object"] = "Contact", ["api_name"] = "Evil__c", ["type"] = "Text", ["label"] = "<script>alert(1)</script>" });
        Assert.Equal(HttpStatusCode.OK, field.Status);
        await client.GetAsync("/console/admin/webhooks");
        var hook = await client.PostAsync("/console/admin/webhooks", new() { ["url"] = "https://1.1.1.1/evil", ["fields"] = "\"><img src=x onerror=alert(2)>" });
        Assert.Equal(HttpStatusCode.OK, hook.Status);
        using var op = new ConsoleClient(server.BaseUri);
        await op.GetAsync("/console/operator/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, (await op.PostAsync("/console/operator/sign-in", new() { ["token"] = server.AdminToken })).Status);
        var pages = new[]
        {
            (await client.GetAsync("/console/admin/fields")).Html, (await client.GetAsync($"/console/o/Contact")).Html, (await client.GetAsync("/console/admin/webhooks")).Html,
            (await client.GetAsync("/console/admin/audit")).Html, (await client.GetAsync("/console/usage")).Html,
            (await op.GetAsync("/console/operator")).Html, (await op.GetAsync($"/console/operator/tenants/{tenant.TenantId}")).Html,
        };
        foreach (var html in pages)
        {
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
        }
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", pages[0]);
        Assert.Contains("&lt;script&gt;alert(&#x27;tenant&#x27;)&lt;/script&gt;", pages[5]);
    }
}
