using ModelContextProtocol.Server;

namespace RevOps.Server.Mcp.Framework;

/// <summary>Every tool of every area, in a stable order.</summary>
public sealed class ToolCatalog
{
    public ToolCatalog(IEnumerable<IToolArea> areas)
    {
        Tools = areas.SelectMany(a => a.Tools()).ToArray();
        foreach (var tool in Tools) Collection.Add(tool);
        // Built by the first MCP request or GET /tools, not at start (StartupWork, CoreServices): the trace shows when.
        Hosting.StartupTrace.Mark("tool catalog built");
    }

    public IReadOnlyList<CrmTool> Tools { get; }

    /// <summary>
    /// The tools as the SDK holds them, built once: a stateless server configures fresh options for
    /// every request, and filling a new collection each time was a measurable share of a call.
    /// </summary>
    public McpServerPrimitiveCollection<McpServerTool> Collection { get; } = [];
}
