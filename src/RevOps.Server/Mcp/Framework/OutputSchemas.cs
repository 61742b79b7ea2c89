using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Domain.Metadata;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// Tools' outputSchema, matching their structuredContent: a record of an object (its Id, other
/// fields and result notes such as possibleDuplicates allowed besides), a page of records, or at
/// least an object.
/// </summary>
public static class OutputSchemas
{
    public static JsonElement Object { get; } = Build(new JsonObject { ["type"] = "object" });

    public static JsonElement Record(ObjectMetadata obj) => Build(RecordNode(obj));

    /// <summary>{"totalSize", "count", "hasMore", "nextCursor"?, "records": [...]}; records typed when the object is known.</summary>
    public static JsonElement Page(ObjectMetadata? obj) => Build(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["totalSize"] = new JsonObject { ["type"] = "integer", ["description"] = "Every match, not just this page." },
            ["count"] = new JsonObject { ["type"] = "integer" },
            ["hasMore"] = new JsonObject { ["type"] = "boolean" },
            ["nextCursor"] = new JsonObject { ["type"] = "string", ["description"] = "Send back as cursor, with the same filters, for the next page." },
            ["records"] = new JsonObject { ["type"] = "array", ["items"] = obj is null ? new JsonObject { ["type"] = "object" } : RecordNode(obj) },
        },
        ["required"] = new JsonArray("totalSize", "count", "hasMore", "records"),
    });

    /// <summary>
    /// A record: its Id and, for the object, a pointer to describe_object for the rest. Listing every
    /// field's type here would double what tools/list costs an agent in tokens for what
    /// describe_object already answers on demand.
    /// </summary>
    static JsonObject RecordNode(ObjectMetadata obj) => new()
    {
        ["type"] = "object",
        ["description"] = $"{Capitalized(Domain.Rules.Suggestions.WithArticle(obj.Name))} by field API name (empty fields left out); describe_object lists its fields and types.",
        ["properties"] = new JsonObject { ["Id"] = new JsonObject { ["type"] = "string" } },
        ["additionalProperties"] = true,
    };

    static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    static JsonElement Build(JsonObject schema) => JsonSerializer.SerializeToElement(schema, ServerJson.Default.JsonObject);
}
