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
}
