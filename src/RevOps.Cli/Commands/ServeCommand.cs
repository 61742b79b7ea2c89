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
        var redis = new Option<string?>("--redis") { Description = "Redis shared by the nodes of one deployment, e.g. localhost:6379 (env REVOPS_REDIS): rate limits counted across nodes, key revocations and schema changes seen on every node at once. The server keeps serving while Redis is down." };
        var nodeId = new Option<int?>("--node-id") { Description = "This node's id (0-1048575) inside new record ids (env REVOPS_NODE_ID; random if absent)." };
        var allowedOrigins = new Option<string?>("--allowed-origins") { Description = "Browser origins allowed to call /mcp besides loopback and the server's own, comma-separated, or * (env REVOPS_ALLOWED_ORIGINS)." };
        var jwtIssuer = new Option<string?>("--jwt-issuer") { Description = "Accept JWTs from this issuer (exact iss) besides API keys (env REVOPS_JWT_ISSUER); needs --jwt-audience and keys." };
        var jwtAudience = new Option<string?>("--jwt-audience") { Description = "The aud value accepted JWTs must carry, e.g. https://crm.example.com/mcp (env REVOPS_JWT_AUDIENCE)." };
        var jwtJwks = new Option<string?>("--jwt-jwks") { Description = "JSON Web Key Set file with the issuer's public RS256/ES256 keys (env REVOPS_JWT_JWKS)." };
        var jwtSecretFile = new Option<string?>("--jwt-secret-file") { Description = "File holding the HS256 shared secret, 32+ bytes (env REVOPS_JWT_SECRET holds the secret itself)." };
        var allowedHosts = new Option<string?>("--allowed-hosts") { Description = "Host names /mcp answers to besides loopback, comma-separated, or * (env REVOPS_ALLOWED_HOSTS). Checked when listening only on loopback or when set." };
        var conformanceFixtures = new Option<bool>("--conformance-fixtures") { Description = "Also serve the MCP conformance suite's fixture tools, resources and prompts (env REVOPS_CONFORMANCE_FIXTURES=1). Tests only." };
        var rateLimits = new Option<string?>("--rate-limits") { Description = "Requests per second and burst by tier, e.g. free=10/20,professional=100/200,enterprise=1000/2000 (env REVOPS_RATE_LIMITS; these are the defaults)." };
        var maxRequestBytes = new Option<long?>("--max-request-bytes") { Description = "Largest request body accepted; bigger ones get 413 (env REVOPS_MAX_REQUEST_BYTES; default 1048576)." };
        var otlpEndpoint = new Option<string?>("--otlp-endpoint") { Description = "Send traces over OTLP to this endpoint, e.g. http://localhost:4317 (env OTEL_EXPORTER_OTLP_ENDPOINT)." };
        var logFormat = new Option<string?>("--log-format") { Description = "text (default) or json: one JSON object per line with tenant, key and request ids (env REVOPS_LOG_FORMAT)." };
        var allowPrivateWebhooks = new Option<bool>("--allow-private-webhooks") { Description = "Let webhooks reach loopback, private, link-local and unique-local addresses, over http too (env REVOPS_ALLOW_PRIVATE_WEBHOOKS=1). Development and tests." };
        var priceBook = CommonOptions.PriceBook();
        var semantic = new Option<string?>("--semantic") { Description = "on (default) or off: semantic search, with records embedded in the background by a model shipped inside (env REVOPS_SEMANTIC)." };
        var publicUrl = new Option<string?>("--public-url") { Description = "The server's address as the outside sees it, e.g. https://crm.example.com behind a proxy (env REVOPS_PUBLIC_URL): voice webhooks check Twilio's signature against it." };
        var files = new Option<string?>("--files") { Description = "Folder for files' bytes (env REVOPS_FILES; default <data>/files). See docs/files.md." };
        var fileQuota = new Option<long?>("--file-quota") { Description = "Bytes of files each tenant may keep (env REVOPS_FILE_QUOTA; default 10737418240)." };
        var recycleDays = new Option<int?>("--recycle-bin-days") { Description = "Days a deleted record stays restorable before it is purged (env REVOPS_RECYCLE_BIN_DAYS; default 15)." };

        var command = new Command("serve", "Run the CRM server: MCP at /mcp, /health, /tools, POST /tenants.") { urls, data, adminToken, dev, redis, nodeId, allowedOrigins, allowedHosts, conformanceFixtures, allowPrivateWebhooks, semantic, recycleDays, files, fileQuota, rateLimits, maxRequestBytes, priceBook, otlpEndpoint, logFormat, jwtIssuer, jwtAudience, jwtJwks, jwtSecretFile, publicUrl };
        command.SetAction(async (result, ct) =>
        {
            StartupTrace.Mark("command line parsed");
            if (result.GetValue(jwtSecretFile) is { } secretFile && !File.Exists(secretFile))
                return CommonOptions.Fail($"--jwt-secret-file '{secretFile}' does not exist.");
            var jwt = JwtSettings(result.GetValue(jwtIssuer), result.GetValue(jwtAudience), result.GetValue(jwtJwks), result.GetValue(jwtSecretFile));
            if (jwt?.Problem() is { } jwtProblem) return CommonOptions.Fail(jwtProblem);
            var (limits, limitsProblem) = Server.Limits.TierLimits.Parse(result.GetValue(rateLimits) ?? Environment.GetEnvironmentVariable("REVOPS_RATE_LIMITS"));
            if (limits is null) return CommonOptions.Fail(limitsProblem!);
            var prices = CommonOptions.LoadPriceBook(result, priceBook);
            if (prices.Book is null) return CommonOptions.Fail(prices.Problem!);
            string? publicText = result.GetValue(publicUrl) ?? Environment.GetEnvironmentVariable("REVOPS_PUBLIC_URL");
            Uri? publicBase = null;
            if (!string.IsNullOrEmpty(publicText)
                && (!Uri.TryCreate(publicText, UriKind.Absolute, out publicBase) || publicBase.Scheme is not ("http" or "https") || publicBase.Query.Length > 0))
                return CommonOptions.Fail($"--public-url must be an absolute http(s) URL without a query, like https://crm.example.com; '{publicText}' was given.");
            var options = new RevOpsOptions
            {
                PublicUrl = publicBase,
                Urls = result.GetValue(urls) ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? RevOpsOptions.DefaultUrls,
                DataDirectory = CommonOptions.DataDirectory(result, data),
                Database = CommonOptions.DatabaseConnection(result),
                Redis = result.GetValue(redis) is { Length: > 0 } r ? r : Environment.GetEnvironmentVariable("REVOPS_REDIS") is { Length: > 0 } envRedis ? envRedis : null,
                AdminToken = result.GetValue(adminToken) ?? Environment.GetEnvironmentVariable("REVOPS_ADMIN_TOKEN"),
                Dev = result.GetValue(dev) || CommonOptions.EnvFlag("REVOPS_DEV"),
                NodeId = result.GetValue(nodeId) ?? (int.TryParse(Environment.GetEnvironmentVariable("REVOPS_NODE_ID"), out int n) ? n : null),
                AllowedOrigins = (result.GetValue(allowedOrigins) ?? Environment.GetEnvironmentVariable("REVOPS_ALLOWED_ORIGINS") ?? "")
                    .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Jwt = jwt,
                RateLimits = limits,
                PriceBook = prices.Book,
                OtlpEndpoint = result.GetValue(otlpEndpoint),
                JsonLogs = string.Equals(result.GetValue(logFormat) ?? Environment.GetEnvironmentVariable("REVOPS_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase),
                MaxRequestBytes = result.GetValue(maxRequestBytes)
                    ?? (long.TryParse(Environment.GetEnvironmentVariable("REVOPS_MAX_REQUEST_BYTES"), out long m) ? m : 1024 * 1024),
                AllowedHosts = (result.GetValue(allowedHosts) ?? Environment.GetEnvironmentVariable("REVOPS_ALLOWED_HOSTS") ?? "")
                    .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                ConformanceFixtures = result.GetValue(conformanceFixtures) || CommonOptions.EnvFlag("REVOPS_CONFORMANCE_FIXTURES"),
                Webhooks = WebhookOptions.FromEnvironment(result.GetValue(allowPrivateWebhooks)),
                Semantic = !string.Equals(result.GetValue(semantic) ?? Environment.GetEnvironmentVariable("REVOPS_SEMANTIC"), "off", StringComparison.OrdinalIgnoreCase),
                RecycleBinDays = result.GetValue(recycleDays)
                    ?? (int.TryParse(Environment.GetEnvironmentVariable("REVOPS_RECYCLE_BIN_DAYS"), out int d) ? d : Domain.Writes.RecycleBin.DefaultRetentionDays),
                FilesDirectory = result.GetValue(files) ?? (Environment.GetEnvironmentVariable("REVOPS_FILES") is { Length: > 0 } envFiles ? envFiles : null),
                FileQuotaBytes = result.GetValue(fileQuota)
                    ?? (long.TryParse(Environment.GetEnvironmentVariable("REVOPS_FILE_QUOTA"), out long q) ? q : Domain.Files.FileLimits.Default.TenantQuotaBytes),
            };
            if (await FilesProblemAsync(options.FilesDirectory, ct) is { } filesProblem) return CommonOptions.Fail(filesProblem);
            if (options.FileQuotaBytes < 0) return CommonOptions.Fail($"--file-quota must be 0 or more bytes; {options.FileQuotaBytes} was given.");
            if (options.Redis is { } redisConfiguration && Server.Cluster.RedisLink.Problem(redisConfiguration) is { } redisProblem) return CommonOptions.Fail(redisProblem);
            if (options.MaxRequestBytes is < 1024 or > 1024L * 1024 * 1024) return CommonOptions.Fail($"--max-request-bytes must be 1024 to 1073741824; {options.MaxRequestBytes} was given.");
            if (options.ConformanceFixtures && ConformanceFixturesAssembly.Problem() is { } fixturesProblem) return CommonOptions.Fail(fixturesProblem);
            if (options.RecycleBinDays is < 1 or > 3650) return CommonOptions.Fail($"--recycle-bin-days must be 1 to 3650; {options.RecycleBinDays} was given.");
            MallocArenas.Limit();
            var app = RevOpsServer.Build(options);
            var admin = app.Services.GetRequiredService<AdminTokenFile.Resolved>();
            if (admin.Generated)
                Console.WriteLine($"Generated admin token (saved to {admin.Path}, owner-only; shown only now): {admin.Token}");
            StartupTrace.Mark("app built");
            await app.StartAsync(ct);
            StartupTrace.Mark("listening");
            Console.WriteLine($"RevOps listening on {string.Join(", ", app.Urls)} (MCP at /mcp); data in {app.Services.GetRequiredService<Storage.StorageBackend>().Location}{(options.Redis is not null ? "; nodes share Redis" : "")}{(options.Dev ? "; DEV MODE: X-Tenant-ID accepted" : "")}{(options.ConformanceFixtures ? "; MCP conformance fixtures served" : "")}{(options.Webhooks.AllowPrivateTargets ? "; webhooks may reach private addresses" : "")}");
            Console.WriteLine($"Web console: {app.Urls.First().TrimEnd('/')}/ (people sign in as users of a tenant)");
            if (admin.Generated)
                Console.WriteLine("First time? One command makes a tenant and you its admin who can sign in: echo 'a long passphrase' | revops tenant create --name Acme --admin-email you@acme.com --admin-name \"Your Name\" --admin-password-stdin");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    /// <summary>Why <c>--files</c> cannot be used, checked before the server starts: a malformed s3:// URL, missing credentials, a bucket that does not answer.</summary>
    static async Task<string?> FilesProblemAsync(string? files, CancellationToken ct)
    {
        if (files is null) return null;
        if (!Storage.Files.S3Location.IsS3(files))
            return files.Contains("://", StringComparison.Ordinal)
                ? $"--files '{files}': give a local folder or an s3://bucket?endpoint=…&region=… URL (see docs/files.md)."
                : null;
        var (location, problem) = Storage.Files.S3Location.Parse(files);
        if (location is null) return problem;
        var (credentials, missing) = Storage.Files.S3Credentials.Resolve(Environment.GetEnvironmentVariable);
        if (credentials is null) return missing;
        using var store = new Storage.Files.S3FileBlobStore(location, credentials);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await store.ProblemAsync(timeout.Token);
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
