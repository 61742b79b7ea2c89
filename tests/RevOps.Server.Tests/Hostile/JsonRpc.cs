using System.Text.Json;
using System.Text.Json.Nodes;

namespace RevOps.Server.Tests.Hostile;

/// <summary>Builds JSON-RPC bodies for /mcp and tells a server fault from an answer to a bad request.</summary>
public static class JsonRpc
{
    public static string Request(string method, JsonNode? parameters, long id = 1) => new JsonObject
    {
        ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters?.DeepClone(),
    }.ToJsonString();

    public static string CallTool(string tool, JsonNode? arguments, long id = 1) =>
        Request("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments?.DeepClone() }, id);

    /// <summary>
    /// A fault of ours, whatever the status: a 5xx, JSON-RPC's internal error, Salesforce's
    /// UNKNOWN_EXCEPTION, or the SDK's generic text for an exception that escaped a tool.
    /// </summary>
    public static string? Fault(RawResponse response)
    {
        if (response.IsServerError) return $"HTTP {response.Status}";
        if (response.Body.Contains("UNKNOWN_EXCEPTION", StringComparison.Ordinal)) return "UNKNOWN_EXCEPTION";
        if (response.Body.Contains("An error occurred invoking", StringComparison.Ordinal)) return "tool threw an exception";
        if (response.Body.Contains("-32603", StringComparison.Ordinal) && ErrorCode(response.Body) == -32603) return "JSON-RPC -32603";
        return null;
    }

    /// <summary>The error.code of a single JSON-RPC response, or null.</summary>
    public static int? ErrorCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.TryGetProperty("code", out var code) && code.TryGetInt32(out int value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The result object of a successful JSON-RPC response.</summary>
    public static JsonElement Result(RawResponse response)
    {
        Assert.True(response.Status == 200, $"HTTP {response.Status}: {response.Body}");
        using var document = JsonDocument.Parse(response.Body);
        Assert.True(document.RootElement.TryGetProperty("result", out var result), response.Body);
        return result.Clone();
    }
}
