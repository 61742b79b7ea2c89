using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>/api/keys (rotation without the CLI), scope enforcement on REST and the admin APIs, expiry, and the audit log.</summary>
public sealed class KeyRotationAndAuditTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task Rotation_CreateNewBothWorkRevokeOld_OldRefusedOnNextRequest()
    {
        var tenant = await server.CreateTenantAsync("Rotation");
        var created = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, """{"scope":"admin"}""", requestId: "rotate-create-1");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string newKey = created.Body.Str("api_key"), newId = created.Body.Str("id");
        Assert.Matches("^revops_live_[0-9A-Za-z]{40}$", newKey);
        Assert.Equal(("admin", "active", tenant.TenantId), (created.Body.Str("scope"), created.Body.Str("status"), created.Body.Str("tenant_id")));
        Assert.Equal(newKey[..18], created.Body.Str("prefix"));
        Assert.Equal(JsonValueKind.Null, created.Body.GetProperty("expires_at").ValueKind);
        Assert.Equal("Store your API key securely - it will not be shown again.", created.Body.Str("message"));
        Assert.Equal("rotate-create-1", created.Headers.GetValues("X-Request-ID").Single());
        // With no user named, the new key acts as the calling key's user.
        Assert.Equal((tenant.UserId, "Integration User"), (created.Body.Str("user_id"), created.Body.Str("user_name")));

        // Both keys work while clients move over.
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", tenant.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", newKey)).Status);

        var revoked = await ApiClient.SendAsync(server, HttpMethod.Delete, $"/api/keys/{tenant.KeyId}", newKey, requestId: "rotate-revoke-1");
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal((tenant.KeyId, "revoked"), (revoked.Body.Str("id"), revoked.Body.Str("status")));

        // The very next request with the old key is refused, on every surface; the new key carries on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", tenant.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/keys", tenant.ApiKey)).Status);
        await Assert.ThrowsAnyAsync<Exception>(async () => await tenant.CallAsync("search_contacts"));
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", newKey)).Status);

        // Both keys' last use reaches the table with the next flush (never a write per request).
        var list = await ApiClient.GetAsync(server, "/api/keys", newKey);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); list.Body.GetProperty("keys").EnumerateArray().Any(k => k.GetProperty("last_used_at").ValueKind == JsonValueKind.Null);)
        {
            Assert.True(DateTime.UtcNow < deadline, list.Text);
            await Task.Delay(100, TestContext.Current.CancellationToken);
            list = await ApiClient.GetAsync(server, "/api/keys", newKey);
        }
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal([$"{tenant.KeyId} admin revoked {tenant.UserId}", $"{newId} admin active {tenant.UserId}"],
            list.Body.GetProperty("keys").EnumerateArray().Select(k => $"{k.Str("id")} {k.Str("scope")} {k.Str("status")} {k.Str("user_id")}"));
        Assert.DoesNotContain(newKey, list.Text);
        Assert.DoesNotContain("hash", list.Text);

        // Revoking again changes nothing and writes no second audit row. The audit names the acting user (both keys act as the first user).
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.SendAsync(server, HttpMethod.Delete, $"/api/keys/{tenant.KeyId}", newKey)).Status);
        var audit = await ApiClient.GetAsync(server, "/api/audit", newKey);
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        var entries = audit.Body.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(
            [$"3 key.revoke {tenant.KeyId} by {tenant.UserId} via api",
             $"2 key.create {newId} by {tenant.UserId} via api",
             $"1 tenant.create {tenant.TenantId} by operator via admin"],
            entries.Select(e => $"{e.GetProperty("seq").GetInt64()} {e.Str("action")} {e.Str("target")} by {e.Str("actor_id")} via {e.Str("channel")}"));
        Assert.Equal(["rotate-revoke-1", "rotate-create-1"], entries.Take(2).Select(e => e.Str("request_id")));
        // Who acted is the user; which key they came with is kept beside it (the new key revoked the old one, the old made the new).
        Assert.Equal([newId, tenant.KeyId, null], entries.Select(e => e.GetProperty("key_id").GetString()));
        Assert.Equal($$"""{"scope":"admin","prefix":"{{newKey[..18]}}","user_id":"{{tenant.UserId}}"}""", entries[1].GetProperty("details").GetRawText());
        Assert.Equal($$"""{"name":"Rotation","subscription_tier":"professional","first_key_id":"{{tenant.KeyId}}","first_user_id":"{{tenant.UserId}}"}""", entries[2].GetProperty("details").GetRawText());
        Assert.False(string.IsNullOrEmpty(entries[2].GetProperty("request_id").GetString()));
    }

    [Fact]
    public async Task ReadKey_CannotWriteOverRestNorManageKeysOrReadAudit()
    {
        var tenant = await server.CreateTenantAsync("Scopes Rest");
        string contactId = (await tenant.CallOkAsync("create_contact", new { LastName = "Kept" })).Str("Id");
        var read = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, """{"scope":"read"}""");
        var write = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, "");
        string readKey = read.Body.Str("api_key"), writeKey = write.Body.Str("api_key");
        Assert.Equal(("read", "write"), (read.Body.Str("scope"), write.Body.Str("scope")));

        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, $"/services/data/v60.0/sobjects/Contact/{contactId}", readKey)).Status);
        var create = await ApiClient.SendAsync(server, HttpMethod.Post, "/services/data/v60.0/sobjects/Contact", readKey, """{"LastName":"Sneaky"}""");
        var update = await ApiClient.SendAsync(server, new HttpMethod("PATCH"), $"/services/data/v60.0/sobjects/Contact/{contactId}", readKey, """{"LastName":"Changed"}""");
        var delete = await ApiClient.SendAsync(server, HttpMethod.Delete, $"/services/data/v60.0/sobjects/Contact/{contactId}", readKey);
        foreach (var refused in new[] { create, update, delete })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Equal("INSUFFICIENT_ACCESS", refused.Body[0].Str("errorCode"));
            Assert.Equal("This API key is read-only and cannot change Contact records. Use a key with the write scope.", refused.Body[0].Str("message"));
        }
        Assert.Equal("Kept", (await tenant.CallOkAsync("get_contact", new { Id = contactId })).Str("LastName"));
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts")).GetProperty("count").GetInt32());

        // Key management and the audit log need admin: write and read keys are refused alike.
        foreach (string key in new[] { readKey, writeKey })
        {
            var scope = key == readKey ? "read" : "write";
            var newKey = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", key, """{"scope":"admin"}""");
            Assert.Equal(HttpStatusCode.Forbidden, newKey.Status);
            Assert.Equal($"INSUFFICIENT_ACCESS: Creating API keys needs an API key with the admin scope; this key has the {scope} scope. Use the tenant's admin key.", newKey.Error());
            Assert.Equal(HttpStatusCode.Forbidden, (await ApiClient.GetAsync(server, "/api/keys", key)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await ApiClient.SendAsync(server, HttpMethod.Delete, $"/api/keys/{tenant.KeyId}", key)).Status);
            Assert.Equal(HttpStatusCode.Forbidden, (await ApiClient.GetAsync(server, "/api/audit", key)).Status);
            var define = await tenant.ConnectMcpAsync(key);
            await using (define)
            {
                var result = await define.CallToolAsync("define_custom_field", new Dictionary<string, object?> { ["object"] = "Contact", ["api_name"] = "Tier__c", ["type"] = "Text" },
                    cancellationToken: TestContext.Current.CancellationToken);
                Assert.StartsWith("INSUFFICIENT_ACCESS: ", Mcp.ErrorText(result));
            }
        }
        // The refused attempts changed nothing: both keys still work and only the two creations are audited besides the tenant.
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", readKey)).Status);
        var audit = await ApiClient.GetAsync(server, "/api/audit", tenant.ApiKey);
        Assert.Equal(["key.create", "key.create", "tenant.create"], audit.Body.GetProperty("entries").EnumerateArray().Select(e => e.Str("action")));
    }

    [Fact]
    public async Task KeysApi_BadRequestsAndOtherTenantsKeys_AreRefusedWithoutChange()
    {
        var acme = await server.CreateTenantAsync("Keys Acme");
        var globex = await server.CreateTenantAsync("Keys Globex");

        var foreign = await ApiClient.SendAsync(server, HttpMethod.Delete, $"/api/keys/{acme.KeyId}", globex.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal($"NOT_FOUND: no API key '{acme.KeyId}' in this org. List keys with GET /api/keys.", foreign.Error());
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, "/api/keys", acme.ApiKey)).Status);

        var past = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", acme.ApiKey, """{"scope":"read","expires_at":"2020-01-01T00:00:00Z"}""");
        Assert.Equal(HttpStatusCode.BadRequest, past.Status);
        Assert.Equal("INVALID_FIELD_VALUE", past.Body.Str("error"));
        Assert.StartsWith("expires_at 2020-01-01T00:00:00Z is not in the future; send a later UTC time, e.g. ", past.Body.Str("message"));

        var badScope = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", acme.ApiKey, """{"scope":"owner"}""");
        Assert.Equal("INVALID_FIELD_VALUE: scope \"owner\" is not read, write or admin.", badScope.Error());
        var extra = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", acme.ApiKey, """{"scope":"read","tenant_id":"x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, extra.Status);
        Assert.Equal("""'tenant_id' is not a key setting; send only scope, expires_at and user, e.g. {"scope": "read", "expires_at": "2027-01-01T00:00:00Z", "user": "sarah@acme.com"}.""", extra.Body.Str("message"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/keys", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiClient.GetAsync(server, "/api/audit", server.AdminToken)).Status);
        var keys = await ApiClient.GetAsync(server, "/api/keys", acme.ApiKey);
        Assert.Equal([acme.KeyId], keys.Body.GetProperty("keys").EnumerateArray().Select(k => k.Str("id")));
        var audit = await ApiClient.GetAsync(server, "/api/audit", globex.ApiKey);
        Assert.Equal(["tenant.create"], audit.Body.GetProperty("entries").EnumerateArray().Select(e => e.Str("action")));
    }

    [Fact]
    public async Task ExpiringKey_WorksUntilItsExpiryThenIsRefused()
    {
        var tenant = await server.CreateTenantAsync("Expiry");
        var expiresAt = DateTime.UtcNow.AddSeconds(2);
        var created = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey,
            $$"""{"scope":"read","expires_at":"{{expiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}}"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string key = created.Body.Str("api_key");
        Assert.Equal(HttpStatusCode.OK, (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", key)).Status);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        while ((status = (await ApiClient.GetAsync(server, "/services/data/v60.0/sobjects/Contact", key)).Status) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(DateTime.UtcNow >= expiresAt);
        var list = await ApiClient.GetAsync(server, "/api/keys", tenant.ApiKey);
        Assert.Equal(["active", "expired"], list.Body.GetProperty("keys").EnumerateArray().Select(k => k.Str("status")));
    }

    [Fact]
    public async Task Audit_FieldDefinedOverMcpAndKeysMadeByCli_CarryActorAndRequestId()
    {
        var tenant = await server.CreateTenantAsync("Audit Trail");
        await using (var client = await ModelContextProtocol.Client.McpClient.CreateAsync(new ModelContextProtocol.Client.HttpClientTransport(new()
        {
            Endpoint = server.McpUri,
            TransportMode = ModelContextProtocol.Client.HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {tenant.ApiKey}", ["X-Request-ID"] = "define-score-7" },
        }), cancellationToken: TestContext.Current.CancellationToken))
        {
            var defined = await client.CallToolAsync("define_custom_field", new Dictionary<string, object?> { ["object"] = "Lead", ["api_name"] = "Score__c", ["type"] = "Number", ["precision"] = 3, ["scale"] = 0 },
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(defined.IsError != true, Mcp.Text(defined));
        }
        var cli = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--scope", "read", "--data", server.DataDirectory);
        Assert.Equal(0, cli.ExitCode);
        string cliKeyId = JsonDocument.Parse(cli.StdOut).RootElement.Str("key_id");

        var audit = await ApiClient.GetAsync(server, "/api/audit?limit=2", tenant.ApiKey);
        var entries = audit.Body.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(
            [$"3 key.create {cliKeyId} by cli via cli in ", $"2 field.define Lead.Score__c by {tenant.UserId} via mcp in define-score-7"],
            entries.Select(e => $"{e.GetProperty("seq").GetInt64()} {e.Str("action")} {e.Str("target")} by {e.Str("actor_id")} via {e.Str("channel")} in {e.GetProperty("request_id").GetString()}"));
        Assert.Equal("""{"type":"Number","label":"Score","required":false,"unique":false,"external_id":false,"redefined":false}""", entries[1].GetProperty("details").GetRawText());
        Assert.Equal(2, audit.Body.GetProperty("next_before").GetInt64());
        var older = await ApiClient.GetAsync(server, "/api/audit?before=2", tenant.ApiKey);
        Assert.Equal(["tenant.create"], older.Body.GetProperty("entries").EnumerateArray().Select(e => e.Str("action")));
        Assert.False(older.Body.TryGetProperty("next_before", out _));

        var output = await Cli.RunAsync("audit", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.Equal(0, output.ExitCode);
        Assert.Matches($@"│\s*2\s*│.*│\s*{tenant.UserId}\s*│\s*mcp\s*│\s*field\.define\s*│\s*Lead\.Score__c\s*│.*│\s*define-score-7\s*│", output.StdOut);
        Assert.Matches($@"│\s*3\s*│.*│\s*cli\s*│\s*cli\s*│\s*key\.create\s*│\s*{cliKeyId}\s*│", output.StdOut);
        Assert.Matches(@"│\s*1\s*│.*│\s*operator\s*│\s*admin\s*│\s*tenant\.create\s*│", output.StdOut);
    }
}
