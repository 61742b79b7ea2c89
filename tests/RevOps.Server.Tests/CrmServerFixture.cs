using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Server.Hosting;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Tests;

/// <summary>The real server on a loopback port over a real SQLite file in a temp folder, or a fresh PostgreSQL database (see <see cref="TestDatabase"/>).</summary>
public sealed class CrmServerFixture : IAsyncLifetime
{
    WebApplication? _app;
    readonly bool _conformanceFixtures;
    readonly WebhookSettings _webhooks;
    /// <summary>Semantic search on: only SemanticServerFixture, so one server per test run embeds (the model is shared in-process).</summary>
    readonly bool _semantic;

    public CrmServerFixture() : this(conformanceFixtures: false) { }

    /// <summary>A server that also serves the MCP conformance suite's fixtures (revops serve --conformance-fixtures), or delivers webhooks as <paramref name="webhooks"/> says.</summary>
    internal CrmServerFixture(bool conformanceFixtures, WebhookSettings? webhooks = null, bool semantic = false)
    {
        _semantic = semantic;
        _conformanceFixtures = conformanceFixtures;
        _webhooks = webhooks ?? new WebhookSettings();
        Tokens = new TestTokenIssuer(DataDirectory + "-issuer");
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "revops-tests-" + Guid.NewGuid().ToString("N"));
    public string AdminToken { get; } = "test-admin-" + Guid.NewGuid().ToString("N");
    /// <summary>The PostgreSQL connection string this server runs on (revops serve --db), or null for SQLite.</summary>
    public string? Database { get; private set; }
    public Uri BaseUri { get; private set; } = null!;
    public HttpClient Http { get; } = new();
    /// <summary>
    /// Free tenants are held to 5 requests/s (bursts of 10) so the rate-limit tests run in moments; the
    /// other tiers are opened wide so suites that write hundreds of records from one tenant are not throttled.
    /// </summary>
    public static readonly RevOps.Server.Limits.TierLimits RateLimits =
        RevOps.Server.Limits.TierLimits.Parse("free=5/10,professional=100000/100000,enterprise=100000/100000").Limits!;

    /// <summary>The JWT issuer the server trusts besides API keys.</summary>
    public TestTokenIssuer Tokens { get; }

    /// <summary>The one browser origin the test server allows besides loopback and its own.</summary>
    public const string AllowedOrigin = "https://app.example.com";

    /// <summary>The one Host name the test server answers to besides loopback names.</summary>
    public const string AllowedHost = "crm.example.com";

    public async ValueTask InitializeAsync() => await StartAsync();

    async Task StartAsync()
    {
        // Reuse the port after a restart so clients keep their address.
        string urls = BaseUri is null ? "http://127.0.0.1:0" : BaseUri.GetLeftPart(UriPartial.Authority);
        if (BaseUri is null)
        {
            // On PostgreSQL nothing else creates it, and tests keep files (price books, exports) there.
            Directory.CreateDirectory(DataDirectory);
            Database = await TestDatabase.CreateAsync(DataDirectory);
        }
        _app = RevOpsServer.Build(new RevOpsOptions
        {
            Urls = urls, DataDirectory = DataDirectory, Database = Database, AdminToken = AdminToken, AllowedOrigins = [AllowedOrigin], AllowedHosts = [AllowedHost],
            ConformanceFixtures = _conformanceFixtures, Jwt = Tokens.Settings, Webhooks = _webhooks, RateLimits = RateLimits,
            ChangeStreamHeartbeat = TimeSpan.FromSeconds(1), Semantic = _semantic,
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Stops the server (flushing what it holds in memory) and starts it again on the same file.</summary>
    public async Task RestartAsync()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        await StartAsync();
    }

    public Uri McpUri => new(BaseUri, "mcp");

    /// <summary>Environment for a `revops` process started on this server's data (REVOPS_DB when it runs on PostgreSQL).</summary>
    public Dictionary<string, string?> CliEnvironment => Database is null ? [] : new() { ["REVOPS_DB"] = Database };

    /// <summary>The running server's services, for tests that call a domain service directly.</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task<TestTenant> CreateTenantAsync(string name, string tier = "professional")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, "tenants"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["name"] = name, ["subscription_tier"] = tier }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new TestTenant(this, body.GetProperty("tenant_id").GetString()!, body.GetProperty("api_key").GetString()!, body.GetProperty("api_key_id").GetString()!,
            body.GetProperty("user_id").GetString()!, body.GetProperty("username").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Http.Dispose();
        Tokens.Dispose();
        await TestDatabase.DropAsync(Database);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        try { Directory.Delete(DataDirectory + "-issuer", recursive: true); } catch (IOException) { }
    }
}
