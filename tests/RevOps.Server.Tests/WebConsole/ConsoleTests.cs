using System.Net;
using System.Text.Json;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// The web console over plain HTTP on the real server: where / leads, sign-in (wrong password, lockout, cookie
/// flags, LastLoginDate, sign-out), moving a deal and editing a contact through the domain (seen over the REST
/// API and in the change log), history and undo, lists, search, and a cookie that outlives the process because
/// the key ring is in the database.
/// </summary>
public sealed class ConsoleTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";

    async Task<(TestTenant Tenant, ConsoleClient Client)> SignedInTenantAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        await ConsoleClient.SetPasswordAsync(server, tenant);
        return (tenant, await ConsoleClient.SignedInAsync(server, tenant.Username));
    }

    async Task<JsonElement> RestRecordAsync(TestTenant tenant, string type, string id)
    {
        var reply = await GetAsync(server, $"{V}/sobjects/{type}/{id}", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body;
    }

    [Fact]
    public async Task Root_RedirectsToConsole_AndPagesWithoutSignInRedirectToSignIn()
    {
        using var anonymous = new ConsoleClient(server.BaseUri);
        var root = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.Status);
        Assert.Equal("/console", root.Location);
        foreach (var page in new[] { "/console", "/console/board", "/console/o/Contact", "/console/feed", "/console/search?q=x", "/console/changes/stream" })
        {
            var reply = await anonymous.GetAsync(page);
            Assert.True(reply.Status == HttpStatusCode.Redirect, $"{page}: {(int)reply.Status}");
            Assert.StartsWith("http://", reply.Location!.Contains("://") ? reply.Location : "http://" + reply.Location);
            Assert.Contains("/console/sign-in?ReturnUrl=", reply.Location);
        }
        var signIn = await anonymous.GetAsync("/console/sign-in");
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.Contains("<label for=\"password\">Password</label>", signIn.Html);
        Assert.Contains("default-src 'none'; script-src 'self'", signIn.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", signIn.Headers.GetValues("X-Content-Type-Options").Single());
        var script = await anonymous.GetAsync("/console/assets/console.js");
        Assert.Equal(HttpStatusCode.OK, script.Status);
        Assert.Contains("EventSource", script.Html);
    }

    [Fact]
    public async Task SignIn_WrongPasswordFiveTimes_LocksTheUserEvenWithTheRightOne()
    {
        var tenant = await server.CreateTenantAsync("Console lockout");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = new ConsoleClient(server.BaseUri);
        for (int attempt = 1; attempt < Domain.Users.SignInService.MaxFailures; attempt++)
        {
            var wrong = await client.SignInAsync(tenant.Username, "not the password " + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
            Assert.Contains("Wrong email or password.", wrong.Html);
        }
        var unknown = await client.SignInAsync("nobody-" + Guid.NewGuid().ToString("N") + "@nowhere.test", "whatever password");
        Assert.Contains("Wrong email or password.", unknown.Html); // the same words: the form does not tell who has an account

        var fifth = await client.SignInAsync(tenant.Username, "still not it");
        Assert.Equal(HttpStatusCode.Unauthorized, fifth.Status);
        Assert.Contains("Too many wrong passwords: this user is locked until", fifth.Html);
        var right = await client.SignInAsync(tenant.Username, ConsoleClient.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, right.Status);
        Assert.Contains("locked until", right.Html);
        Assert.Null(right.Location);
        var user = await GetAsync(server, $"/api/users/{tenant.UserId}", tenant.ApiKey);
        Assert.Equal(JsonValueKind.Null, user.Body.GetProperty("LastLoginDate").ValueKind);
    }

    [Fact]
    public async Task SignIn_SetsAStrictHttpOnlyCookieAndLastLoginDate_SignOutEndsTheSession()
    {
        var tenant = await server.CreateTenantAsync("Console cookie");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = new ConsoleClient(server.BaseUri);
        var signedIn = await client.SignInAsync(tenant.Username, ConsoleClient.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        string cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("revops.console=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        var user = await GetAsync(server, $"/api/users/{tenant.UserId}", tenant.ApiKey);
        Assert.True(DateTime.UtcNow - user.Body.GetProperty("LastLoginDate").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(1));

        var board = await client.GetAsync("/console/board");
        Assert.Equal(HttpStatusCode.OK, board.Status);
        Assert.Contains("<h1>Pipeline</h1>", board.Html);
        var signOut = await client.PostAsync("/console/sign-out", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/console/board")).Status);
    }

    [Fact]
    public async Task BoardMove_UpdatesTheStageThroughTheDomain_AndARefusedMoveChangesNothing()
    {
        var (tenant, client) = await SignedInTenantAsync("Console board");
        using var _ = client;
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Board deal", StageName = "Prospecting", CloseDate = "2030-03-31", Amount = 1000 })).Str("Id");
        var board = await client.GetAsync("/console/board");
        Assert.Contains("Board deal", board.Html);
        Assert.Contains("<span class=\"total\">1,000</span>", board.Html);

        var moved = await client.PostAsync("/console/board/move", new() { ["id"] = deal, ["StageName"] = "Negotiation/Review" });
        Assert.True(moved.Status == HttpStatusCode.Redirect, $"{(int)moved.Status} {moved.Html}");
        var after = await RestRecordAsync(tenant, "Opportunity", deal);
        Assert.Equal("Negotiation/Review", after.Str("StageName"));
        Assert.Equal(90, after.GetProperty("Probability").GetDouble()); // the stage's rule ran, as for any update
        var change = ChangeLogFile.Read(server, tenant.TenantId).Last(c => c.RecordId == deal);
        Assert.Equal(("console", tenant.UserId), (change.Channel, change.Actor));

        var refused = await client.PostAsync("/console/board/move", new() { ["id"] = deal, ["StageName"] = "Daydreaming" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("Daydreaming", refused.Html);
        Assert.Contains("role=\"alert\"", refused.Html);
        Assert.Equal("Negotiation/Review", (await RestRecordAsync(tenant, "Opportunity", deal)).Str("StageName"));
    }

    [Fact]
    public async Task RecordEdit_ShowsInHistory_UndoPutsItBack_AndInvalidInputShowsTheDomainMessage()
    {
        var (tenant, client) = await SignedInTenantAsync("Console record");
        using var _ = client;
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme Console" })).Str("Id");
        string ada = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", AccountId = acme, Title = "Engineer" })).Str("Id");
        await tenant.CallOkAsync("create_opportunity", new { Name = "Acme expansion", StageName = "Prospecting", CloseDate = "2030-05-31", AccountId = acme });

        var account = await client.GetAsync($"/console/r/{acme}");
        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.Contains("<section class=\"related\" aria-label=\"Contacts\">", account.Html);
        Assert.Contains("Ada Lovelace", account.Html);
        Assert.Contains("Acme expansion", account.Html);

        await client.GetAsync($"/console/r/{ada}");
        var saved = await client.PostAsync($"/console/r/{ada}", new() { ["Title"] = "CTO" });
        Assert.True(saved.Status == HttpStatusCode.Redirect, $"{(int)saved.Status} {saved.Html}");
        Assert.Equal("CTO", (await RestRecordAsync(tenant, "Contact", ada)).Str("Title"));
        var page = await client.GetAsync($"/console/r/{ada}");
        Assert.Contains("<li><b>Title</b>: Engineer → CTO</li>", page.Html);
        long seq = Seqs(page.Html).Max();

        var undone = await client.PostAsync($"/console/r/{ada}/undo", new() { ["seq"] = seq.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(undone.Status == HttpStatusCode.Redirect, $"{(int)undone.Status} {undone.Html}");
        Assert.Equal("Engineer", (await RestRecordAsync(tenant, "Contact", ada)).Str("Title"));
        Assert.Contains("<li><b>Title</b>: CTO → Engineer</li>", (await client.GetAsync($"/console/r/{ada}")).Html);

        var invalid = await client.PostAsync($"/console/r/{ada}", new() { ["Email"] = "not-an-email" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
        Assert.Contains("not-an-email", invalid.Html);
        Assert.Contains("(Email)", invalid.Html);
        Assert.Equal(JsonValueKind.Null, (await RestRecordAsync(tenant, "Contact", ada)).GetProperty("Email").ValueKind);

        var deleted = await client.PostAsync($"/console/r/{ada}/delete", []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        Assert.Contains("This record is in the recycle bin.", (await client.GetAsync($"/console/r/{ada}")).Html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync($"/console/r/{ada}/restore", [])).Status);
        Assert.Equal("Lovelace", (await RestRecordAsync(tenant, "Contact", ada)).Str("LastName"));
    }

    [Fact]
    public async Task ListsPageAndSort_AndSearchFindsWhatTheAgentsFind()
    {
        var (tenant, client) = await SignedInTenantAsync("Console lists");
        using var _ = client;
        for (int i = 0; i < 30; i++) await tenant.CallOkAsync("create_account", new { Name = $"Listed {i:00}" });
        var first = await client.GetAsync("/console/o/Account?sort=Name&dir=asc");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("30 records · page 1 of 2", first.Html);
        Assert.True(first.Html.IndexOf("Listed 00", StringComparison.Ordinal) < first.Html.IndexOf("Listed 01", StringComparison.Ordinal));
        Assert.DoesNotContain("Listed 29", first.Html);
        var second = await client.GetAsync("/console/o/Account?sort=Name&dir=asc&page=2");
        Assert.Contains("Listed 29", second.Html);
        Assert.DoesNotContain("Listed 00", second.Html);
        var filtered = await client.GetAsync("/console/o/Account?field=Name&value=Listed%202");
        Assert.Contains("10 records · page 1 of 1", filtered.Html);

        await tenant.CallOkAsync("create_contact", new { FirstName = "Grace", LastName = "Hopper", Email = "grace@navy.test" });
        var search = await client.GetAsync("/console/search?q=hopper");
        Assert.Contains("1 found", search.Html);
        Assert.Contains("Grace Hopper", search.Html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/o/Nonsense")).Status);
    }

    [Fact]
    public async Task Cookie_StillWorksAfterARestart_BecauseTheKeyRingIsInTheDatabase()
    {
        var (_, client) = await SignedInTenantAsync("Console restart");
        using var __ = client;
        await server.RestartAsync();
        var board = await client.GetAsync("/console/board");
        Assert.Equal(HttpStatusCode.OK, board.Status);
        Assert.Contains("<h1>Pipeline</h1>", board.Html);
    }

    [Fact]
    public async Task Admin_CreatesAUserAndAKeyShownOnce_RevokesIt_AndOthersMayNot()
    {
        var (tenant, admin) = await SignedInTenantAsync("Console admin");
        using var _ = admin;
        await admin.GetAsync("/console/admin");
        string email = $"rep.{Guid.NewGuid():N}@console.test";
        var createdUser = await admin.PostAsync("/console/admin/users", new() { ["email"] = email, ["name"] = "Rita Rep", ["password"] = "rita's long password", ["admin"] = "false" });
        Assert.True(createdUser.Status == HttpStatusCode.Redirect, $"{(int)createdUser.Status} {createdUser.Html}");
        var page = await admin.GetAsync("/console/admin");
        Assert.Contains("Rita Rep", page.Html);
        string rita = System.Text.RegularExpressions.Regex.Match(page.Html, "<tr data-user=\"(005[^\"]+)\"><td>Rita Rep").Groups[1].Value;

        var created = await admin.PostAsync("/console/admin/keys", new() { ["scope"] = "read", ["user"] = rita });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        string secret = System.Text.RegularExpressions.Regex.Match(created.Html, "<code id=\"new-key\">([^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("revops_", secret);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, $"{V}/sobjects/Account", secret)).Status);
        var users = await GetAsync(server, "/api/keys", tenant.ApiKey);
        var key = users.Body.GetProperty("keys").EnumerateArray().Single(k => k.Str("user_id") == rita);
        Assert.Equal("read", key.Str("scope"));
        Assert.DoesNotContain(secret, (await admin.GetAsync("/console/admin")).Html);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/console/admin/keys/{key.Str("id")}/revoke", [])).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(server, $"{V}/sobjects/Account", secret)).Status);

        // Rita is no admin: the admin page and its forms are closed to her.
        using var rep = await ConsoleClient.SignedInAsync(server, email, "rita's long password");
        Assert.DoesNotContain("/console/admin\">Admin</a>", (await rep.GetAsync("/console/board")).Html);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/console/admin")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync("/console/admin/keys", new() { ["scope"] = "admin" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostAsync($"/console/admin/users/{tenant.UserId}/active", new() { ["active"] = "false" })).Status);

        // Deactivated by the admin, her open session ends on her next request.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/console/admin/users/{rita}/active", new() { ["active"] = "false" })).Status);
        var after = await rep.GetAsync("/console/board");
        Assert.Equal(HttpStatusCode.Redirect, after.Status);
        Assert.Contains("/console/sign-in", after.Location);
    }

    static IEnumerable<long> Seqs(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "data-seq=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
