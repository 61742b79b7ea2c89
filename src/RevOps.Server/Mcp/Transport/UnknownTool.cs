using System.Text.Json;
using ModelContextProtocol.Server;

namespace RevOps.Server.Mcp.Transport;

/// <summary>A tools/call naming a tool the server does not have: its id, the name, and the answer (with the nearest tool's name).</summary>
public sealed record UnknownTool(JsonElement Id, string Name, string Message)
{
    /// <summary>
    /// The unknown call in a single JSON-RPC request, or null (another method, a known tool, a batch, or
    /// routing headers that disagree with the body: the SDK answers those with its header-mismatch error).
    /// </summary>
    public static UnknownTool? Of(JsonElement root, McpServerPrimitiveCollection<McpServerTool>? tools, IHeaderDictionary headers)
    {
        if (tools is null) return null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var id)
            || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || !method.ValueEquals("tools/call"u8)
            || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            return null;
        string name = nameElement.GetString()!;
        if (tools.TryGetPrimitive(name, out _)) return null;
        if (headers.TryGetValue("Mcp-Method", out var routedMethod) && routedMethod.ToString() != "tools/call") return null;
        if (headers.TryGetValue("Mcp-Name", out var routedName) && routedName.ToString() != name) return null;
        string? guess = Domain.Rules.Suggestions.Closest(name, tools.Select(t => t.ProtocolTool.Name));
        string hint = guess is null ? " tools/list names every tool." : $" Did you mean '{guess}'? tools/list names every tool.";
        return new UnknownTool(id.Clone(), name, $"Unknown tool: '{name}'.{hint}");
    }
}
