using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Server.Admin;
using RevOps.Server.Auth;
using RevOps.Server.Changes;
using RevOps.Server.Mcp;
using RevOps.Server.Mcp.Conformance;
using RevOps.Server.SalesforceApi;

namespace RevOps.Server.Hosting;

/// <summary>The composition root of `revops serve`: services, auth, /health, /tools, /tenants and MCP at /mcp.</summary>
public static class RevOpsServer
{
    public static WebApplication Build(RevOpsOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var admin = AdminTokenFile.Resolve(options.AdminToken, options.DataDirectory);
        builder.Services.AddSingleton(admin);
        builder.Services.AddSingleton(new AdminToken(admin.Token));
        builder.Services.AddRevOpsCore(options);
        builder.Services.AddRevOpsAuthentication(options.Jwt);
        builder.Services.AddAuthorization();
        builder.Services.AddHttpContextAccessor();
        var mcp = builder.Services.AddMcpServer()
            .WithHttpTransport(transport => transport.Stateless = true)
            .WithRevOpsMcp();
        if (options.ConformanceFixtures) mcp.WithConformanceFixtures();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRequestIds();
        app.UseSalesforcePaths();
        app.UseRouting();
        app.UseSalesforceErrorBodies();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSalesforceMetering();

        app.MapGet("/health", () => TypedResults.Text("{\"status\":\"ok\"}", "application/json"));
        app.MapGet("/tools", (ToolCatalog catalog) => TypedResults.Json(new ListToolsResult { Tools = catalog.Tools.Select(t => t.ProtocolTool).ToList() },
            ModelContextProtocol.McpJsonUtilities.DefaultOptions));
        app.MapTenantsApi();
        app.MapProtectedResourceMetadata();
        app.MapSalesforceApi();
        app.MapChangesApi();
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/mcp"), branch => branch.UseMiddleware<RebindingGuard>().UseMiddleware<JsonRpcParseGuard>().UseMiddleware<PlainJsonMcpMiddleware>());
        app.MapMcp("/mcp").RequireAuthorization();
        return app;
    }
}
