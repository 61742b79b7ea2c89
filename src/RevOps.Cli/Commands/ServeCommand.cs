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

        var command = new Command("serve", "Run the CRM server: MCP at /mcp, /health, /tools, POST /tenants.") { urls, data, adminToken, dev, nodeId };
        command.SetAction(async (result, ct) =>
        {
            var options = new RevOpsOptions
            {
                Urls = result.GetValue(urls) ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? RevOpsOptions.DefaultUrls,
                DataDirectory = CommonOptions.DataDirectory(result, data),
                AdminToken = result.GetValue(adminToken) ?? Environment.GetEnvironmentVariable("REVOPS_ADMIN_TOKEN"),
                Dev = result.GetValue(dev) || CommonOptions.EnvFlag("REVOPS_DEV"),
                NodeId = result.GetValue(nodeId) ?? (int.TryParse(Environment.GetEnvironmentVariable("REVOPS_NODE_ID"), out int n) ? n : null),
            };
            var app = RevOpsServer.Build(options);
            var admin = app.Services.GetRequiredService<AdminTokenFile.Resolved>();
            if (admin.Generated)
                Console.WriteLine($"Generated admin token (saved to {admin.Path}, owner-only; shown only now): {admin.Token}");
            await app.StartAsync(ct);
            Console.WriteLine($"RevOps listening on {string.Join(", ", app.Urls)} (MCP at /mcp); data in {Path.GetFullPath(options.DatabasePath)}{(options.Dev ? "; DEV MODE: X-Tenant-ID accepted" : "")}");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
