using ModelContextProtocol.Server;
using RevOps.Server.Mcp.Framework;
using RevOps.Server.Mcp.Tools;
using RevOps.Server.Mcp.Transport;

namespace RevOps.Server.Mcp;

/// <summary>
/// The MCP adapter's entry point: what every RevOps MCP server (HTTP or stdio) installs on top of
/// the SDK. The tools themselves come from <see cref="ToolCatalog"/>, registered with the core services.
/// </summary>
public static class RevOpsMcp
{
    /// <summary>Installs the resources, the prompts, cancellation, the per-call tool pipeline and the per-caller tools/list.</summary>
    public static IMcpServerBuilder WithRevOpsMcp(this IMcpServerBuilder builder)
    {
        builder.Services.AddSingleton<DirectToolCalls>();
        builder.WithCrmResources().WithCrmPrompts().WithCancellableCalls().WithToolCallPipeline();
        return builder.WithRequestFilters(filters => filters.AddListToolsFilter(TenantToolList.Filter));
    }
}
