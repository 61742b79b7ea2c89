using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// Tools' outputSchema: an object. Every answer is a JSON object (its text and structuredContent
/// carry the same JSON) and the tool's description says what is in it; a full schema per tool
/// doubled what tools/list costs an agent for shapes the answers themselves show.
/// </summary>
public static class OutputSchemas
{
    public static JsonElement Object { get; } = JsonSerializer.SerializeToElement(new JsonObject { ["type"] = "object" }, ServerJson.Default.JsonObject);
}
