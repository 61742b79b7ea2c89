using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RevOps.Server.Hosting;

namespace RevOps.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (env ASPNETCORE_URLS; default {RevOpsOptions.DefaultUrls})." };
        var data = CommonOptions.Data();
        var adminToken = new Option<string?>("--admin-token") { Description = "Operator token for POST /tenants (env REVOPS_ADMIN_TOKEN; generated into the data directory if absent)." };
        var dev = new Option<bool>("--dev") { Description = "Development mode: honour X-Tenant-ID instead of an API key (env REVOPS_DEV=1). Never in production." };
        var nodeId = new Option<int?>("--node-id") { Description = "This node's id (0-1048575) inside new record ids (env REVOPS_NODE_ID; random if absent)." };
        var allowedOrigins = new Option<string?>("--allowed-origins") { Description = "Browser origins allowed to call /mcp besides loopback and the server's own, comma-separated, or * (env REVOPS_ALLOWED_ORIGINS)." };
        var jwtIssuer = new Option<string?>("--jwt-issuer") { Description = "Accept JWTs from this issuer (exact iss) besides API keys (env REVOPS_JWT_ISSUER); needs --jwt-audience and keys." };
        var jwtAudience = new Option<string?>("--jwt-audience") { Description = "The aud value accepted JWTs must carry, e.g. https://crm.example.com/mcp (env REVOPS_JWT_AUDIENCE)." };
        var jwtJwks = new Option<string?>("--jwt-jwks") { Description = "JSON Web Key Set file with the issuer's public RS256/ES256 keys (env REVOPS_JWT_JWKS)." };
        var jwtSecretFile = new Option<string?>("--jwt-secret-file") { Description = "File holding the HS256 shared secret, 32+ bytes (env REVOPS_JWT_SECRET holds the secret itself)." };
        var allowedHosts = new Option<string?>("--allowed-hosts") { Description = "Host names /mcp answers to besides loopback, comma-separated, or * (env REVOPS_ALLOWED_HOSTS). Checked when listening only on loopback or when set." };
        var conformanceFixtures = new Option<bool>("--conformance-fixtures") { Description = "Also serve the MCP conformance suite's fixture tools, resources and prompts (env REVOPS_CONFORMANCE_FIXTURES=1). Tests only." };
        var allowPrivateWebhooks = new Option<bool>("--allow-private-webhooks") { Description = "Let webhooks reach loopback, private, link-local and unique-local addresses, over http too (env REVOPS_ALLOW_PRIVATE_WEBHOOKS=1). Development and tests." };
        var recycleDays = new Option<int?>("--recycle-bin-days") { Description = "Days a deleted record stays restorable before it is purged (env REVOPS_RECYCLE_BIN_DAYS; default 15)." };

        var command = new Command("serve", "Run the CRM server: MCP at /mcp, /health, /tools, POST /tenants.") { urls, data, adminToken, dev, nodeId, allowedOrigins, allowedHosts, conformanceFixtures, allowPrivateWebhooks, recycleDays, jwtIssuer, jwtAudience, jwtJwks, jwtSecretFile };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(jwtSecretFile) is { } secretFile && !File.Exists(secretFile))
                return CommonOptions.Fail($"--jwt-secret-file '{secretFile}' does not exist.");
            var jwt = JwtSettings(result.GetValue(jwtIssuer), result.GetValue(jwtAudience), result.GetValue(jwtJwks), result.GetValue(jwtSecretFile));
            if (jwt?.Problem() is { } jwtProblem) return CommonOptions.Fail(jwtProblem);
            var options = new RevOpsOptions
            {
                Urls = result.GetValue(urls) ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? RevOpsOptions.DefaultUrls,
                DataDirectory = CommonOptions.DataDirectory(result, data),
                AdminToken = result.GetValue(adminToken) ?? Environment.GetEnvironmentVariable("REVOPS_ADMIN_TOKEN"),
                Dev = result.GetValue(dev) || CommonOptions.EnvFlag("REVOPS_DEV"),
                NodeId = result.GetValue(nodeId) ?? (int.TryParse(Environment.GetEnvironmentVariable("REVOPS_NODE_ID"), out int n) ? n : null),
                AllowedOrigins = (result.GetValue(allowedOrigins) ?? Environment.GetEnvironmentVariable("REVOPS_ALLOWED_ORIGINS") ?? "")
                    .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Jwt = jwt,
                AllowedHosts = (result.GetValue(allowedHosts) ?? Environment.GetEnvironmentVariable("REVOPS_ALLOWED_HOSTS") ?? "")
                    .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                ConformanceFixtures = result.GetValue(conformanceFixtures) || CommonOptions.EnvFlag("REVOPS_CONFORMANCE_FIXTURES"),
                Webhooks = WebhookOptions.FromEnvironment(result.GetValue(allowPrivateWebhooks)),
                RecycleBinDays = result.GetValue(recycleDays)
                    ?? (int.TryParse(Environment.GetEnvironmentVariable("REVOPS_RECYCLE_BIN_DAYS"), out int d) ? d : Domain.Writes.RecycleBin.DefaultRetentionDays),
            };
            if (options.RecycleBinDays is < 1 or > 3650) return CommonOptions.Fail($"--recycle-bin-days must be 1 to 3650; {options.RecycleBinDays} was given.");
            var app = RevOpsServer.Build(options);
            var admin = app.Services.GetRequiredService<AdminTokenFile.Resolved>();
            if (admin.Generated)
                Console.WriteLine($"Generated admin token (saved to {admin.Path}, owner-only; shown only now): {admin.Token}");
            await app.StartAsync(ct);
            Console.WriteLine($"RevOps listening on {string.Join(", ", app.Urls)} (MCP at /mcp); data in {Path.GetFullPath(options.DatabasePath)}{(options.Dev ? "; DEV MODE: X-Tenant-ID accepted" : "")}{(options.ConformanceFixtures ? "; MCP conformance fixtures served" : "")}{(options.Webhooks.AllowPrivateTargets ? "; webhooks may reach private addresses" : "")}");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    static Server.Auth.JwtIssuer? JwtSettings(string? issuer, string? audience, string? jwks, string? secretFile)
    {
        issuer ??= Environment.GetEnvironmentVariable("REVOPS_JWT_ISSUER");
        if (string.IsNullOrEmpty(issuer)) return null;
        string? secret = secretFile is not null
            ? File.ReadAllText(secretFile).Trim()
            : Environment.GetEnvironmentVariable("REVOPS_JWT_SECRET");
        return new Server.Auth.JwtIssuer(issuer, audience ?? Environment.GetEnvironmentVariable("REVOPS_JWT_AUDIENCE") ?? "",
            string.IsNullOrEmpty(secret) ? null : secret, jwks ?? Environment.GetEnvironmentVariable("REVOPS_JWT_JWKS"));
    }
}
