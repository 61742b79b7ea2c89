namespace RevOps.Server.Hosting;

/// <summary>Settings of one server process; the CLI fills them from flags, then REVOPS_* variables, then defaults.</summary>
public sealed record RevOpsOptions
{
    public const string DefaultUrls = "http://localhost:5080";
    public const string DatabaseFileName = "revops.db";

    public string Urls { get; init; } = DefaultUrls;
    public string DataDirectory { get; init; } = "./data";
    /// <summary>The operator's token for POST /tenants; generated and kept in the data directory when not given.</summary>
    public string? AdminToken { get; init; }
    /// <summary>Development mode: only then is X-Tenant-ID honoured.</summary>
    public bool Dev { get; init; }
    /// <summary>This node's part of new record ids; random when not given.</summary>
    public int? NodeId { get; init; }
    /// <summary>Browser origins, besides loopback and the server's own, allowed to call /mcp ("*" for any).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
    /// <summary>Host names, besides loopback, that /mcp answers to ("*" for any); see HostAllowList for when the check applies.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    /// <summary>
    /// The server's address as callers outside see it (e.g. https://crm.example.com behind a proxy): the URL Twilio signed a
    /// voice callback for is this base plus the request's path and query. Null: the request's own scheme and host.
    /// </summary>
    public Uri? PublicUrl { get; init; }
    /// <summary>Serve the MCP conformance suite's fixture tools, resources and prompts (test_simple_text, test://static-text, …); tests only.</summary>
    public bool ConformanceFixtures { get; init; }
    /// <summary>Days a deleted record stays restorable before it is purged.</summary>
    /// <summary>The token issuer whose signed JWTs are accepted besides API keys; none when null.</summary>
    public Auth.JwtIssuer? Jwt { get; init; }
    /// <summary>Request rates per subscription tier.</summary>
    public Limits.TierLimits RateLimits { get; init; } = Limits.TierLimits.Default;
    /// <summary>Largest request body accepted on any endpoint; bigger ones get 413.</summary>
    public long MaxRequestBytes { get; init; } = 1024 * 1024;
    /// <summary>Where to send traces over OTLP; none when null (OTEL_EXPORTER_OTLP_ENDPOINT also works).</summary>
    public string? OtlpEndpoint { get; init; }
    /// <summary>Log lines as JSON objects (with tenant, key and request ids) instead of text.</summary>
    public bool JsonLogs { get; init; }
    /// <summary>Prices for invoice previews (GET /api/usage, get_usage); the seed's $49/month + $0.10 per 1,000 requests by default.</summary>
    public Domain.Billing.PriceBook PriceBook { get; init; } = Domain.Billing.PriceBook.Default;
    public int RecycleBinDays { get; init; } = Domain.Writes.RecycleBin.DefaultRetentionDays;
    /// <summary>Webhook delivery: private targets allowed or not, retry schedule, timeouts.</summary>
    public Webhooks.WebhookSettings Webhooks { get; init; } = new();
    /// <summary>
    /// How long /api/changes/stream waits without news before it sends a heartbeat comment and
    /// re-reads the log (which also finds changes other nodes committed to a shared database).
    /// </summary>
    public TimeSpan ChangeStreamHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Semantic search (--semantic, REVOPS_SEMANTIC): every tenant's records embedded in the background and
    /// search_crm's semantic and hybrid modes. Off, search is keyword only and the model never loads.
    /// </summary>
    public bool Semantic { get; init; } = true;

    /// <summary>Memory the semantic search's in-memory vectors may hold across tenants (docs/search.md).</summary>
    public long SemanticCacheBytes { get; init; } = 1L << 30;

    /// <summary>The model semantic search embeds with; null for arctic-embed-xs. bench/semantic-eval sets it to compare models.</summary>
    public RevOps.Domain.Search.Semantic.ITextEmbedder? SemanticEmbedder { get; init; }

    /// <summary>A PostgreSQL connection string (--db, REVOPS_DB); null for the SQLite file in <see cref="DataDirectory"/>.</summary>
    public string? Database { get; init; }

    /// <summary>
    /// A Redis configuration string (--redis, REVOPS_REDIS), e.g. "localhost:6379", shared by every node of one
    /// deployment: rate limits are counted there and cache invalidations and change wake-ups travel through it.
    /// Null on a single node.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>Where files' bytes are kept (--files); null for the files folder of <see cref="DataDirectory"/> (docs/files.md).</summary>
    public string? FilesDirectory { get; init; }

    /// <summary>Bytes of files one tenant may keep (--file-quota); distinct blobs count once.</summary>
    public long FileQuotaBytes { get; init; } = Domain.Files.FileLimits.Default.TenantQuotaBytes;

    public string FilesPath => FilesDirectory ?? Path.Combine(DataDirectory, "files");

    public string DatabasePath => Path.Combine(DataDirectory, DatabaseFileName);

    /// <summary>Where the data lives: PostgreSQL when <see cref="Database"/> is set, else <see cref="DatabasePath"/>.</summary>
    public Storage.StorageLocation Storage => new(DatabasePath, Database);
}
