using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// A SQLite database written by the release at e824f74 (before users and owners; Fixtures/release-e824f74.json
/// says what it holds) opened by today's `revops serve`: migrations 0011/0012 give each tenant an Integration
/// User whose Id is its oldest key's Id, which owns its keys and records and stands for the old change log's
/// writers. Keys, records, the recycle bin, the change log and tenant isolation carry over; new writes go on.
/// Each test upgrades a fresh copy of the file. SQLite only: the fixture is a SQLite file.
/// </summary>
public sealed class UpgradeFixtureTests : IAsyncLifetime
{
    const string V = "services/data/v60.0";
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static string FixturePath(string extension) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "release-e824f74." + extension);

    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-upgrade-" + Guid.NewGuid().ToString("N"));
    readonly HttpClient _http = new();
    ServeProcess? _server;

    sealed record Key(string Id, string Secret, string Scope);

    sealed record Tenant(string Id, string Name, Key[] Keys, Dictionary<string, string[]> Records, Dictionary<string, string[]> Deleted, int Changes)
    {
        /// <summary>The Integration User's Id: the tenant's oldest key's Id (keys are listed oldest first).</summary>
        public string UserId => Keys[0].Id;

        public string Admin => Keys[0].Secret;
    }

    static readonly Tenant[] Tenants = ReadManifest();
    static Tenant UpgradeCo => Tenants.Single(t => t.Name == "Upgrade Co");
    static Tenant OtherCo => Tenants.Single(t => t.Name == "Other Co");

    static Tenant[] ReadManifest()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(FixturePath("json")));
        static Dictionary<string, string[]> Ids(JsonElement tenant, string name) =>
            tenant.TryGetProperty(name, out var map)
                ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray())
                : [];
        return manifest.RootElement.GetProperty("tenants").EnumerateArray().Select(t => new Tenant(t.Str("id"), t.Str("name"),
            t.GetProperty("keys").EnumerateArray().Select(k => new Key(k.Str("id"), k.Str("secret"), k.Str("scope"))).ToArray(),
            Ids(t, "records"), Ids(t, "deleted"), t.GetProperty("changes").GetInt32())).ToArray();
    }

    /// <summary>What the release wrote into each record (read from the file), by Id.</summary>
    static readonly Dictionary<string, Dictionary<string, object>> Values = new()
    {
        ["0011uGTpwxT8A9eADF"] = new() { ["Name"] = "Globex", ["Industry"] = "Technology", ["AnnualRevenue"] = 5000000.0, ["Phone"] = "+1 555 0100", ["Region__c"] = "EMEA" },
        ["0031uGTqCufUsDGAL0"] = new() { ["Name"] = "Hank Scorpio", ["Email"] = "hank@globex.example", ["AccountId"] = "0011uGTpwxT8A9eADF" },
        ["0061uGTqVsDo4kwALB"] = new() { ["Name"] = "Globex renewal", ["StageName"] = "Qualification", ["Amount"] = 150000.0, ["CloseDate"] = "2027-03-31", ["AccountId"] = "0011uGTpwxT8A9eADF" },
        ["00Q1uGTqlxcpxuAEDQ"] = new() { ["Name"] = "Peter Gibbons", ["Company"] = "Initech", ["Email"] = "peter@initech.example", ["Status"] = "Open - Not Contacted" },
        ["00T1uGTr2SoWhckETC"] = new() { ["Subject"] = "Call Hank", ["WhoId"] = "0031uGTqCufUsDGAL0", ["WhatId"] = "0061uGTqVsDo4kwALB", ["ActivityDate"] = "2027-01-10" },
        ["00U1uGTr3rXpjiwEDB"] = new() { ["Subject"] = "Kickoff", ["WhatId"] = "0011uGTpwxT8A9eADF", ["DurationInMinutes"] = 45.0 },
        ["0031uGTr71H6ib8ADB"] = new() { ["Name"] = "Other tenant person" },
    };

    public async ValueTask InitializeAsync()
    {
        if (TestDatabase.IsPostgres) return;
        Directory.CreateDirectory(_data);
        File.Copy(FixturePath("db"), Path.Combine(_data, "revops.db"));
        _server = await ServeProcess.StartAsync(_data, ServeProcess.FreePort(), new Dictionary<string, string>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _http.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    static void SkipOnPostgres()
    {
        if (TestDatabase.IsPostgres) Assert.Skip("The release fixture is a SQLite file; the PostgreSQL pass leaves it out.");
    }

    async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_server!.BaseUri, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request, Ct);
        string text = await response.Content.ReadAsStringAsync(Ct);
        bool json = text.Length > 0 && text[0] is '{' or '[' && !text.TrimEnd().Contains('\n');
        return (response.StatusCode, json ? JsonDocument.Parse(text).RootElement.Clone() : default, text);
    }

    async Task<JsonElement> OkAsync(string path, string key)
    {
        var (status, body, text) = await SendAsync(HttpMethod.Get, path, key);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {text}");
        return body;
    }

    async Task<JsonElement[]> QueryAsync(string key, string soql, bool all = false) =>
        (await OkAsync($"{V}/{(all ? "queryAll" : "query")}?q={Uri.EscapeDataString(soql)}", key)).GetProperty("records").EnumerateArray().ToArray();

    /// <summary>GET /api/changes: one JSON object per line.</summary>
    async Task<JsonElement[]> ChangesAsync(string key, string query = "?since=0")
    {
        var (status, _, text) = await SendAsync(HttpMethod.Get, "/api/changes" + query, key);
        Assert.True(status == HttpStatusCode.OK, $"/api/changes{query}: {(int)status} {text}");
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    static void AssertActor(Tenant tenant, JsonElement change) =>
        Assert.Equal((tenant.UserId, "Integration User"), (change.GetProperty("actor").Str("Id"), change.GetProperty("actor").Str("Name")));

    [Fact]
    public async Task Keys_EveryKeyStillAuthenticates_KeepsItsId_AndActsAsTheIntegrationUser()
    {
        SkipOnPostgres();
        foreach (var tenant in Tenants)
        {
            foreach (var key in tenant.Keys)
            {
                var (status, body, text) = await SendAsync(HttpMethod.Get, "/services/oauth2/userinfo", key.Secret);
                Assert.True(status == HttpStatusCode.OK, $"{tenant.Name} key {key.Id}: {(int)status} {text}");
                Assert.Equal((tenant.UserId, "Integration User", $"integration.{tenant.Id}@revops.invalid"), (body.Str("user_id"), body.Str("name"), body.Str("preferred_username")));
                Assert.Equal(tenant.Name, body.Str("organization_name"));
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"{V}/sobjects/Account", key.Secret)).Status);
            }

            var keys = (await OkAsync("/api/keys", tenant.Admin)).GetProperty("keys").EnumerateArray().ToArray();
            Assert.Equal(tenant.Keys.Select(k => k.Id).Order(), keys.Select(k => k.Str("id")).Order());
            foreach (var key in keys)
            {
                var sent = tenant.Keys.Single(k => k.Id == key.Str("id"));
                Assert.Equal((tenant.UserId, "Integration User", "active", tenant.Id), (key.Str("user_id"), key.Str("user_name"), key.Str("status"), key.Str("tenant_id")));
                Assert.Equal(sent.Scope.Contains("admin", StringComparison.Ordinal) ? "admin" : "write", key.Str("scope"));
            }

            // Exactly one user: the Integration User, an active admin whose Id is the tenant's first key's Id.
            var user = Assert.Single((await OkAsync("/api/users", tenant.Admin)).GetProperty("users").EnumerateArray());
            Assert.Equal((tenant.UserId, "Integration User", "Integration", "User", $"integration.{tenant.Id}@revops.invalid", "GMT"),
                (user.Str("Id"), user.Str("Name"), user.Str("FirstName"), user.Str("LastName"), user.Str("Username"), user.Str("TimeZoneSidKey")));
            Assert.True(user.GetProperty("is_admin").GetBoolean());
            Assert.True(user.GetProperty("IsActive").GetBoolean());
            Assert.False(user.GetProperty("has_password").GetBoolean());
            var soql = Assert.Single(await QueryAsync(tenant.Admin, "SELECT Id, Name, IsActive FROM User"));
            Assert.Equal((tenant.UserId, "Integration User", true), (soql.Str("Id"), soql.Str("Name"), soql.GetProperty("IsActive").GetBoolean()));
        }

        // The old audit rows named the key as the actor: now the Integration User acted, with that key.
        var admin = UpgradeCo.Keys.Single(k => k.Scope.Contains("admin", StringComparison.Ordinal));
        var audit = (await OkAsync("/api/audit", UpgradeCo.Admin)).GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(
            [$"field.define by {UpgradeCo.UserId} with {admin.Id}", $"key.create by {UpgradeCo.UserId} with {admin.Id}", "tenant.create by cli with -"],
            audit.Select(e => $"{e.Str("action")} by {e.Str("actor_id")} with {e.GetProperty("key_id").GetString() ?? "-"}"));

        // The write-scoped key acts as the same user but is no admin key.
        var writer = UpgradeCo.Keys.Single(k => k.Scope == "write");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/users", writer.Secret)).Status);
    }

    [Fact]
    public async Task Records_EveryRecordReadsBackWithItsValues_OwnedAndCreatedByTheIntegrationUser()
    {
        SkipOnPostgres();
        foreach (var tenant in Tenants)
            foreach (var (type, ids) in tenant.Records)
                foreach (var id in ids)
                {
                    var record = await OkAsync($"{V}/sobjects/{type}/{id}", tenant.Admin);
                    Assert.Equal((id, type), (record.Str("Id"), record.GetProperty("attributes").Str("type")));
                    foreach (var (field, value) in Values[id])
                        if (value is double number) Assert.Equal(number, record.GetProperty(field).GetDouble());
                        else Assert.Equal(value, record.Str(field));
                    Assert.Equal((tenant.UserId, tenant.UserId, tenant.UserId), (record.Str("OwnerId"), record.Str("CreatedById"), record.Str("LastModifiedById")));
                }
        Assert.Equal(7, Tenants.Sum(t => t.Records.Values.Sum(ids => ids.Length)));

        // SOQL follows the owner and creator to the user.
        var accounts = await QueryAsync(UpgradeCo.Admin, "SELECT Name, Region__c, Owner.Name, CreatedBy.Name, LastModifiedBy.Username FROM Account");
        var globex = Assert.Single(accounts);
        Assert.Equal(("Globex", "EMEA", "Integration User", "Integration User", $"integration.{UpgradeCo.Id}@revops.invalid"),
            (globex.Str("Name"), globex.Str("Region__c"), globex.GetProperty("Owner").Str("Name"), globex.GetProperty("CreatedBy").Str("Name"), globex.GetProperty("LastModifiedBy").Str("Username")));
        Assert.Equal(6, (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM Account USING SCOPE mine")).Length
            + (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM Contact USING SCOPE mine")).Length
            + (await QueryAsync(UpgradeCo.Admin, $"SELECT Id FROM Opportunity WHERE OwnerId = '{UpgradeCo.UserId}'")).Length
            + (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM Lead USING SCOPE mine")).Length
            + (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM Task USING SCOPE mine")).Length
            + (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM Event USING SCOPE mine")).Length);

        // The deleted contact is still in the recycle bin, owned like the rest.
        string deleted = Assert.Single(UpgradeCo.Deleted["Contact"]);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"{V}/sobjects/Contact/{deleted}", UpgradeCo.Admin)).Status);
        var (status, body, _) = await SendAsync(HttpMethod.Patch, $"{V}/sobjects/Contact/{deleted}", UpgradeCo.Admin, new { Title = "Too late" });
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_IS_DELETED"), (status, body[0].Str("errorCode")));
        var binned = Assert.Single(await QueryAsync(UpgradeCo.Admin, "SELECT Id, LastName, IsDeleted, OwnerId, CreatedById FROM Contact WHERE IsDeleted = true", all: true));
        Assert.Equal((deleted, "Deleted Person", true, UpgradeCo.UserId, UpgradeCo.UserId),
            (binned.Str("Id"), binned.Str("LastName"), binned.GetProperty("IsDeleted").GetBoolean(), binned.Str("OwnerId"), binned.Str("CreatedById")));
        Assert.Equal([UpgradeCo.Records["Contact"][0]], (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM Contact")).Select(r => r.Str("Id")));

        // The change log: every old row, now with the Integration User as actor and the key that wrote it.
        var changes = await ChangesAsync(UpgradeCo.Admin);
        Assert.Equal(Enumerable.Range(1, UpgradeCo.Changes).Select(i => (long)i), changes.Select(c => c.GetProperty("seq").GetInt64()));
        Assert.All(changes, c => AssertActor(UpgradeCo, c));
        Assert.All(changes, c => Assert.Equal("rest", c.Str("channel")));
        string first = UpgradeCo.Keys[0].Id, second = UpgradeCo.Keys[1].Id;
        Assert.Equal([.. Enumerable.Repeat(first, 9), second], changes.Select(c => c.Str("keyId")));
        Assert.Equal(("Account", UpgradeCo.Records["Account"][0], "updated", "EMEA"),
            (changes[9].Str("object"), changes[9].Str("recordId"), changes[9].Str("operation"), changes[9].GetProperty("changes").GetProperty("Region__c").Str("after")));
        Assert.Equal(("Contact", deleted, "deleted"), (changes[8].Str("object"), changes[8].Str("recordId"), changes[8].Str("operation")));
        var other = Assert.Single(await ChangesAsync(OtherCo.Admin));
        AssertActor(OtherCo, other);
        Assert.Equal((1L, OtherCo.Keys[0].Id, OtherCo.Records["Contact"][0]), (other.GetProperty("seq").GetInt64(), other.Str("keyId"), other.Str("recordId")));
        // The actor filter finds the old rows by the user's name.
        Assert.Equal(UpgradeCo.Changes, (await ChangesAsync(UpgradeCo.Admin, "?since=0&actor=Integration")).Length);
    }

    [Fact]
    public async Task Tenants_StayApart_AfterTheUpgrade()
    {
        SkipOnPostgres();
        string otherContact = OtherCo.Records["Contact"][0], globex = UpgradeCo.Records["Account"][0];
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"{V}/sobjects/Contact/{otherContact}", UpgradeCo.Admin)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"{V}/sobjects/Account/{globex}", OtherCo.Admin)).Status);
        Assert.Equal([otherContact], (await QueryAsync(OtherCo.Admin, "SELECT Id FROM Contact", all: true)).Select(r => r.Str("Id")));
        Assert.Empty(await QueryAsync(OtherCo.Admin, "SELECT Id FROM Account"));
        Assert.Equal([OtherCo.UserId], (await QueryAsync(OtherCo.Admin, "SELECT Id FROM User")).Select(r => r.Str("Id")));
        Assert.Equal([UpgradeCo.UserId], (await QueryAsync(UpgradeCo.Admin, "SELECT Id FROM User")).Select(r => r.Str("Id")));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/users/{UpgradeCo.UserId}", OtherCo.Admin)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"{V}/sobjects/User/{UpgradeCo.UserId}", OtherCo.Admin)).Status);

        // The other org's Integration User cannot own this org's records: answered as an Id that never existed.
        var (status, body, _) = await SendAsync(HttpMethod.Patch, $"{V}/sobjects/Account/{globex}", UpgradeCo.Admin, new { OwnerId = OtherCo.UserId });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("INVALID_CROSS_REFERENCE_KEY", $"Account.OwnerId: no active User '{OtherCo.UserId}' in this org."),
            (body[0].Str("errorCode"), body[0].Str("message")[..($"Account.OwnerId: no active User '{OtherCo.UserId}' in this org.".Length)]));
        Assert.Equal(UpgradeCo.Changes, (await ChangesAsync(UpgradeCo.Admin)).Length);
        Assert.Equal(UpgradeCo.UserId, (await OkAsync($"{V}/sobjects/Account/{globex}", UpgradeCo.Admin)).Str("OwnerId"));
    }

    [Fact]
    public async Task NewWrites_AfterTheUpgrade_ContinueTheChangeLog()
    {
        SkipOnPostgres();
        var writer = UpgradeCo.Keys.Single(k => k.Scope == "write");
        var (status, created, text) = await SendAsync(HttpMethod.Post, $"{V}/sobjects/Contact", writer.Secret, new { FirstName = "Nina", LastName = "Newhire", AccountId = UpgradeCo.Records["Account"][0] });
        Assert.True(status == HttpStatusCode.Created, text);
        string contact = created.Str("id");
        var record = await OkAsync($"{V}/sobjects/Contact/{contact}", UpgradeCo.Admin);
        Assert.Equal((UpgradeCo.UserId, UpgradeCo.UserId), (record.Str("OwnerId"), record.Str("CreatedById")));

        var next = Assert.Single(await ChangesAsync(UpgradeCo.Admin, $"?since={UpgradeCo.Changes}"));
        Assert.Equal((UpgradeCo.Changes + 1L, "created", contact, writer.Id), (next.GetProperty("seq").GetInt64(), next.Str("operation"), next.Str("recordId"), next.Str("keyId")));
        AssertActor(UpgradeCo, next);

        // Users work on the upgraded org: a new user with a key writes as themself, and owns what they are given.
        var (userStatus, user, userText) = await SendAsync(HttpMethod.Post, "/api/users", UpgradeCo.Admin, new { email = "nina@upgrade.example", name = "Nina Newhire" });
        Assert.True(userStatus == HttpStatusCode.Created, userText);
        string nina = user.Str("Id");
        var (_, key, _) = await SendAsync(HttpMethod.Post, "/api/keys", UpgradeCo.Admin, new { scope = "write", user = nina });
        var (patched, _, patchText) = await SendAsync(HttpMethod.Patch, $"{V}/sobjects/Account/{UpgradeCo.Records["Account"][0]}", key.Str("api_key"), new { OwnerId = nina, Industry = "Energy" });
        Assert.True(patched == HttpStatusCode.NoContent, patchText);
        var account = await OkAsync($"{V}/sobjects/Account/{UpgradeCo.Records["Account"][0]}", UpgradeCo.Admin);
        Assert.Equal((nina, UpgradeCo.UserId, nina, "EMEA", "Energy"), (account.Str("OwnerId"), account.Str("CreatedById"), account.Str("LastModifiedById"), account.Str("Region__c"), account.Str("Industry")));

        var later = await ChangesAsync(UpgradeCo.Admin, $"?since={UpgradeCo.Changes + 1}");
        Assert.Equal([12L, 13L], later.Select(c => c.GetProperty("seq").GetInt64()));
        Assert.Equal(("User", nina, UpgradeCo.UserId), (later[0].Str("object"), later[0].Str("recordId"), later[0].GetProperty("actor").Str("Id")));
        Assert.Equal(("Account", nina, "Nina Newhire", key.Str("id")), (later[1].Str("object"), later[1].GetProperty("actor").Str("Id"), later[1].GetProperty("actor").Str("Name"), later[1].Str("keyId")));
        Assert.Equal(UpgradeCo.UserId, later[1].GetProperty("changes").GetProperty("OwnerId").Str("before"));

        // The other org's sequence is its own.
        var (otherStatus, _, _) = await SendAsync(HttpMethod.Post, $"{V}/sobjects/Contact", OtherCo.Admin, new { LastName = "Second" });
        Assert.Equal(HttpStatusCode.Created, otherStatus);
        Assert.Equal([1L, 2L], (await ChangesAsync(OtherCo.Admin)).Select(c => c.GetProperty("seq").GetInt64()));
    }
}
