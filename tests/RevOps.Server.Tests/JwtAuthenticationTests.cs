using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// JWTs from the configured issuer work like API keys on MCP and REST (tenant and scopes from
/// claims, the acting user from sub, a Username), and every way a token can be wrong is a 401 that says which way, changing nothing.
/// </summary>
public sealed class JwtAuthenticationTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    TestTokenIssuer Tokens => server.Tokens;

    async Task<HttpResponseMessage> PostMcpAsync(string token, string method, string paramsJson = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{paramsJson}}}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        return await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>A user of the tenant made with its admin key (POST /api/users): its Id and its Username, which a token's sub names.</summary>
    async Task<(string Id, string Username)> CreateUserAsync(TestTenant tenant, string email, string name, bool admin = false)
    {
        var reply = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/users", tenant.ApiKey,
            JsonSerializer.Serialize(new { email, name, admin }));
        Assert.True(reply.Status == HttpStatusCode.Created, reply.Text);
        Assert.Equal((email, name, admin), (reply.Body.Str("Email"), reply.Body.Str("Name"), reply.Body.GetProperty("is_admin").GetBoolean()));
        return (reply.Body.Str("Id"), reply.Body.Str("Username"));
    }

    [Fact]
    public async Task Hs256Token_WritesAsItsSubject_AndReadsBackOverRest()
    {
        var tenant = await server.CreateTenantAsync("JWT HS256");
        var (userId, username) = await CreateUserAsync(tenant, "ops-bot@jwt-hs256.test", "Ops Bot");
        Assert.Equal("ops-bot@jwt-hs256.test", username);
        Assert.Matches("^005[0-9A-Za-z]{15}$", userId);
        string token = Tokens.Mint(tenant.TenantId, scope: "write", subject: username);
        await using var client = await Mcp.ConnectAsync(server.McpUri, token);
        var created = await client.CallToolAsync("create_contact", Mcp.Arguments(new { LastName = "Token", Email = "token@example.com" }), cancellationToken: TestContext.Current.CancellationToken);
        string id = Mcp.Structured(created).Str("Id");

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, $"services/data/v64.0/sobjects/Contact/{id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("token@example.com", record.Str("Email"));
        // The token acts as the user its sub names: it created, last modified and owns the record.
        Assert.Equal((userId, userId, userId), (record.Str("CreatedById"), record.Str("LastModifiedById"), record.Str("OwnerId")));
        // The API key of the same tenant sees the record the token wrote, and the log names the user and no key.
        Assert.Equal("Token", (await tenant.CallOkAsync("get_contact", new { Id = id })).Str("LastName"));
        var history = Assert.Single((await tenant.CallOkAsync("get_record_history", new { Id = id })).GetProperty("versions").EnumerateArray());
        Assert.Equal((userId, "Ops Bot", JsonValueKind.Null),
            (history.GetProperty("actor").Str("Id"), history.GetProperty("actor").Str("Name"), history.GetProperty("keyId").ValueKind));
    }

    [Fact]
    public async Task TokenWhoseSubjectIsNoActiveUserOfTheTenant_Is401_SayingSo_AndChangesNothing()
    {
        var tenant = await server.CreateTenantAsync("JWT no such user");
        var other = await server.CreateTenantAsync("JWT other org");
        var (userId, username) = await CreateUserAsync(tenant, "leaver@jwt-subject.test", "Lea Ver");

        async Task RefusedAsync(string token, string subject)
        {
            using var response = await PostMcpAsync(token, "tools/call", "{\"name\":\"create_contact\",\"arguments\":{\"LastName\":\"Intruder\"}}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(("unauthorized",
                $"The bearer token was refused: the token's subject (sub) '{subject}' is not the Username of an active user of this tenant; create the user (revops user create --email …) or send a token whose sub is a user's Username."),
                (body.Str("error"), body.Str("message")));
        }

        // A subject that is nobody's Username, another org's user, and a user who was deactivated.
        await RefusedAsync(Tokens.Mint(tenant.TenantId, subject: "agent@example.com"), "agent@example.com");
        await RefusedAsync(Tokens.Mint(other.TenantId, subject: username), username);
        var deactivated = await ApiClient.SendAsync(server, HttpMethod.Post, $"/api/users/{userId}/deactivate", tenant.ApiKey);
        Assert.True(deactivated.Status == HttpStatusCode.OK, deactivated.Text);
        await RefusedAsync(Tokens.Mint(tenant.TenantId, subject: username), username);

        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await other.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Rs256AndEs256TokensFromTheJwks_AreAccepted_ReadScopeSeesOnlyReadTools()
    {
        var tenant = await server.CreateTenantAsync("JWT JWKS");
        var (_, username) = await CreateUserAsync(tenant, "agent@jwt-jwks.test", "Jay Wks");
        await using var writer = await Mcp.ConnectAsync(server.McpUri, Tokens.Mint(tenant.TenantId, scope: "write", subject: username, signing: Tokens.Rs256));
        var writerTools = (await writer.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).ToList();
        Assert.Contains("create_contact", writerTools);

        await using var reader = await Mcp.ConnectAsync(server.McpUri, Tokens.Mint(tenant.TenantId, scope: "read", subject: username, signing: Tokens.Es256));
        var readerTools = (await reader.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name);
        Assert.Equal(ToolNames.Sorted(ToolNames.Read), ToolNames.Sorted(readerTools));
        var refused = await reader.CallToolAsync("create_contact", Mcp.Arguments(new { LastName = "Nope" }), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("read-only", Mcp.ErrorText(refused), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
    }

    public static TheoryData<string, string> BadTokens => new()
    {
        { "expired", "expired" },
        { "not-yet-valid", "not valid yet" },
        { "wrong-audience", "audience" },
        { "other-issuer", "issuer" },
        { "alg-none", "unsigned (alg: none)" },
        { "tampered", "signature" },
        { "wrong-secret", "signature" },
        { "unknown-tenant", "tenant does not exist" },
        { "no-scope", "scopes" },
        { "hs256-with-public-key", "signature" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task WrongTokens_Are401_SayWhy_AndChangeNothing(string kind, string reason)
    {
        var tenant = await server.CreateTenantAsync("JWT refused " + kind);
        var now = DateTime.UtcNow;
        string token = kind switch
        {
            "expired" => Tokens.Mint(tenant.TenantId, expires: now.AddMinutes(-5), notBefore: now.AddMinutes(-10)),
            "not-yet-valid" => Tokens.Mint(tenant.TenantId, notBefore: now.AddMinutes(5), expires: now.AddMinutes(10)),
            "wrong-audience" => Tokens.Mint(tenant.TenantId, audience: "https://other.test/mcp"),
            "other-issuer" => Tokens.Mint(tenant.TenantId, issuer: "https://evil.test"),
            "alg-none" => TestTokenIssuer.Unsigned(tenant.TenantId),
            "tampered" => Tamper(Tokens.Mint(tenant.TenantId, scope: "read")),
            "wrong-secret" => Tokens.Mint(tenant.TenantId, signing: new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(new string('k', 40))), "HS256")),
            "unknown-tenant" => Tokens.Mint(Guid.NewGuid().ToString()),
            "no-scope" => Tokens.Mint(tenant.TenantId, scope: "profile email"),
            // Algorithm confusion: the RSA public key (which anyone can read from the JWKS) used as an HMAC secret.
            "hs256-with-public-key" => Tokens.Mint(tenant.TenantId, signing: new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(Tokens.JwksFile))), "HS256")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var response = await PostMcpAsync(token, "tools/call", "{\"name\":\"create_contact\",\"arguments\":{\"LastName\":\"Intruder\"}}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(body.Contains(reason, StringComparison.OrdinalIgnoreCase), body);
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task TenantBsToken_CannotReadTenantAsRecord()
    {
        var a = await server.CreateTenantAsync("JWT tenant A");
        var b = await server.CreateTenantAsync("JWT tenant B");
        string id = (await a.CallOkAsync("create_contact", new { LastName = "Secret" })).Str("Id");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, $"services/data/v64.0/sobjects/Contact/{id}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(b.TenantId, scope: "admin", subject: b.Username));
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Secret", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ProtectedResourceMetadata_NamesTheIssuerAsAuthorizationServer()
    {
        using var response = await server.Http.GetAsync(new Uri(server.BaseUri, ".well-known/oauth-protected-resource"), TestContext.Current.CancellationToken);
        var metadata = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal([TestTokenIssuer.Issuer], metadata.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["read", "write", "admin"], metadata.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()));
    }

    static string Tamper(string token)
    {
        var parts = token.Split('.');
        string payload = System.Text.Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"read\"", "\"admin\"");
        return parts[0] + "." + Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload) + "." + parts[2];
    }
}

/// <summary>`revops serve` refuses a JWT configuration that could not verify tokens, saying what is missing.</summary>
public sealed class JwtServeOptionsTests
{
    [Theory]
    [InlineData("--jwt-audience", "https://crm.test/mcp", "needs keys")]
    [InlineData("--jwt-jwks", "/nonexistent/jwks.json", "audience is required")]
    [InlineData("--jwt-secret-file", "/nonexistent/secret", "does not exist")]
    public async Task IncompleteJwtSettings_StopServeWithTheReason(string flag, string value, string reason)
    {
        string data = Path.Combine(Path.GetTempPath(), "revops-jwt-cli-" + Guid.NewGuid().ToString("N"));
        var output = await Cli.RunAsync("serve", "--data", data, "--urls", "http://127.0.0.1:0", "--jwt-issuer", "https://issuer.test", flag, value);
        Assert.Equal(1, output.ExitCode);
        Assert.Contains(reason, output.StdErr + output.StdOut);
        Assert.False(File.Exists(Path.Combine(data, "revops.db")));
    }
}
