using System.Text.Json.Nodes;
using RevOps.Domain.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Issue 7 (b): every way of getting in without a valid credential is a 401 on MCP, REST, SOAP and
/// POST /tenants, and nothing it asked for happens (checked by snapshot and by the victim's row count).
/// </summary>
public sealed class AuthBypassTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task EveryBypassAttempt_Is401AndExecutesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var victim = await server.CreateTenantAsync("Auth victim");
        string contact = (await victim.CallOkAsync("create_contact", new { LastName = "Guarded", Email = "guarded@victim.test" })).Str("Id");
        Assert.True(TenantId.TryParse(victim.TenantId, out var tenantId));
        using var evil = new TestTokenIssuer(Path.Combine(server.DataDirectory, "evil-issuer"));
        var tenants = server.Services.GetRequiredService<TenantService>();
        var owner = (await server.Services.GetRequiredService<Domain.Users.UserService>().DefaultUserAsync(tenantId, ct))!;
        var revoked = (await tenants.CreateKeyAsync(tenantId, owner, Scopes.Read | Scopes.Write, null, Domain.Audit.AuditSource.Cli, ct)).Value;
        Assert.True((await tenants.RevokeKeyAsync(tenantId, revoked.Key.Id, Domain.Audit.AuditSource.Cli, ct)).IsOk);
        // Keys cannot be made already expired: this one lapses a second from now, before it is used below.
        var expired = (await tenants.CreateKeyAsync(tenantId, owner, Scopes.Read | Scopes.Write, DateTime.UtcNow.AddSeconds(1), Domain.Audit.AuditSource.Cli, ct)).Value;
        await Task.Delay(1100, ct);
        var http = new RawHttp(server);
        var before = StoreSnapshot.Take(server, victim.TenantId);

        (string Name, string? Authorization)[] credentials =
        [
            ("no credentials", null), ("Basic scheme", "Basic " + Convert.ToBase64String("user:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(victim.ApiKey)).ToArray())),
            ("Token scheme", "Token " + victim.ApiKey), ("key without a scheme", victim.ApiKey), ("empty bearer", "Bearer "), ("bearer of spaces", "Bearer    "),
            ("revoked key", "Bearer " + revoked.Secret), ("expired key", "Bearer " + expired.Secret), ("key with a changed last character", "Bearer " + victim.ApiKey[..^1] + (victim.ApiKey[^1] == 'a' ? 'b' : 'a')),
            ("key prefix only", "Bearer revops_live_"), ("admin token as API key", "Bearer " + server.AdminToken),
            ("JWT alg none", "Bearer " + TestTokenIssuer.Unsigned(victim.TenantId)),
            ("JWT for a tenant that does not exist", "Bearer " + server.Tokens.Mint(Guid.NewGuid().ToString())),
            ("JWT from another issuer", "Bearer " + server.Tokens.Mint(victim.TenantId, issuer: "https://evil.test")),
            ("JWT for another audience", "Bearer " + server.Tokens.Mint(victim.TenantId, audience: "https://other.test/mcp")),
            ("expired JWT", "Bearer " + server.Tokens.Mint(victim.TenantId, expires: DateTime.UtcNow.AddMinutes(-10), notBefore: DateTime.UtcNow.AddMinutes(-20))),
            ("JWT signed by an unknown key", "Bearer " + evil.Mint(victim.TenantId)),
            ("JWT with its payload swapped", "Bearer " + SwapPayload(server.Tokens.Mint(Guid.NewGuid().ToString()), TestTokenIssuer.Unsigned(victim.TenantId))),
        ];
        string mcpWrite = JsonRpc.CallTool("update_contact", new JsonObject { ["Id"] = contact, ["LastName"] = "Pwned" });
        var attempts = new List<(string Name, Func<string?, Task<RawResponse>> Send)>
        {
            ("MCP tools/call", a => Send(http, HttpMethod.Post, "/mcp", a, mcpWrite)),
            ("MCP tools/list", a => Send(http, HttpMethod.Post, "/mcp", a, JsonRpc.Request("tools/list", new JsonObject()))),
            ("REST PATCH", a => Send(http, HttpMethod.Patch, $"/services/data/v60.0/sobjects/Contact/{contact}", a, """{"LastName":"Pwned"}""")),
            ("REST query", a => Send(http, HttpMethod.Get, "/services/data/v60.0/query?q=SELECT+Id+FROM+Contact", a, null)),
            ("POST /tenants", a => Send(http, HttpMethod.Post, "/tenants", a, """{"name":"Evil"}""")),
        };

        var outcomes = new List<string>();
        foreach (var (name, authorization) in credentials)
            foreach (var (target, send) in attempts)
            {
                if (target == "POST /tenants" && name == "admin token as API key") continue; // the one credential that route accepts
                var response = await send(authorization);
                if (response.Status != 401) outcomes.Add($"{name} on {target}: {response.Status} {response.Body}");
            }

        // The header a development server honours, and a key in the query string, are no credentials here.
        var devHeader = await http.SendAsync(HttpMethod.Post, "/mcp", null, System.Text.Encoding.UTF8.GetBytes(mcpWrite), ct, h => h.Add("X-Tenant-ID", victim.TenantId));
        if (devHeader.Status != 401) outcomes.Add($"X-Tenant-ID: {devHeader.Status}");
        foreach (var query in new[] { "api_key", "access_token", "key", "token" })
        {
            var inQuery = await http.SendAsync(HttpMethod.Post, $"/mcp?{query}={victim.ApiKey}", null, mcpWrite, ct);
            if (inQuery.Status != 401) outcomes.Add($"key in ?{query}: {inQuery.Status}");
            var restQuery = await http.SendAsync(HttpMethod.Get, $"/services/data/v60.0/sobjects/Contact/{contact}?{query}={victim.ApiKey}", null, (string?)null, ct);
            if (restQuery.Status != 401) outcomes.Add($"key in REST ?{query}: {restQuery.Status}");
        }
        // An API key is not the operator's token: it cannot create tenants.
        var keyAsAdmin = await http.SendAsync(HttpMethod.Post, "/tenants", victim.ApiKey, """{"name":"Evil"}""", ct);
        if (keyAsAdmin.Status != 401) outcomes.Add($"API key on POST /tenants: {keyAsAdmin.Status}");
        // SOAP carries its session in the envelope: a revoked or expired key there is refused too.
        foreach (var (name, session) in new[] { ("revoked", revoked.Secret), ("expired", expired.Secret), ("admin token", server.AdminToken), ("empty", "") })
        {
            var soap = await http.SendAsync(HttpMethod.Post, "/services/Soap/u/60.0", null, SoapEnvelope.ConvertLead(session, "00Q000000000001AAA"), ct);
            if (!soap.Body.Contains("INVALID_SESSION_ID", StringComparison.Ordinal)) outcomes.Add($"SOAP {name} session: {soap.Status} {soap.Body}");
        }

        Assert.Empty(outcomes);
        var after = StoreSnapshot.Take(server, victim.TenantId);
        Assert.Equal(before.VictimHash, after.VictimHash);
        Assert.Empty(after.ChangedSince(before));
        Assert.Equal("Guarded", (await victim.CallOkAsync("get_contact", new { Id = contact })).Str("LastName"));
        TestContext.Current.TestOutputHelper!.WriteLine($"auth bypass: {credentials.Length} credentials x {attempts.Count} targets + header, query and SOAP attempts: all refused, 0 state changes");

        Task<RawResponse> Send(RawHttp raw, HttpMethod method, string path, string? authorization, string? body) =>
            raw.SendAsync(method, path, null, body is null ? null : System.Text.Encoding.UTF8.GetBytes(body), ct,
                h => { if (authorization is not null) h.TryAddWithoutValidation("Authorization", authorization); });
    }

    /// <summary>A signed token's header and signature around another token's payload: the signature no longer matches.</summary>
    static string SwapPayload(string signed, string unsigned) => signed.Split('.')[0] + "." + unsigned.Split('.')[1] + "." + signed.Split('.')[2];
}
