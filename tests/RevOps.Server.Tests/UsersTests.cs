using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Ids;
using static RevOps.Server.Tests.ApiClient;

namespace RevOps.Server.Tests;

/// <summary>
/// Users and record owners on the real server: users managed over /api/users and `revops user`, keys that act
/// as a user, OwnerId through every write channel, the refusals (each leaving nothing written), deactivation,
/// SOQL over owners, the change log's actor filter, the owner filter of the search tools and lead conversion.
/// </summary>
public sealed class UsersTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "services/data/v60.0";
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---------------------------------------------------------------- helpers

    /// <summary>An email (and so username) no other test of the server uses: usernames are unique on the whole server.</summary>
    static string Unique(string local, string domain = "users.test") => $"{local}.{Guid.NewGuid().ToString("N")[..8]}@{domain}";

    static string Json(object value) => JsonSerializer.Serialize(value);

    Task<Reply> Api(HttpMethod method, string path, string key, object? body = null) =>
        SendAsync(server, method, path, key, body is null ? null : body as string ?? Json(body));

    /// <summary>POST /api/users with the tenant's admin key; asserts 201 and returns the user.</summary>
    async Task<JsonElement> CreateUserAsync(TestTenant tenant, string email, string name, bool admin = false, string? title = null)
    {
        var reply = await Api(HttpMethod.Post, "/api/users", tenant.ApiKey, new { email, name, title, admin });
        Assert.True(reply.Status == HttpStatusCode.Created, $"create user {email}: {(int)reply.Status} {reply.Text}");
        return reply.Body;
    }

    /// <summary>POST /api/keys acting as <paramref name="user"/>; returns the secret and the key's id.</summary>
    async Task<(string Secret, string Id)> CreateKeyAsync(TestTenant tenant, string user, string scope = "write")
    {
        var reply = await Api(HttpMethod.Post, "/api/keys", tenant.ApiKey, new { scope, user });
        Assert.True(reply.Status == HttpStatusCode.Created, $"create key for {user}: {(int)reply.Status} {reply.Text}");
        return (reply.Body.Str("api_key"), reply.Body.Str("id"));
    }

    async Task<CallToolResult> CallAsync(string key, string tool, object? arguments = null)
    {
        await using var client = await Mcp.ConnectAsync(server.McpUri, key);
        return await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: Ct);
    }

    async Task<JsonElement> CallOkAsync(string key, string tool, object? arguments = null)
    {
        var result = await CallAsync(key, tool, arguments);
        Assert.True(result.IsError != true, $"{tool} failed: {Mcp.Text(result)}");
        return Mcp.Structured(result);
    }

    async Task<JsonElement[]> SoqlAsync(string key, string soql) =>
        (await CallOkAsync(key, "soql_query", new { query = soql })).GetProperty("records").EnumerateArray().ToArray();

    /// <summary>The status of a request with <paramref name="key"/> on REST, which needs nothing but a working key.</summary>
    async Task<HttpStatusCode> RestStatusAsync(string key) => (await GetAsync(server, $"{V}/sobjects/Account", key)).Status;

    int ChangeCount(TestTenant tenant) => ChangeLogFile.Read(server, tenant.TenantId).Count;

    async Task<JsonElement> UsersAsync(TestTenant tenant)
    {
        var reply = await GetAsync(server, "/api/users", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body.GetProperty("users");
    }

    /// <summary>GET /api/changes (JSON lines) with the query; every line parsed.</summary>
    async Task<JsonElement[]> ApiChangesAsync(string key, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, "api/changes" + query));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Http.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/api/changes{query}: {(int)response.StatusCode} {text}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    /// <summary>An 18-character User Id that no user has or had anywhere.</summary>
    static string NeverExistingUserId()
    {
        Assert.True(SalesforceId.TryNormalize("005000000000042", out var id));
        return id;
    }

    static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    /// <summary>Polls until a key's REST status is <paramref name="expected"/>: the CLI is another process, so the server sees its change when its cached key expires.</summary>
    async Task AssertKeyStatusSoonAsync(string key, HttpStatusCode expected)
    {
        var watch = Stopwatch.StartNew();
        var status = await RestStatusAsync(key);
        while (status != expected && watch.Elapsed < Domain.Tenancy.ApiKeyCache.Lifetime + TimeSpan.FromSeconds(2))
        {
            await Task.Delay(50, Ct);
            status = await RestStatusAsync(key);
        }
        Assert.Equal(expected, status);
    }

    // ---------------------------------------------------------------- lifecycle over /api/users

    [Fact]
    public async Task ApiUsers_CreateListGetDeactivateActivate_AnswerEveryField()
    {
        var tenant = await server.CreateTenantAsync("Users api");
        string email = Unique("sarah", "acme.test");
        var created = await Api(HttpMethod.Post, "/api/users", tenant.ApiKey,
            new { email, name = "Sarah Johnson", title = "VP Sales", department = "Sales", time_zone = "Europe/Berlin", admin = false });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var sarah = created.Body;
        string id = sarah.Str("Id");
        Assert.Equal(18, id.Length);
        Assert.StartsWith("005", id);
        Assert.NotEqual(tenant.UserId, id);
        Assert.Equal(
            ["Id", "Username", "Name", "FirstName", "LastName", "Email", "Alias", "Title", "Department", "TimeZoneSidKey", "IsActive", "LastLoginDate", "CreatedDate", "is_admin", "has_password"],
            sarah.EnumerateObject().Select(p => p.Name));
        Assert.Equal((email, "Sarah Johnson", "Sarah", "Johnson", email, "sjohnson", "VP Sales", "Sales", "Europe/Berlin"),
            (sarah.Str("Username"), sarah.Str("Name"), sarah.Str("FirstName"), sarah.Str("LastName"), sarah.Str("Email"), sarah.Str("Alias"),
             sarah.Str("Title"), sarah.Str("Department"), sarah.Str("TimeZoneSidKey")));
        Assert.True(sarah.GetProperty("IsActive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, sarah.GetProperty("LastLoginDate").ValueKind);
        Assert.True(DateTime.UtcNow - DateTime.Parse(sarah.Str("CreatedDate"), null, System.Globalization.DateTimeStyles.AdjustToUniversal) < TimeSpan.FromMinutes(5));
        Assert.False(sarah.GetProperty("is_admin").GetBoolean());
        Assert.False(sarah.GetProperty("has_password").GetBoolean());

        // The list: the tenant's first user (its Integration User, an admin) first, then Sarah.
        var users = (await UsersAsync(tenant)).EnumerateArray().ToArray();
        Assert.Equal([tenant.UserId, id], users.Select(u => u.Str("Id")));
        Assert.Equal(("Integration User", tenant.Username, true), (users[0].Str("Name"), users[0].Str("Username"), users[0].GetProperty("is_admin").GetBoolean()));
        Assert.Equal($"integration.{tenant.TenantId}@revops.invalid", tenant.Username);
        Assert.Equal(created.Text, users[1].GetRawText());

        // One user by email, username (here the same, in another case) and Id.
        foreach (var reference in new[] { email, email.ToUpperInvariant(), id })
        {
            var one = await GetAsync(server, $"/api/users/{Uri.EscapeDataString(reference)}", tenant.ApiKey);
            Assert.Equal(HttpStatusCode.OK, one.Status);
            Assert.Equal(created.Text, one.Text);
        }

        var deactivated = await Api(HttpMethod.Post, $"/api/users/{id}/deactivate", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, deactivated.Status);
        Assert.False(deactivated.Body.GetProperty("IsActive").GetBoolean());
        Assert.False((await GetAsync(server, $"/api/users/{id}", tenant.ApiKey)).Body.GetProperty("IsActive").GetBoolean());
        var inactive = Assert.Single(await SoqlAsync(tenant.ApiKey, $"SELECT Id, IsActive FROM User WHERE Id = '{id}'"));
        Assert.False(inactive.GetProperty("IsActive").GetBoolean());

        var activated = await Api(HttpMethod.Post, $"/api/users/{Uri.EscapeDataString(email)}/activate", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, activated.Status);
        Assert.True(activated.Body.GetProperty("IsActive").GetBoolean());

        // Each user change is a change of the User record, by the admin key's user.
        var userChanges = ChangeLogFile.Read(server, tenant.TenantId).Where(c => c.RecordId == id).ToArray();
        Assert.Equal(["created", "updated", "updated"], userChanges.Select(c => c.Operation));
        Assert.All(userChanges, c => Assert.Equal(("User", tenant.UserId), (c.Object, c.Actor)));
        Assert.Equal("false", userChanges[1].Changes.GetProperty("IsActive").GetProperty("after").GetRawText());

        // SOQL, get_record: readable like any record.
        var soql = await SoqlAsync(tenant.ApiKey, "SELECT Id, Name, Email, Title, IsActive FROM User ORDER BY Name");
        Assert.Equal(["Integration User", "Sarah Johnson"], soql.Select(r => r.Str("Name")));
        Assert.Equal(("VP Sales", email), (soql[1].Str("Title"), soql[1].Str("Email")));
        var record = await CallOkAsync(tenant.ApiKey, "get_record", new { Id = id });
        Assert.Equal(("Sarah Johnson", email, "Sales"), (record.Str("Name"), record.Str("Username"), record.Str("Department")));
        var rest = await GetAsync(server, $"{V}/sobjects/User/{id}", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, rest.Status);
        Assert.Equal("Europe/Berlin", rest.Body.Str("TimeZoneSidKey"));

        var missing = await GetAsync(server, "/api/users/nobody@nowhere.test", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("NOT_FOUND: no user 'nobody@nowhere.test' in this org. List users with `revops user list --tenant ID` or GET /api/users.", missing.Error());
    }

    [Fact]
    public async Task ApiUsers_NeedAnAdminKey_AndRefuseBadBodies_WritingNothing()
    {
        var tenant = await server.CreateTenantAsync("Users api refusals");
        string email = Unique("writer");
        await CreateUserAsync(tenant, email, "Wanda Writer");
        var (writeKey, _) = await CreateKeyAsync(tenant, email);
        int changes = ChangeCount(tenant);

        var list = await GetAsync(server, "/api/users", writeKey);
        Assert.Equal(HttpStatusCode.Forbidden, list.Status);
        Assert.Equal("INSUFFICIENT_ACCESS: Listing users needs an API key with the admin scope; this key has the write scope. Use the tenant's admin key.", list.Error());
        var create = await Api(HttpMethod.Post, "/api/users", writeKey, new { email = Unique("sneaky"), name = "Sneaky Pete" });
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.StartsWith("INSUFFICIENT_ACCESS: Creating users needs an API key with the admin scope", create.Error());

        // Admin-scoped keys only for admins.
        var adminKey = await Api(HttpMethod.Post, "/api/keys", tenant.ApiKey, new { scope = "admin", user = email });
        Assert.Equal(HttpStatusCode.Forbidden, adminKey.Status);
        Assert.Equal($"INSUFFICIENT_ACCESS: Wanda Writer ({email}) is not an admin, so their keys cannot have the admin scope. Send scope read or write, or name an admin.", adminKey.Error());

        var noName = await Api(HttpMethod.Post, "/api/users", tenant.ApiKey, new { email = Unique("noname") });
        Assert.Equal(HttpStatusCode.BadRequest, noName.Status);
        Assert.Equal("REQUIRED_FIELD_MISSING: name is required: send the user's full name, e.g. \"Sarah Johnson\".", noName.Error());
        var unknown = await Api(HttpMethod.Post, "/api/users", tenant.ApiKey, new { email = Unique("role"), name = "Role Player", role = "boss" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.StartsWith("INVALID_ARGUMENT: 'role' is not a user setting; send email, name, username, title, department, time_zone, phone, mobile_phone and admin", unknown.Error());
        var badEmail = await Api(HttpMethod.Post, "/api/users", tenant.ApiKey, new { email = "not-an-email", name = "Bad Email" });
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.Status);
        Assert.Equal("INVALID_FIELD_VALUE", badEmail.Body.Str("error"));

        Assert.Equal(2, (await UsersAsync(tenant)).GetArrayLength());
        // The refusals wrote nothing: still two users, no change-log rows.
        Assert.Equal(changes, ChangeCount(tenant));
    }

    [Fact]
    public async Task PostTenants_AdminEmail_MakesThatPersonTheFirstAdmin()
    {
        string email = Unique("founder", "startup.test");
        var reply = await SendAsync(server, HttpMethod.Post, "/tenants", server.AdminToken,
            Json(new { name = "Founded", subscription_tier = "professional", admin_email = email, admin_name = "Fiona Founder" }));
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        string userId = reply.Body.Str("user_id");
        Assert.StartsWith("005", userId);
        Assert.Equal(email, reply.Body.Str("username"));
        string key = reply.Body.Str("api_key");

        var users = (await GetAsync(server, "/api/users", key)).Body.GetProperty("users").EnumerateArray().ToArray();
        var fiona = Assert.Single(users);
        Assert.Equal((userId, "Fiona Founder", email, true, true), (fiona.Str("Id"), fiona.Str("Name"), fiona.Str("Email"), fiona.GetProperty("is_admin").GetBoolean(), fiona.GetProperty("IsActive").GetBoolean()));
        string account = (await CallOkAsync(key, "create_account", new { Name = "Founded Inc" })).Str("Id");
        var record = await CallOkAsync(key, "get_record", new { Id = account, fields = new[] { "OwnerId", "CreatedById" } });
        Assert.Equal((userId, userId), (record.Str("OwnerId"), record.Str("CreatedById")));

        // The same email again: usernames are unique on the whole server.
        var again = await SendAsync(server, HttpMethod.Post, "/tenants", server.AdminToken,
            Json(new { name = "Copycat", admin_email = email, admin_name = "Fiona Again" }));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("DUPLICATE_USERNAME", again.Body.Str("error"));
        Assert.StartsWith($"Username '{email}' is taken: usernames are unique on the whole server.", again.Body.Str("message"));
        var tenants = await Cli.RunAsync("tenant", "list", "--data", server.DataDirectory);
        Assert.True(tenants.ExitCode == 0, tenants.StdErr);
        Assert.Contains("Founded", tenants.StdOut);
        Assert.DoesNotContain("Copycat", tenants.StdOut);
    }

    // ---------------------------------------------------------------- lifecycle over the CLI

    [Fact]
    public async Task CliUser_CreateListKeyDeactivateActivateSetPassword()
    {
        var tenant = await server.CreateTenantAsync("Users cli");
        string email = Unique("peter", "initech.test");
        var create = await Cli.RunAsync("user", "create", "--tenant", tenant.TenantId, "--email", email, "--name", "Peter Gibbons",
            "--title", "Programmer", "--department", "Engineering", "--data", server.DataDirectory);
        Assert.True(create.ExitCode == 0, create.StdErr);
        var match = System.Text.RegularExpressions.Regex.Match(create.StdOut.Trim(), $"^Created user Peter Gibbons <{System.Text.RegularExpressions.Regex.Escape(email)}> with Id (005[0-9A-Za-z]{{15}})\\.$");
        Assert.True(match.Success, create.StdOut);
        string peter = match.Groups[1].Value;

        var user = (await GetAsync(server, $"/api/users/{peter}", tenant.ApiKey)).Body;
        Assert.Equal(("Peter Gibbons", email, "Programmer", "Engineering", false, true, false),
            (user.Str("Name"), user.Str("Username"), user.Str("Title"), user.Str("Department"), user.GetProperty("is_admin").GetBoolean(),
             user.GetProperty("IsActive").GetBoolean(), user.GetProperty("has_password").GetBoolean()));

        string adminEmail = Unique("lumbergh", "initech.test");
        var admin = await Cli.RunAsync("user", "create", "--tenant", tenant.TenantId, "--email", adminEmail, "--name", "Bill Lumbergh",
            "--username", "bill." + adminEmail, "--admin", "--data", server.DataDirectory);
        Assert.True(admin.ExitCode == 0, admin.StdErr);
        Assert.StartsWith($"Created admin user Bill Lumbergh <bill.{adminEmail}> with Id 005", admin.StdOut.Trim());

        var list = await Cli.RunAsync("user", "list", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.True(list.ExitCode == 0, list.StdErr);
        var rows = list.StdOut.Split('\n').Where(l => l.Contains("005", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Contains(tenant.UserId, rows[0]);
        Assert.Contains("Integration User", rows[0]);
        Assert.Contains(peter, rows[1]);
        Assert.Contains("Programmer", rows[1]);
        Assert.Contains("never", rows[1]);
        Assert.Contains("Bill Lumbergh", rows[2]);
        Assert.Contains("yes", rows[2]);

        // A key acting as Peter, made with the CLI.
        var keyRun = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--user", email, "--scope", "write", "--data", server.DataDirectory);
        Assert.True(keyRun.ExitCode == 0, keyRun.StdErr);
        string key = JsonDocument.Parse(keyRun.StdOut).RootElement.Str("api_key");
        string contact = (await CallOkAsync(key, "create_contact", new { LastName = "Bolton", FirstName = "Michael" })).Str("Id");
        var made = await CallOkAsync(tenant.ApiKey, "get_record", new { Id = contact, fields = new[] { "OwnerId", "CreatedById", "LastModifiedById" } });
        Assert.Equal((peter, peter, peter), (made.Str("OwnerId"), made.Str("CreatedById"), made.Str("LastModifiedById")));
        string keyId = JsonDocument.Parse(keyRun.StdOut).RootElement.Str("key_id");
        var listed = (await GetAsync(server, "/api/keys", tenant.ApiKey)).Body.GetProperty("keys").EnumerateArray().Single(k => k.Str("id") == keyId);
        Assert.Equal(("Peter Gibbons", peter, "write"), (listed.Str("user_name"), listed.Str("user_id"), listed.Str("scope")));

        var deactivate = await Cli.RunAsync("user", "deactivate", "--tenant", tenant.TenantId, "--email", email, "--data", server.DataDirectory);
        Assert.True(deactivate.ExitCode == 0, deactivate.StdErr);
        Assert.Equal($"Peter Gibbons <{email}> is deactivated.", deactivate.StdOut.Trim());
        await AssertKeyStatusSoonAsync(key, HttpStatusCode.Unauthorized);
        Assert.Equal(peter, (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = contact })).Str("OwnerId"));

        var activate = await Cli.RunAsync("user", "activate", "--tenant", tenant.TenantId, "--email", peter, "--data", server.DataDirectory);
        Assert.True(activate.ExitCode == 0, activate.StdErr);
        Assert.Equal($"Peter Gibbons <{email}> is active.", activate.StdOut.Trim());
        await AssertKeyStatusSoonAsync(key, HttpStatusCode.OK);

        // A password from stdin: too short is refused and nothing is set; then a good one.
        var shortPassword = await Cli.RunWithInputAsync("short\n", "user", "set-password", "--tenant", tenant.TenantId, "--email", email, "--data", server.DataDirectory);
        Assert.NotEqual(0, shortPassword.ExitCode);
        Assert.Contains("A password has 8 to 256 characters; 5 were sent.", shortPassword.StdErr);
        Assert.False((await GetAsync(server, $"/api/users/{peter}", tenant.ApiKey)).Body.GetProperty("has_password").GetBoolean());
        var setPassword = await Cli.RunWithInputAsync("correct horse battery staple\n", "user", "set-password", "--tenant", tenant.TenantId, "--email", email, "--data", server.DataDirectory);
        Assert.True(setPassword.ExitCode == 0, setPassword.StdErr);
        Assert.Equal($"Password set for Peter Gibbons <{email}>.", setPassword.StdOut.Trim());
        Assert.True((await GetAsync(server, $"/api/users/{peter}", tenant.ApiKey)).Body.GetProperty("has_password").GetBoolean());
        Assert.Contains("set", (await Cli.RunAsync("user", "list", "--tenant", tenant.TenantId, "--data", server.DataDirectory)).StdOut
            .Split('\n').Single(l => l.Contains(peter, StringComparison.Ordinal)));

        // The CLI's refusals: a taken username, an unknown user, the last active admin (Bill and the Integration User are admins).
        var taken = await Cli.RunAsync("user", "create", "--tenant", tenant.TenantId, "--email", email, "--name", "Peter Again", "--data", server.DataDirectory);
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains($"Username '{email}' is taken: usernames are unique on the whole server.", taken.StdErr);
        var nobody = await Cli.RunAsync("user", "deactivate", "--tenant", tenant.TenantId, "--email", "nobody@initech.test", "--data", server.DataDirectory);
        Assert.NotEqual(0, nobody.ExitCode);
        Assert.Contains("no user 'nobody@initech.test' in this org.", nobody.StdErr);
        Assert.Equal(0, (await Cli.RunAsync("user", "deactivate", "--tenant", tenant.TenantId, "--email", "bill." + adminEmail, "--data", server.DataDirectory)).ExitCode);
        int changes = ChangeCount(tenant);
        var last = await Cli.RunAsync("user", "deactivate", "--tenant", tenant.TenantId, "--email", tenant.UserId, "--data", server.DataDirectory);
        Assert.NotEqual(0, last.ExitCode);
        Assert.Contains($"Integration User ({tenant.Username}) is the org's last active admin and stays active.", last.StdErr);
        Assert.Equal(changes, ChangeCount(tenant));
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(tenant.ApiKey));
        Assert.True((await GetAsync(server, $"/api/users/{tenant.UserId}", tenant.ApiKey)).Body.GetProperty("IsActive").GetBoolean());
    }

    // ---------------------------------------------------------------- keys act as users

    [Fact]
    public async Task KeyActingAsUser_WritesAsThatUser_InRecordsChangeLogAndIdentity()
    {
        var tenant = await server.CreateTenantAsync("Acting keys");
        string email = Unique("ann", "perkins.test");
        string ann = (await CreateUserAsync(tenant, email, "Ann Perkins", title: "Nurse")).Str("Id");
        var keyReply = await Api(HttpMethod.Post, "/api/keys", tenant.ApiKey, new { scope = "write", user = email });
        Assert.Equal(HttpStatusCode.Created, keyReply.Status);
        Assert.Equal((ann, "Ann Perkins", "write"), (keyReply.Body.Str("user_id"), keyReply.Body.Str("user_name"), keyReply.Body.Str("scope")));
        string key = keyReply.Body.Str("api_key"), keyId = keyReply.Body.Str("id");
        Assert.StartsWith("005", keyId);
        Assert.NotEqual(ann, keyId);

        // A key with no user named acts as the calling key's user.
        var defaulted = await Api(HttpMethod.Post, "/api/keys", tenant.ApiKey, new { scope = "read" });
        Assert.Equal((tenant.UserId, "Integration User"), (defaulted.Body.Str("user_id"), defaulted.Body.Str("user_name")));

        string contact = (await CallOkAsync(key, "create_contact", new { LastName = "Knope", FirstName = "Leslie" })).Str("Id");
        var created = await PostJsonAsync(key, $"{V}/sobjects/Account", """{"Name":"Pawnee Parks"}""", HttpStatusCode.Created);
        string account = created.Str("id");
        foreach (var id in new[] { contact, account })
        {
            var record = await CallOkAsync(tenant.ApiKey, "get_record", new { Id = id, fields = new[] { "OwnerId", "CreatedById", "LastModifiedById" } });
            Assert.Equal((ann, ann, ann), (record.Str("OwnerId"), record.Str("CreatedById"), record.Str("LastModifiedById")));
        }
        await CallOkAsync(tenant.ApiKey, "update_record", new { Id = contact, fields = new { Title = "Deputy Director" } });
        var updated = await CallOkAsync(tenant.ApiKey, "get_record", new { Id = contact, fields = new[] { "OwnerId", "CreatedById", "LastModifiedById" } });
        Assert.Equal((ann, ann, tenant.UserId), (updated.Str("OwnerId"), updated.Str("CreatedById"), updated.Str("LastModifiedById")));

        // The change log names the user and the key.
        var history = (await CallOkAsync(key, "get_record_history", new { Id = contact })).GetProperty("versions").EnumerateArray().ToArray();
        Assert.Equal(2, history.Length);
        AssertJson($$"""{"Id":"{{ann}}","Name":"Ann Perkins"}""", history[0].GetProperty("actor").GetRawText());
        Assert.Equal(keyId, history[0].Str("keyId"));
        AssertJson($$"""{"Id":"{{tenant.UserId}}","Name":"Integration User"}""", history[1].GetProperty("actor").GetRawText());
        Assert.Equal(tenant.KeyId, history[1].Str("keyId"));
        var feed = await ApiChangesAsync(key, "?since=0");
        var accountRow = feed.Single(c => c.Str("recordId") == account);
        Assert.Equal(("created", "rest", keyId), (accountRow.Str("operation"), accountRow.Str("channel"), accountRow.Str("keyId")));
        AssertJson($$"""{"Id":"{{ann}}","Name":"Ann Perkins"}""", accountRow.GetProperty("actor").GetRawText());
        Assert.Equal(ann, ChangeLogFile.Read(server, tenant.TenantId).Single(c => c.RecordId == account).Actor);

        // Identity: the key's real user.
        var info = await GetAsync(server, "/services/oauth2/userinfo", key);
        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.Equal((email, "Ann Perkins", email, ann, "Ann", "Perkins"),
            (info.Body.Str("preferred_username"), info.Body.Str("name"), info.Body.Str("email"), info.Body.Str("user_id"), info.Body.Str("given_name"), info.Body.Str("family_name")));
        Assert.False(info.Body.GetProperty("is_admin").GetBoolean());
        string org = info.Body.Str("organization_id");
        Assert.EndsWith($"/id/{org}/{ann}", info.Body.Str("sub"));
        var identity = await GetAsync(server, $"/id/{org}/{ann}", key);
        Assert.Equal(HttpStatusCode.OK, identity.Status);
        Assert.Equal((email, "Ann Perkins", ann, "aperkins"), (identity.Body.Str("username"), identity.Body.Str("display_name"), identity.Body.Str("user_id"), identity.Body.Str("nick_name")));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(server, $"/id/{org}/{tenant.UserId}", key)).Status);
        var adminInfo = await GetAsync(server, "/services/oauth2/userinfo", tenant.ApiKey);
        Assert.Equal((tenant.Username, "Integration User", tenant.UserId, true),
            (adminInfo.Body.Str("preferred_username"), adminInfo.Body.Str("name"), adminInfo.Body.Str("user_id"), adminInfo.Body.GetProperty("is_admin").GetBoolean()));
    }

    async Task<JsonElement> PostJsonAsync(string key, string path, string json, HttpStatusCode expected)
    {
        var reply = await SendAsync(server, HttpMethod.Post, path, key, json);
        Assert.True(reply.Status == expected, $"POST {path}: {(int)reply.Status} {reply.Text}");
        return reply.Body;
    }

    // ---------------------------------------------------------------- OwnerId through every channel

    [Fact]
    public async Task OwnerId_SetAndReassigned_ThroughMcpRestCollectionsAndBulkWrite()
    {
        var tenant = await server.CreateTenantAsync("Owners everywhere");
        string bob = (await CreateUserAsync(tenant, Unique("bob"), "Bob Slydell")).Str("Id");
        string carol = (await CreateUserAsync(tenant, Unique("carol"), "Carol Porter")).Str("Id");
        async Task<string> OwnerOf(string id) => (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = id })).Str("OwnerId");

        // Default: the caller's user.
        string mine = (await CallOkAsync(tenant.ApiKey, "create_contact", new { LastName = "Default" })).Str("Id");
        Assert.Equal(tenant.UserId, await OwnerOf(mine));

        // MCP: create_record and update_record.
        string contact = (await CallOkAsync(tenant.ApiKey, "create_record", new { @object = "Contact", fields = new { LastName = "Owned", OwnerId = bob } })).Str("Id");
        Assert.Equal(bob, await OwnerOf(contact));
        var reassigned = await CallOkAsync(tenant.ApiKey, "update_record", new { Id = contact, fields = new { OwnerId = carol } });
        Assert.Equal(carol, reassigned.Str("OwnerId"));
        Assert.Equal(carol, await OwnerOf(contact));
        var change = (await CallOkAsync(tenant.ApiKey, "list_changes", new { Id = contact })).GetProperty("changes")[1];
        Assert.Equal(("updated", bob, carol), (change.Str("operation"), change.GetProperty("changes").GetProperty("OwnerId").Str("before"), change.GetProperty("changes").GetProperty("OwnerId").Str("after")));

        // REST: create with an owner, PATCH to another.
        string account = (await PostJsonAsync(tenant.ApiKey, $"{V}/sobjects/Account", $$"""{"Name":"Rest Owned","OwnerId":"{{carol}}"}""", HttpStatusCode.Created)).Str("id");
        Assert.Equal(carol, await OwnerOf(account));
        var patch = await SendAsync(server, HttpMethod.Patch, $"{V}/sobjects/Account/{account}", tenant.ApiKey, $$"""{"OwnerId":"{{bob}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, patch.Status);
        Assert.Equal(bob, (await GetAsync(server, $"{V}/sobjects/Account/{account}", tenant.ApiKey)).Body.Str("OwnerId"));
        // The 15-character form of an Id works too.
        patch = await SendAsync(server, HttpMethod.Patch, $"{V}/sobjects/Account/{account}", tenant.ApiKey, $$"""{"OwnerId":"{{carol[..15]}}"}""");
        Assert.Equal(HttpStatusCode.NoContent, patch.Status);
        Assert.Equal(carol, await OwnerOf(account));

        // REST collections: create with owners, update to others.
        var collection = await PostJsonAsync(tenant.ApiKey, $"{V}/composite/sobjects", $$"""
            {"allOrNone":true,"records":[
              {"attributes":{"type":"Opportunity"},"Name":"Coll 1","StageName":"Prospecting","CloseDate":"2031-01-31","OwnerId":"{{bob}}"},
              {"attributes":{"type":"Lead"},"LastName":"Coll 2","Company":"Initech","OwnerId":"{{carol}}"},
              {"attributes":{"type":"Task"},"Subject":"Coll 3"}]}
            """, HttpStatusCode.OK);
        var ids = collection.EnumerateArray().Select(r => r.Str("id")).ToArray();
        Assert.Equal([bob, carol, tenant.UserId], await Task.WhenAll(ids.Select(OwnerOf)));
        var collectionUpdate = await SendAsync(server, HttpMethod.Patch, $"{V}/composite/sobjects", tenant.ApiKey, $$"""
            {"allOrNone":true,"records":[
              {"attributes":{"type":"Opportunity"},"id":"{{ids[0]}}","OwnerId":"{{carol}}"},
              {"attributes":{"type":"Lead"},"Id":"{{ids[1]}}","OwnerId":"{{bob}}"},
              {"attributes":{"type":"Task"},"Id":"{{ids[2]}}","OwnerId":"{{bob}}"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, collectionUpdate.Status);
        Assert.All(collectionUpdate.Body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        Assert.Equal([carol, bob, bob], await Task.WhenAll(ids.Select(OwnerOf)));

        // bulk_write: create with owners, update to others.
        var bulk = await CallOkAsync(tenant.ApiKey, "bulk_write", new
        {
            @object = "Event", operation = "create",
            records = new object[]
            {
                new { Subject = "Bulk 1", StartDateTime = "2031-01-10T10:00:00Z", EndDateTime = "2031-01-10T11:00:00Z", OwnerId = bob },
                new { Subject = "Bulk 2", StartDateTime = "2031-01-11T10:00:00Z", EndDateTime = "2031-01-11T11:00:00Z" },
            },
        });
        Assert.Equal(2, bulk.GetProperty("succeeded").GetInt32());
        var events = bulk.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal([bob, tenant.UserId], await Task.WhenAll(events.Select(OwnerOf)));
        var bulkUpdate = await CallOkAsync(tenant.ApiKey, "bulk_write", new
        {
            @object = "Event", operation = "update", records = new[] { new { Id = events[0], OwnerId = carol }, new { Id = events[1], OwnerId = carol } },
        });
        Assert.Equal(2, bulkUpdate.GetProperty("succeeded").GetInt32());
        Assert.Equal([carol, carol], await Task.WhenAll(events.Select(OwnerOf)));

        // Every channel wrote the owners it was sent into the change log too.
        var rows = ChangeLogFile.Read(server, tenant.TenantId);
        Assert.Equal(bob, rows.Single(r => r.RecordId == events[0] && r.Operation == "created").Changes.GetProperty("OwnerId").Str("after"));
        Assert.Equal(carol, rows.Single(r => r.RecordId == events[0] && r.Operation == "updated").Changes.GetProperty("OwnerId").Str("after"));
    }

    [Fact]
    public async Task OwnerId_BadOwners_RefusedOnEveryChannel_NothingWritten()
    {
        var tenant = await server.CreateTenantAsync("Bad owners");
        var other = await server.CreateTenantAsync("Bad owners other org");
        string gone = (await CreateUserAsync(tenant, Unique("gone"), "Gary Gone")).Str("Id");
        Assert.Equal(HttpStatusCode.OK, (await Api(HttpMethod.Post, $"/api/users/{gone}/deactivate", tenant.ApiKey)).Status);
        string foreign = (await CreateUserAsync(other, Unique("foreign"), "Fred Foreign")).Str("Id");
        string never = NeverExistingUserId();
        string contact = (await CallOkAsync(tenant.ApiKey, "create_contact", new { LastName = "Stays" })).Str("Id");
        var before = (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = contact })).GetRawText();
        int changes = ChangeCount(tenant);
        int otherChanges = ChangeCount(other);

        static string Message(string object_, string id) =>
            $"{object_}.OwnerId: no active User '{id}' in this org. Find users with SOQL SELECT Id, Name FROM User WHERE IsActive = true (or find_records with object User), or leave OwnerId out to keep the current owner (on create: you).";

        // MCP update_record and create_record: unknown, inactive and another org's user read the same.
        var answers = new Dictionary<string, string>();
        foreach (var (label, id) in new[] { ("never", never), ("inactive", gone), ("foreign", foreign) })
        {
            string update = Mcp.ErrorText(await CallAsync(tenant.ApiKey, "update_record", new { Id = contact, fields = new { OwnerId = id } }));
            Assert.Equal("INVALID_CROSS_REFERENCE_KEY: " + Message("Contact", id), update);
            string create = Mcp.ErrorText(await CallAsync(tenant.ApiKey, "create_record", new { @object = "Account", fields = new { Name = "Never made", OwnerId = id } }));
            Assert.Equal("INVALID_CROSS_REFERENCE_KEY: " + Message("Account", id), create);

            // REST PATCH and POST: the whole answer, status and body, is the same but for the id.
            var patch = await SendAsync(server, HttpMethod.Patch, $"{V}/sobjects/Contact/{contact}", tenant.ApiKey, $$"""{"OwnerId":"{{id}}"}""");
            Assert.Equal(HttpStatusCode.BadRequest, patch.Status);
            var post = await SendAsync(server, HttpMethod.Post, $"{V}/sobjects/Lead", tenant.ApiKey, $$"""{"LastName":"Never","Company":"Made","OwnerId":"{{id}}"}""");
            Assert.Equal(HttpStatusCode.BadRequest, post.Status);
            AssertJson($$"""[{"message":{{JsonSerializer.Serialize(Message("Lead", id))}},"errorCode":"INVALID_CROSS_REFERENCE_KEY","fields":["OwnerId"]}]""", post.Text);
            answers[label] = string.Join("\n", update, create, patch.Text, post.Text).Replace(id, "<id>", StringComparison.Ordinal);
        }
        // Another org's user is answered byte for byte like an Id that never existed.
        Assert.Equal(answers["never"], answers["foreign"]);
        Assert.Equal(answers["never"], answers["inactive"]);

        // Collections with allOrNone, and bulk_write all_or_none: nothing of the batch is written.
        var collection = await SendAsync(server, HttpMethod.Post, $"{V}/composite/sobjects", tenant.ApiKey, $$"""
            {"allOrNone":true,"records":[
              {"attributes":{"type":"Contact"},"LastName":"Fine"},
              {"attributes":{"type":"Contact"},"LastName":"Bad","OwnerId":"{{foreign}}"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, collection.Status);
        var results = collection.Body.EnumerateArray().ToArray();
        Assert.All(results, r => Assert.False(r.GetProperty("success").GetBoolean()));
        Assert.Equal("INVALID_CROSS_REFERENCE_KEY", results[1].GetProperty("errors")[0].Str("statusCode"));
        Assert.Equal(Message("Contact", foreign), results[1].GetProperty("errors")[0].Str("message"));
        var collectionUpdate = await SendAsync(server, HttpMethod.Patch, $"{V}/composite/sobjects", tenant.ApiKey, $$"""
            {"allOrNone":false,"records":[{"attributes":{"type":"Contact"},"Id":"{{contact}}","OwnerId":"{{gone}}"}]}
            """);
        Assert.Equal(Message("Contact", gone), Assert.Single(collectionUpdate.Body.EnumerateArray()).GetProperty("errors")[0].Str("message"));

        var bulk = await CallAsync(tenant.ApiKey, "bulk_write", new
        {
            @object = "Contact", operation = "create", all_or_none = true,
            records = new object[] { new { LastName = "Bulk fine" }, new { LastName = "Bulk bad", OwnerId = never } },
        });
        Assert.True(bulk.IsError);
        var bulkBody = JsonDocument.Parse(Mcp.Text(bulk)).RootElement;
        Assert.Equal(0, bulkBody.GetProperty("succeeded").GetInt32());
        var bad = bulkBody.GetProperty("errors").EnumerateArray().Single(e => e.Str("code") != "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        Assert.Equal((1, "INVALID_CROSS_REFERENCE_KEY", "OwnerId"), (bad.GetProperty("index").GetInt32(), bad.Str("code"), bad.Str("field")));
        var bulkUpdate = await CallAsync(tenant.ApiKey, "bulk_write", new { @object = "Contact", operation = "update", records = new[] { new { Id = contact, OwnerId = foreign } } });
        var bulkUpdateBody = JsonDocument.Parse(Mcp.Text(bulkUpdate)).RootElement;
        Assert.Equal((0, 1), (bulkUpdateBody.GetProperty("succeeded").GetInt32(), bulkUpdateBody.GetProperty("failed").GetInt32()));
        Assert.Equal(Message("Contact", foreign), bulkUpdateBody.GetProperty("errors")[0].Str("message"));

        // An owner cannot be emptied.
        Assert.Equal("REQUIRED_FIELD_MISSING: Contact.OwnerId cannot be empty: every record has an owner. Send the Id of an active User (SELECT Id, Name FROM User WHERE IsActive = true), or leave OwnerId out.",
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "update_record", new { Id = contact, fields = new Dictionary<string, object?> { ["OwnerId"] = null } })));
        var emptied = await SendAsync(server, HttpMethod.Patch, $"{V}/sobjects/Contact/{contact}", tenant.ApiKey, """{"OwnerId":null}""");
        Assert.Equal(HttpStatusCode.BadRequest, emptied.Status);
        Assert.Equal("REQUIRED_FIELD_MISSING", emptied.Body[0].Str("errorCode"));
        Assert.StartsWith("REQUIRED_FIELD_MISSING: Contact.OwnerId cannot be empty",
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "create_record", new { @object = "Contact", fields = new Dictionary<string, object?> { ["LastName"] = "Ownerless", ["OwnerId"] = null } })));

        // Nothing was written anywhere: no change-log rows, the record as it was, no new records.
        Assert.Equal(changes, ChangeCount(tenant));
        Assert.Equal(otherChanges, ChangeCount(other));
        Assert.Equal(before, (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = contact })).GetRawText());
        Assert.Equal(["Stays"], (await SoqlAsync(tenant.ApiKey, "SELECT LastName FROM Contact")).Select(r => r.Str("LastName")));
        Assert.Empty(await SoqlAsync(tenant.ApiKey, "SELECT Id FROM Account"));
        Assert.Empty(await SoqlAsync(tenant.ApiKey, "SELECT Id FROM Lead"));
    }

    [Fact]
    public async Task UserObject_GenericWrites_RefusedEverywhere_NothingWritten()
    {
        var tenant = await server.CreateTenantAsync("User not writable");
        int changes = ChangeCount(tenant);
        const string Managed = "User records are managed by the org's admins, not through record writes: use `revops user create|activate|deactivate` or /api/users with an admin key. Reading User works everywhere (SOQL, get_record, find_records).";
        string email = Unique("generic");

        Assert.Equal("INSUFFICIENT_ACCESS: " + Managed,
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "create_record", new { @object = "User", fields = new { LastName = "Generic", Email = email, Username = email } })));
        Assert.Equal("INSUFFICIENT_ACCESS: " + Managed,
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "update_record", new { Id = tenant.UserId, fields = new { Title = "Boss" } })));
        var post = await SendAsync(server, HttpMethod.Post, $"{V}/sobjects/User", tenant.ApiKey, Json(new { LastName = "Generic", Email = email, Username = email }));
        Assert.Equal(HttpStatusCode.Forbidden, post.Status);
        AssertJson($$"""[{"message":{{JsonSerializer.Serialize(Managed)}},"errorCode":"INSUFFICIENT_ACCESS","fields":["object"]}]""", post.Text);
        var patch = await SendAsync(server, HttpMethod.Patch, $"{V}/sobjects/User/{tenant.UserId}", tenant.ApiKey, """{"Title":"Boss"}""");
        Assert.Equal(HttpStatusCode.Forbidden, patch.Status);
        Assert.Equal("INSUFFICIENT_ACCESS", patch.Body[0].Str("errorCode"));
        var collection = await SendAsync(server, HttpMethod.Post, $"{V}/composite/sobjects", tenant.ApiKey,
            $$"""{"allOrNone":false,"records":[{"attributes":{"type":"User"},"LastName":"Generic","Email":"{{email}}"}]}""");
        Assert.Equal("INSUFFICIENT_ACCESS", Assert.Single(collection.Body.EnumerateArray()).GetProperty("errors")[0].Str("statusCode"));
        var bulk = await CallAsync(tenant.ApiKey, "bulk_write", new { @object = "User", operation = "create", records = new[] { new { LastName = "Generic", Email = email } } });
        Assert.Contains("INSUFFICIENT_ACCESS", Mcp.Text(bulk));
        var delete = await CallAsync(tenant.ApiKey, "delete_record", new { Id = tenant.UserId });
        Assert.StartsWith("INSUFFICIENT_ACCESS: User records are managed by the org's admins", Mcp.ErrorText(delete));

        Assert.Equal(changes, ChangeCount(tenant));
        var users = (await UsersAsync(tenant)).EnumerateArray().ToArray();
        var only = Assert.Single(users);
        Assert.Equal((tenant.UserId, JsonValueKind.Null, true), (only.Str("Id"), only.GetProperty("Title").ValueKind, only.GetProperty("IsActive").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(tenant.ApiKey));
    }

    [Fact]
    public async Task DuplicateUsername_AcrossTenants_RefusedWithNothingWritten()
    {
        var acme = await server.CreateTenantAsync("Usernames acme");
        var globex = await server.CreateTenantAsync("Usernames globex");
        string email = Unique("dup", "shared.test");
        await CreateUserAsync(acme, email, "Dana Duplicate");
        int changes = ChangeCount(globex);

        foreach (var sent in new[] { email, email.ToUpperInvariant() })
        {
            var again = await Api(HttpMethod.Post, "/api/users", globex.ApiKey, new { email = sent, name = "Dana Again" });
            Assert.Equal(HttpStatusCode.BadRequest, again.Status);
            Assert.Equal("DUPLICATE_USERNAME", again.Body.Str("error"));
            int at = sent.IndexOf('@');
            Assert.Equal($"Username '{sent}' is taken: usernames are unique on the whole server. Send another username (it need not be the email), e.g. --username {sent[..at]}.2{sent[at..]}.",
                again.Body.Str("message"));
        }
        var explicitUsername = await Api(HttpMethod.Post, "/api/users", globex.ApiKey, new { email = Unique("other"), name = "Dana Again", username = email });
        Assert.Equal("DUPLICATE_USERNAME", explicitUsername.Body.Str("error"));
        Assert.Equal(changes, ChangeCount(globex));
        Assert.Single((await UsersAsync(globex)).EnumerateArray());

        // The email may repeat under another username.
        string username = "dana.globex." + email;
        var same = await Api(HttpMethod.Post, "/api/users", globex.ApiKey, new { email, name = "Dana Globex", username });
        Assert.Equal(HttpStatusCode.Created, same.Status);
        Assert.Equal((username, email), (same.Body.Str("Username"), same.Body.Str("Email")));
        Assert.Equal(changes + 1, ChangeCount(globex));
    }

    [Fact]
    public async Task DeactivateLastActiveAdmin_Refused_NothingWritten()
    {
        var tenant = await server.CreateTenantAsync("Last admin");
        int changes = ChangeCount(tenant);
        var refused = await Api(HttpMethod.Post, $"/api/users/{tenant.UserId}/deactivate", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal($"INVALID_ARGUMENT: Integration User ({tenant.Username}) is the org's last active admin and stays active. Create or activate another admin first (revops user create --admin).", refused.Error());
        Assert.Equal(changes, ChangeCount(tenant));
        Assert.True((await GetAsync(server, $"/api/users/{tenant.UserId}", tenant.ApiKey)).Body.GetProperty("IsActive").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(tenant.ApiKey));

        // A non-admin does not count as an admin; a second admin does.
        string worker = Unique("worker");
        await CreateUserAsync(tenant, worker, "Walt Worker");
        Assert.Equal(HttpStatusCode.BadRequest, (await Api(HttpMethod.Post, $"/api/users/{tenant.UserId}/deactivate", tenant.ApiKey)).Status);
        string bossEmail = Unique("boss");
        string boss = (await CreateUserAsync(tenant, bossEmail, "Betty Boss", admin: true)).Str("Id");
        var (bossKey, _) = await CreateKeyAsync(tenant, bossEmail, "admin");
        var first = await Api(HttpMethod.Post, $"/api/users/{tenant.UserId}/deactivate", bossKey);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.False(first.Body.GetProperty("IsActive").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(tenant.ApiKey));

        // Now Betty is the last active admin, and stays so.
        int now = ChangeCount(tenant);
        var self = await Api(HttpMethod.Post, $"/api/users/{Uri.EscapeDataString(bossEmail)}/deactivate", bossKey);
        Assert.Equal(HttpStatusCode.BadRequest, self.Status);
        Assert.Equal($"INVALID_ARGUMENT: Betty Boss ({bossEmail}) is the org's last active admin and stays active. Create or activate another admin first (revops user create --admin).", self.Error());
        Assert.Equal(now, ChangeCount(tenant));
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(bossKey));
        var users = (await GetAsync(server, "/api/users", bossKey)).Body.GetProperty("users").EnumerateArray()
            .ToDictionary(u => u.Str("Id"), u => u.GetProperty("IsActive").GetBoolean());
        Assert.True(users[boss]);
        Assert.False(users[tenant.UserId]);
    }

    // ---------------------------------------------------------------- deactivation

    [Fact]
    public async Task DeactivatedUser_KeyRefusedOnTheNextRequest_RecordsKeepTheOwner_ActivateRestores()
    {
        var tenant = await server.CreateTenantAsync("Deactivation");
        string email = Unique("dana", "deactivate.test");
        string dana = (await CreateUserAsync(tenant, email, "Dana Scully")).Str("Id");
        var (key, _) = await CreateKeyAsync(tenant, email);
        string opportunity = (await CallOkAsync(key, "create_opportunity", new { Name = "X-Files renewal", StageName = "Prospecting", CloseDate = "2031-03-31", Amount = 1000 })).Str("Id");
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(key));

        var deactivated = await Api(HttpMethod.Post, $"/api/users/{dana}/deactivate", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, deactivated.Status);
        // The very next request, on every channel.
        Assert.Equal(HttpStatusCode.Unauthorized, await RestStatusAsync(key));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(server, "/api/changes?since=0", key)).Status);
        var mcp = await SendAsync(server, HttpMethod.Post, "mcp", key, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, mcp.Status);

        var record = await CallOkAsync(tenant.ApiKey, "get_record", new { Id = opportunity, fields = new[] { "OwnerId", "CreatedById" } });
        Assert.Equal((dana, dana), (record.Str("OwnerId"), record.Str("CreatedById")));
        var owned = Assert.Single(await SoqlAsync(tenant.ApiKey, $"SELECT Id, Owner.Name, Owner.IsActive FROM Opportunity WHERE OwnerId = '{dana}'"));
        Assert.Equal(("Dana Scully", false), (owned.GetProperty("Owner").Str("Name"), owned.GetProperty("Owner").GetProperty("IsActive").GetBoolean()));
        // No new keys and no new records for a deactivated user.
        var newKey = await Api(HttpMethod.Post, "/api/keys", tenant.ApiKey, new { scope = "read", user = email });
        Assert.Equal(HttpStatusCode.BadRequest, newKey.Status);
        Assert.Equal($"INVALID_ARGUMENT: Dana Scully ({email}) is deactivated and cannot hold keys. Activate the user first (revops user activate), or name another user.", newKey.Error());
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: Opportunity.OwnerId: no active User",
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "create_record", new { @object = "Opportunity", fields = new { Name = "Assigned", StageName = "Prospecting", CloseDate = "2031-03-31", OwnerId = dana } })));

        var activated = await Api(HttpMethod.Post, $"/api/users/{dana}/activate", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.OK, activated.Status);
        Assert.Equal(HttpStatusCode.OK, await RestStatusAsync(key));
        var updated = await CallOkAsync(key, "update_opportunity_stage", new { Id = opportunity, StageName = "Qualification" });
        Assert.Equal("Qualification", updated.Str("StageName"));
        Assert.Equal(dana, (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = opportunity, fields = new[] { "LastModifiedById" } })).Str("LastModifiedById"));
    }

    // ---------------------------------------------------------------- SOQL over owners

    [Fact]
    public async Task Soql_OwnerCreatedByLastModifiedBy_UsingScopeMine_WhereOwnerId()
    {
        var tenant = await server.CreateTenantAsync("Soql owners");
        string email = Unique("eve", "soql.test");
        string eve = (await CreateUserAsync(tenant, email, "Eve Moneypenny")).Str("Id");
        var (key, _) = await CreateKeyAsync(tenant, email);
        await CallOkAsync(tenant.ApiKey, "create_account", new { Name = "Admin Co" });
        string eveCo = (await CallOkAsync(key, "create_account", new { Name = "Eve Co" })).Str("Id");
        await CallOkAsync(tenant.ApiKey, "create_record", new { @object = "Account", fields = new { Name = "Assigned Co", OwnerId = eve } });
        await CallOkAsync(tenant.ApiKey, "update_record", new { Id = eveCo, fields = new { Industry = "Banking" } });

        var rows = await SoqlAsync(tenant.ApiKey, "SELECT Name, Owner.Name, CreatedBy.Name, LastModifiedBy.Email FROM Account ORDER BY Name");
        Assert.Equal(
            [("Admin Co", "Integration User", "Integration User", tenant.Username), ("Assigned Co", "Eve Moneypenny", "Integration User", tenant.Username), ("Eve Co", "Eve Moneypenny", "Eve Moneypenny", tenant.Username)],
            rows.Select(r => (r.Str("Name"), r.GetProperty("Owner").Str("Name"), r.GetProperty("CreatedBy").Str("Name"), r.GetProperty("LastModifiedBy").Str("Email"))));

        Assert.Equal(["Assigned Co", "Eve Co"], (await SoqlAsync(key, "SELECT Name FROM Account USING SCOPE mine ORDER BY Name")).Select(r => r.Str("Name")));
        Assert.Equal(["Admin Co"], (await SoqlAsync(tenant.ApiKey, "SELECT Name FROM Account USING SCOPE mine ORDER BY Name")).Select(r => r.Str("Name")));
        Assert.Equal(["Assigned Co", "Eve Co"], (await SoqlAsync(tenant.ApiKey, $"SELECT Name FROM Account WHERE OwnerId = '{eve}' ORDER BY Name")).Select(r => r.Str("Name")));
        Assert.Equal(["Assigned Co", "Eve Co"], (await SoqlAsync(tenant.ApiKey, "SELECT Name FROM Account WHERE Owner.Name = 'Eve Moneypenny' ORDER BY Name")).Select(r => r.Str("Name")));
        Assert.Equal(["Admin Co"], (await SoqlAsync(key, $"SELECT Name FROM Account WHERE OwnerId != '{eve}'")).Select(r => r.Str("Name")));

        // The same over REST /query, with Salesforce's nested attributes.
        var rest = await GetAsync(server, $"{V}/query?q=" + Uri.EscapeDataString("SELECT Name, Owner.Name FROM Account USING SCOPE mine ORDER BY Name"), key);
        Assert.Equal(HttpStatusCode.OK, rest.Status);
        Assert.Equal(2, rest.Body.GetProperty("totalSize").GetInt32());
        var owner = rest.Body.GetProperty("records")[0].GetProperty("Owner");
        Assert.Equal(("User", "Eve Moneypenny"), (owner.GetProperty("attributes").Str("type"), owner.Str("Name")));
        Assert.Equal(["Eve Moneypenny", "Integration User"],
            (await SoqlAsync(tenant.ApiKey, "SELECT Name FROM User WHERE IsActive = true ORDER BY Name")).Select(r => r.Str("Name")));
    }

    // ---------------------------------------------------------------- change log by actor

    [Fact]
    public async Task ListChanges_ActorTom_ReturnsOnlyTomsChanges_WithHisName()
    {
        var tenant = await server.CreateTenantAsync("What did Tom change");
        string email = Unique("tom", "initech.test");
        string tom = (await CreateUserAsync(tenant, email, "Tom Smykowski")).Str("Id");
        var (key, keyId) = await CreateKeyAsync(tenant, email);
        string his = (await CallOkAsync(key, "create_contact", new { LastName = "Customer", FirstName = "Jump" })).Str("Id");
        string adminContact = (await CallOkAsync(tenant.ApiKey, "create_contact", new { LastName = "Engineer" })).Str("Id");
        await CallOkAsync(key, "update_record", new { Id = adminContact, fields = new { Title = "Engineer" } });
        await CallOkAsync(tenant.ApiKey, "update_record", new { Id = his, fields = new { Title = "Jumper" } });
        await SendAsync(server, HttpMethod.Patch, $"{V}/sobjects/Contact/{his}", key, """{"Department":"Ideas"}""");

        var all = ChangeLogFile.Read(server, tenant.TenantId);
        var tomsSeqs = all.Where(c => c.Actor == tom).Select(c => c.Seq).ToArray();
        Assert.Equal(3, tomsSeqs.Length);
        Assert.True(all.Count > tomsSeqs.Length + 2);

        foreach (var actor in new[] { "Tom", "tom smykowski", email, tom })
        {
            var page = await CallOkAsync(tenant.ApiKey, "list_changes", new { actor });
            var changes = page.GetProperty("changes").EnumerateArray().ToArray();
            Assert.Equal(tomsSeqs, changes.Select(c => c.GetProperty("seq").GetInt64()));
            Assert.All(changes, c => AssertJson($$"""{"Id":"{{tom}}","Name":"Tom Smykowski"}""", c.GetProperty("actor").GetRawText()));
            Assert.All(changes, c => Assert.Equal(keyId, c.Str("keyId")));
        }
        var byTom = (await CallOkAsync(key, "list_changes", new { actor = "Tom", @object = "Contact", operation = "updated" })).GetProperty("changes").EnumerateArray().ToArray();
        Assert.Equal([(adminContact, "mcp"), (his, "rest")], byTom.Select(c => (c.Str("recordId"), c.Str("channel"))));
        var admin = (await CallOkAsync(tenant.ApiKey, "list_changes", new { actor = "Integration User" })).GetProperty("changes").EnumerateArray().ToArray();
        Assert.Equal(all.Where(c => c.Actor == tenant.UserId).Select(c => c.Seq), admin.Select(c => c.GetProperty("seq").GetInt64()));
        Assert.Contains(admin, c => c.Str("object") == "User" && c.Str("recordId") == tom);

        var feed = await ApiChangesAsync(tenant.ApiKey, "?since=0&actor=Tom");
        Assert.Equal(tomsSeqs, feed.Select(c => c.GetProperty("seq").GetInt64()));
        Assert.All(feed, c => Assert.Equal("Tom Smykowski", c.GetProperty("actor").Str("Name")));

        // Two Toms: "Tom" is ambiguous and says who; unknown names list the org's users.
        string jones = (await CreateUserAsync(tenant, Unique("jones"), "Tom Jones")).Str("Id");
        Assert.Equal($"MULTIPLE_CHOICES: actor 'Tom' names 2 users: Tom Jones ({jones}); Tom Smykowski ({tom}). Send the full name or the User Id.",
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "list_changes", new { actor = "Tom" })));
        Assert.Equal(tomsSeqs, (await CallOkAsync(tenant.ApiKey, "list_changes", new { actor = "Tom Smykowski" })).GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("seq").GetInt64()));
        Assert.Equal($"NOT_FOUND: no user of this org is called 'Milton'. Users: Integration User ({tenant.UserId}); Tom Jones ({jones}); Tom Smykowski ({tom}). Send one of those names or Ids.",
            Mcp.ErrorText(await CallAsync(tenant.ApiKey, "list_changes", new { actor = "Milton" })));
        var ambiguous = await GetAsync(server, "/api/changes?since=0&actor=Tom", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.Status);
        Assert.Equal("multiple_choices", ambiguous.Body.Str("error"));
    }

    // ---------------------------------------------------------------- owner filters of the tools

    [Fact]
    public async Task SearchTools_OwnerIdMeOrUserId_FilterByOwner()
    {
        var tenant = await server.CreateTenantAsync("Owner search");
        string email = Unique("milton", "initech.test");
        string milton = (await CreateUserAsync(tenant, email, "Milton Waddams")).Str("Id");
        var (key, _) = await CreateKeyAsync(tenant, email);
        string mine = (await CallOkAsync(key, "create_opportunity", new { Name = "Stapler", StageName = "Prospecting", CloseDate = "2031-01-31", Amount = 300 })).Str("Id");
        string assigned = (await CallOkAsync(tenant.ApiKey, "create_record", new { @object = "Opportunity", fields = new { Name = "Basement", StageName = "Prospecting", CloseDate = "2031-01-31", Amount = 200, OwnerId = milton } })).Str("Id");
        string admins = (await CallOkAsync(tenant.ApiKey, "create_opportunity", new { Name = "Office", StageName = "Prospecting", CloseDate = "2031-01-31", Amount = 100 })).Str("Id");
        static string[] Ids(JsonElement page) => page.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();

        Assert.Equal([mine, assigned], Ids(await CallOkAsync(key, "search_opportunities", new { ownerId = "me" })));
        Assert.Equal([admins], Ids(await CallOkAsync(tenant.ApiKey, "search_opportunities", new { ownerId = "me" })));
        Assert.Equal([mine, assigned], Ids(await CallOkAsync(tenant.ApiKey, "search_opportunities", new { ownerId = milton })));
        Assert.Equal([mine, assigned, admins], Ids(await CallOkAsync(key, "search_opportunities", new { })));
        Assert.Equal([mine, assigned], Ids(await CallOkAsync(key, "search_opportunities", new { ownerId = "me", minAmount = 150, stage = "Prospecting" })));
        Assert.Equal([mine], Ids(await CallOkAsync(tenant.ApiKey, "search_opportunities", new { ownerId = milton, minAmount = 250 })));

        string contact = (await CallOkAsync(key, "create_contact", new { LastName = "Waddams" })).Str("Id");
        await CallOkAsync(tenant.ApiKey, "create_contact", new { LastName = "Lumbergh" });
        Assert.Equal([contact], Ids(await CallOkAsync(key, "search_contacts", new { ownerId = "me" })));
        string account = (await CallOkAsync(tenant.ApiKey, "create_record", new { @object = "Account", fields = new { Name = "Initech", OwnerId = milton } })).Str("Id");
        Assert.Equal([account], Ids(await CallOkAsync(tenant.ApiKey, "search_accounts", new { ownerId = milton })));
        string task = (await CallOkAsync(key, "create_task", new { Subject = "Find stapler" })).Str("Id");
        await CallOkAsync(tenant.ApiKey, "create_task", new { Subject = "Move desk" });
        Assert.Equal([task], Ids(await CallOkAsync(key, "get_tasks", new { ownerId = "me" })));
    }

    [Fact]
    public async Task ConvertLead_NewRecordsTakeTheLeadsOwner_OrTheOwnerIdSent()
    {
        var tenant = await server.CreateTenantAsync("Convert owners");
        string samir = (await CreateUserAsync(tenant, Unique("samir"), "Samir Nagheenanajar")).Str("Id");
        string lead = (await CallOkAsync(tenant.ApiKey, "create_record", new { @object = "Lead", fields = new { LastName = "Gibbons", Company = "Initech", OwnerId = samir } })).Str("Id");

        var converted = await CallOkAsync(tenant.ApiKey, "convert_lead", new { LeadId = lead });
        foreach (var part in new[] { "account", "contact", "opportunity" })
        {
            string id = converted.Str(part + "Id");
            var record = await CallOkAsync(tenant.ApiKey, "get_record", new { Id = id, fields = new[] { "OwnerId", "CreatedById" } });
            Assert.Equal((samir, tenant.UserId), (record.Str("OwnerId"), record.Str("CreatedById")));
        }

        // OwnerId names another owner; a bad one converts nothing.
        string other = (await CallOkAsync(tenant.ApiKey, "create_record", new { @object = "Lead", fields = new { LastName = "Bolton", Company = "Initrode", OwnerId = samir } })).Str("Id");
        int changes = ChangeCount(tenant);
        string error = Mcp.ErrorText(await CallAsync(tenant.ApiKey, "convert_lead", new { LeadId = other, OwnerId = NeverExistingUserId() }));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: OwnerId: no active User '{NeverExistingUserId()}' in this org. Find users with SOQL SELECT Id, Name FROM User WHERE IsActive = true, or leave OwnerId out to give the new records the lead's owner.", error);
        Assert.Equal(changes, ChangeCount(tenant));
        Assert.False((await CallOkAsync(tenant.ApiKey, "get_record", new { Id = other })).GetProperty("IsConverted").GetBoolean());

        // The lead's owner deactivated: the lead is what to fix (or an OwnerId to send).
        Assert.Equal(HttpStatusCode.OK, (await Api(HttpMethod.Post, $"/api/users/{samir}/deactivate", tenant.ApiKey)).Status);
        changes = ChangeCount(tenant);
        error = Mcp.ErrorText(await CallAsync(tenant.ApiKey, "convert_lead", new { LeadId = other }));
        Assert.StartsWith($"INVALID_CROSS_REFERENCE_KEY: The lead cannot become an Account: Account.OwnerId: no active User '{samir}' in this org.", error);
        Assert.EndsWith("Fix the lead with update_record, then convert again.", error);
        Assert.Equal(changes, ChangeCount(tenant));

        var mine = await CallOkAsync(tenant.ApiKey, "convert_lead", new { LeadId = other, OwnerId = tenant.UserId });
        foreach (var part in new[] { "account", "contact", "opportunity" })
            Assert.Equal(tenant.UserId, (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = mine.Str(part + "Id") })).Str("OwnerId"));
        Assert.Equal(samir, (await CallOkAsync(tenant.ApiKey, "get_record", new { Id = other })).Str("OwnerId"));
    }
}
