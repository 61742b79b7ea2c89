using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Server.Admin;
using RevOps.Server.Auth;
using RevOps.Server.Changes;
using RevOps.Server.Console;
using RevOps.Server.Cluster;
using RevOps.Server.Limits;
using RevOps.Server.Mcp;
using RevOps.Server.Mcp.Framework;
using RevOps.Server.Mcp.Transport;
using RevOps.Server.Observability;
using RevOps.Server.SalesforceApi;
using RevOps.Server.Usage;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Hosting;

/// <summary>The composition root of `revops serve`: services, auth, /health, /tools, /tenants and MCP at /mcp.</summary>
public static class RevOpsServer
{
    public static WebApplication Build(RevOpsOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        // No reload watch on the content root: the data directory usually sits under it, and every
        // WAL write would wake the watcher (7% of server CPU during writes). Settings are read once.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = Limits.OversizedBodies.HardCap(options.MaxRequestBytes));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Failed webhook attempts are recorded in the delivery log; a stack trace per attempt would flood the log during a receiver's outage.
        builder.Logging.AddFilter("System.Net.Http.HttpClient." + Webhooks.WebhookSender.ClientName, LogLevel.None);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // The SDK logs three Information lines per tools/call; the request metrics already count every call.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        if (options.JsonLogs) builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        builder.AddRevOpsTelemetry(options);

        var admin = AdminTokenFile.Resolve(options.AdminToken, options.DataDirectory);
        builder.Services.AddSingleton(admin);
        builder.Services.AddSingleton(new AdminToken(admin.Token));
        builder.Services.AddRevOpsCore(options);
        builder.Services.AddRevOpsAuthentication(options.Jwt);
        builder.Services.AddRevOpsConsole();
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton(options.RateLimits);
        builder.Services.AddSingleton<TenantRateLimiter>();
        builder.Services.AddRevOpsCluster(options.Redis, options.Storage);
        builder.Services.AddSingleton<DailyRequestCount>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Readiness>());
        builder.Services.AddHttpContextAccessor();
        var mcp = builder.Services.AddMcpServer()
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithRevOpsMcp();
        if (options.ConformanceFixtures) ConformanceFixturesAssembly.Install(mcp);
        configure?.Invoke(builder);

        var app = builder.Build();
        StartupTrace.Mark("host built");
        StartupWork.Begin(app.Services);
        app.UseRequestIds();
        app.UseBodyLimit(options.MaxRequestBytes);
        app.UseSalesforcePaths();
        app.UseRouting();
        app.UseSalesforceErrorBodies();
        // The framework's authentication and authorization, with a shortcut for a cached API key (same checks, same principal).
        app.UseRevOpsAuthentication(options.Jwt);
        app.UseRevOpsAuthorization();
        // Only JSON logs print scopes; text logs would pay for a scope per request and never show it.
        if (options.JsonLogs) app.UseRequestLogScope();
        app.UseTenantRateLimits();
        app.UseSalesforceMetering();

        app.MapGet("/health", () => TypedResults.Text("{\"status\":\"ok\"}", "application/json"));
        Readiness.MapReadiness(app);
        app.MapGet("/tools", (ToolCatalog catalog) => TypedResults.Json(new ListToolsResult { Tools = catalog.Tools.Select(t => t.ProtocolTool).Where(t => !Toolsets.Covered.ContainsKey(t.Name)).ToList() },
            ModelContextProtocol.McpJsonUtilities.DefaultOptions));
        app.MapTenantsApi();
        app.MapWebhooksApi();
        app.MapAutomationApi();
        Work.WorkApi.MapWorkApi(app);
        app.MapKeysApi();
        app.MapUsersApi();
        app.MapDuplicateRulesApi();
        app.MapCustomFieldsApi();
        app.MapVoiceIntegrationApi();
        app.MapAuditApi();
        app.MapUsageApi();
        app.MapProtectedResourceMetadata();
        app.MapSalesforceApi();
        app.MapChangesApi();
        Voice.VoiceWebhooksApi.MapVoiceWebhooksApi(app);
        Voice.VoiceCallsApi.MapVoiceCallsApi(app);
        Search.SearchApi.MapSearchApi(app);
        Forecasting.ForecastApi.MapForecastApi(app);
        app.MapConsole();
        // Late, so the thread pool has built the MeterProvider (StartupWork) while this thread mapped the rest.
        app.MapRevOpsMetrics();
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/mcp"), branch => branch.UseMiddleware<RebindingGuard>().UseMiddleware<JsonRpcParseGuard>().UseMiddleware<DirectToolCalls>().UseMiddleware<PlainJsonMcpMiddleware>()
            .UseMiddleware<RelaxedJsonMcpMiddleware>());
        app.MapMcp("/mcp").RequireAuthorization();
        StartupTrace.Mark("endpoints mapped");
        return app;
    }
}
