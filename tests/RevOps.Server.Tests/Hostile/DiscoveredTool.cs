using System.Text.Json;

namespace RevOps.Server.Tests.Hostile;

/// <summary>One parameter of a tool as its inputSchema declares it.</summary>
public sealed record ToolParameter(string Name, string Type, string? ItemType, IReadOnlyList<string> Allowed, bool Required)
{
    /// <summary>Parameters that name a record by Id, so a cross-tenant probe puts another tenant's Ids there.</summary>
    public bool TakesIds => Type is "string" or "array" && (ItemType is null or "string")
        && (Name.EndsWith("Id", StringComparison.Ordinal) || Name.EndsWith("Ids", StringComparison.Ordinal) || Name.EndsWith("_id", StringComparison.Ordinal)
            || Name.EndsWith("_ids", StringComparison.Ordinal) || Name is "id" or "ids" or "Id" or "Ids" or "record" or "records");
}

/// <summary>A tool as tools/list describes it: its name, whether it only reads, and its parameters.</summary>
public sealed record DiscoveredTool(string Name, bool ReadOnly, IReadOnlyList<ToolParameter> Parameters, JsonElement InputSchema)
{
    public static IReadOnlyList<DiscoveredTool> FromListResult(JsonElement result) =>
        result.GetProperty("tools").EnumerateArray().Select(Parse).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    static DiscoveredTool Parse(JsonElement tool)
    {
        var schema = tool.GetProperty("inputSchema").Clone();
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
        var parameters = new List<ToolParameter>();
        if (schema.TryGetProperty("properties", out var properties))
            foreach (var property in properties.EnumerateObject())
                parameters.Add(new ToolParameter(property.Name, TypeOf(property.Value), property.Value.TryGetProperty("items", out var items) ? TypeOf(items) : null,
                    property.Value.TryGetProperty("enum", out var allowed) ? allowed.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList() : [],
                    required.Contains(property.Name)));
        bool readOnly = tool.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("readOnlyHint", out var hint) && hint.ValueKind == JsonValueKind.True;
        return new DiscoveredTool(tool.GetProperty("name").GetString()!, readOnly, parameters, schema);
    }

    /// <summary>The first non-null JSON type a schema allows ("string" for ["string","null"]); "any" when it names none.</summary>
    static string TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type)) return schema.TryGetProperty("enum", out _) ? "string" : "any";
        if (type.ValueKind == JsonValueKind.String) return type.GetString()!;
        return type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "any";
    }
}
