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

    public static Command Create()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Tenant id (UUID) whose data the tools use, from the local database." };
        var remote = new Option<string?>("--remote") { Description = "URL of a RevOps server's MCP endpoint (e.g. https://crm.example.com/mcp) to bridge to instead of the local database." };
        var key = new Option<string?>("--key") { Description = "API key for --remote (env REVOPS_API_KEY)." };
        var data = CommonOptions.Data();
        var command = new Command("mcp", "Serve MCP over stdio for desktop clients: the local database (--tenant) or a remote server (--remote, --key). stdout carries protocol only.")
            { tenant, remote, key, data };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(remote) is { } remoteUrl)
            {
                if (result.GetValue(tenant) is not null) return CommonOptions.Fail("Give either --tenant (local database) or --remote (a server), not both.");
                if (!Uri.TryCreate(remoteUrl, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                    return CommonOptions.Fail($"--remote '{remoteUrl}' is not an http(s) URL; send the server's MCP endpoint, e.g. https://crm.example.com/mcp.");
                string? apiKey = result.GetValue(key) ?? Environment.GetEnvironmentVariable("REVOPS_API_KEY");
                if (string.IsNullOrWhiteSpace(apiKey)) return CommonOptions.Fail("--remote needs an API key: --key revops_live_… or REVOPS_API_KEY.");
                return await McpBridge.RunAsync(endpoint, apiKey, ct);
            }
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId))
                return CommonOptions.Fail(result.GetValue(tenant) is null ? "Give --tenant <uuid> for the local database, or --remote <url> --key <key> for a server." : $"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            var options = CommonOptions.Local(result, data);
            Caller? local;
            await using (var store = LocalStore.Open(options))
            {
                if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
                // Whoever runs the server at the machine acts as the org's oldest active admin.
                local = await store.Users.LocalCallerAsync(tenantId, Scopes.Read | Scopes.Write | Scopes.Admin, CallerResolver.McpChannel, ct);
                if (local is null) return CommonOptions.Fail($"tenant '{tenantId}' has no active user; create one with `revops user create --tenant {tenantId} --email … --name … --admin`.");
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddRevOpsCore(options);
            builder.Services.AddSingleton(new LocalCaller(local));
            builder.Services.AddMcpServer(mcp => mcp.Capabilities = new() { Tools = new() { ListChanged = true } })
                .WithStdioServerTransport().WithRevOpsMcp();
            builder.Services.AddHostedService<RevOps.Server.Mcp.Transport.ToolListChanges>();
            await builder.Build().RunAsync(ct);
            return 0;
        });
        return command;
    }
}
