using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using RevOps.Server.Hosting;

namespace RevOps.Cli.Commands;

/// <summary>
/// `revops mcp --remote URL --key KEY`: a stdio MCP server for desktop clients that only speak
/// stdio, passing tools/list and tools/call to a remote RevOps server over Streamable HTTP with
/// the API key. The remote server keeps every rule: scopes, tenant, validation, metering.
/// </summary>
internal static class McpBridge
{
    public static async Task<int> RunAsync(Uri remote, string apiKey, CancellationToken ct)
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = remote,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {apiKey}" },
            Name = "revops-remote",
        }), new McpClientOptions { ClientInfo = new Implementation { Name = "revops-stdio-bridge", Version = ServerVersion.Current } }, cancellationToken: ct);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "revops", Title = "RevOps CRM (remote)", Version = ServerVersion.Current };
                options.ServerInstructions = client.ServerInstructions;
            })
            .WithStdioServerTransport()
            .WithListToolsHandler(async (request, token) =>
                new ListToolsResult { Tools = (await client.ListToolsAsync(cancellationToken: token)).Select(t => t.ProtocolTool).ToList() })
            .WithCallToolHandler(async (request, token) =>
            {
                var arguments = request.Params?.Arguments?.ToDictionary(a => a.Key, a => (object?)a.Value) ?? new Dictionary<string, object?>();
                return await client.CallToolAsync(request.Params?.Name ?? "", arguments, cancellationToken: token);
            });
        await builder.Build().RunAsync(ct);
        return 0;
    }
}
