using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Hosting;
using RevOps.Server.Mcp;

namespace RevOps.Cli.Commands;

internal static class McpCommand
{
    /// <summary>Changes made through the local stdio server are attributed to this actor.</summary>
    const string LocalActor = "stdio";

    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID) whose data the tools use.", Required = true };
        var data = CommonOptions.Data();
        var command = new Command("mcp", "Serve the MCP tools over stdio against the local database (for Claude Desktop). stdout carries protocol only.") { tenant, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            var options = CommonOptions.Local(result, data);
            await using (var store = LocalStore.Open(options))
                if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {options.DatabasePath}.");

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddRevOpsCore(options);
            builder.Services.AddSingleton(new LocalCaller(new Caller(tenantId, LocalActor, Scopes.Read | Scopes.Write | Scopes.Admin, CallerResolver.McpChannel)));
            builder.Services.AddMcpServer().WithStdioServerTransport().WithTenantToolLists();
            await builder.Build().RunAsync(ct);
            return 0;
        });
        return command;
    }
}
