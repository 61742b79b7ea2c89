using System.Text.Json;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// The parameter shapes MCP requires that the SDK does not check before binding: params must be an
/// object, tools/call needs a string name and object arguments, initialize needs protocolVersion,
/// capabilities and clientInfo. The SDK answers such messages with an internal error (-32603) or a
/// 500; they are the client's mistake and get JSON-RPC's invalid params (-32602) instead.
/// </summary>
public static class JsonRpcShape
{
    /// <summary>The first protocol revision without the initialize handshake (stateless, per-request _meta).</summary>
    const string StatelessRevision = "2026-07-28";

    /// <summary>
    /// What is wrong with a single request's params, or null when the shape is fine (batches and other roots are left to the SDK).
    /// <paramref name="protocolVersion"/> is the request's MCP-Protocol-Version header: from 2026-07-28 on, initialize is a
    /// removed method, not a handshake with a wrong shape, and the SDK answers it (404, method not found).
    /// </summary>
    public static string? Problem(JsonElement root, string? protocolVersion = null)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String) return null;
        bool hasParams = root.TryGetProperty("params", out var parameters) && parameters.ValueKind != JsonValueKind.Null;
        if (hasParams && parameters.ValueKind != JsonValueKind.Object) return $"params must be an object; got {Kind(parameters)}.";
        if (method.ValueEquals("tools/call"u8))
        {
            if (!hasParams || !parameters.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                return "tools/call needs params.name, the tool's name as a string.";
            if (parameters.TryGetProperty("arguments", out var arguments) && arguments.ValueKind is not JsonValueKind.Object and not JsonValueKind.Null)
                return $"tools/call params.arguments must be an object of named arguments; got {Kind(arguments)}.";
            return null;
        }
        if (method.ValueEquals("initialize"u8) && (protocolVersion is null || string.CompareOrdinal(protocolVersion, StatelessRevision) < 0))
        {
            if (!hasParams || !parameters.TryGetProperty("protocolVersion", out var version) || version.ValueKind != JsonValueKind.String)
                return "initialize needs params.protocolVersion as a string, e.g. \"2025-06-18\".";
            if (!parameters.TryGetProperty("capabilities", out var capabilities) || capabilities.ValueKind != JsonValueKind.Object)
                return "initialize needs params.capabilities as an object (it may be empty).";
            if (!parameters.TryGetProperty("clientInfo", out var client) || client.ValueKind != JsonValueKind.Object
                || !client.TryGetProperty("name", out var clientName) || clientName.ValueKind != JsonValueKind.String
                || !client.TryGetProperty("version", out var clientVersion) || clientVersion.ValueKind != JsonValueKind.String)
                return "initialize needs params.clientInfo with a string name and version.";
            return null;
        }
        return null;
    }

    static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array", JsonValueKind.String => "a string", JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean", _ => element.ValueKind.ToString().ToLowerInvariant(),
    };
}
