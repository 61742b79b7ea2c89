using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Domain.Metadata;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Framework;

/// <summary>Builds tool input schemas; record fields take their type, limits and allowed values from the metadata registry.</summary>
public sealed class ToolSchema
{
    readonly JsonObject _properties = [];
    readonly JsonArray _required = [];

    public ToolSchema Field(ObjectMetadata obj, string fieldName, bool required = false, string? description = null, string? argument = null)
    {
        var property = PropertyOf(obj, obj.Field(fieldName), description);
        _properties[argument ?? fieldName] = property;
        if (required) _required.Add(argument ?? fieldName);
        return this;
    }

    public ToolSchema Fields(ObjectMetadata obj, IEnumerable<string> names, IReadOnlyCollection<string>? required = null)
    {
        foreach (var name in names) Field(obj, name, required?.Contains(name) == true);
        return this;
    }

    /// <param name="description">Null when the name, type and allowed values say it all: every word here is paid for by every agent.</param>
    public ToolSchema Param(string name, string type, string? description, bool required = false, IReadOnlyList<string>? allowed = null, int? minimum = null, int? maximum = null, string? items = null)
    {
        var property = new JsonObject { ["type"] = type };
        if (description is not null) property["description"] = description;
        if (items is not null) property["items"] = new JsonObject { ["type"] = items };
        if (allowed is not null) property["enum"] = new JsonArray(allowed.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        if (minimum is not null) property["minimum"] = minimum;
        if (maximum is not null) property["maximum"] = maximum;
        _properties[name] = property;
        if (required) _required.Add(name);
        return this;
    }

    /// <summary>An array of strings, each one of <paramref name="allowed"/>.</summary>
    public ToolSchema ParamArray(string name, string? description, IReadOnlyList<string> allowed)
    {
        var items = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(allowed.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()) };
        var property = new JsonObject { ["type"] = "array" };
        if (description is not null) property["description"] = description;
        property["items"] = items;
        _properties[name] = property;
        return this;
    }

    public ToolSchema CustomFields(ObjectMetadata obj) => Param(ToolArguments.CustomFields, "object",
        "Custom __c fields; also accepted top-level.");

    public IReadOnlyCollection<string> Names => _properties.Select(p => p.Key).ToArray();

    /// <summary>
    /// The JSON Schema of one field (standard or custom): its type, allowed values and format, and a
    /// description only where the name and type leave something to say (what an Id points at, how
    /// multi-select values are joined). Limits are checked on write with an error naming the limit,
    /// so they are not repeated in every tool's schema.
    /// </summary>
    public static JsonObject PropertyOf(ObjectMetadata obj, FieldMetadata field, string? description = null)
    {
        var property = new JsonObject { ["type"] = FieldTypes.JsonTypeOf(field.Type) };
        if ((description ?? Describe(field)) is { } text) property["description"] = text;
        if (field.Type is FieldType.Picklist or FieldType.MultiPicklist && field.PicklistValues.Count > 0)
        {
            var values = new JsonArray(field.PicklistValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            if (field.Type == FieldType.Picklist) property["enum"] = values;
            else property["description"] = $"';'-separated: {string.Join(";", field.PicklistValues)}";
        }
        if (field.Type == FieldType.Date) property["format"] = "date";
        if (field.Type == FieldType.DateTime) property["format"] = "date-time";
        return property;
    }

    public JsonElement Build()
    {
        var schema = new JsonObject { ["type"] = "object", ["properties"] = _properties.DeepClone() };
        if (_required.Count > 0) schema["required"] = _required.DeepClone();
        return JsonSerializer.SerializeToElement(schema, ServerJson.Default.JsonObject);
    }

    static string? Describe(FieldMetadata field) => field.Type switch
    {
        FieldType.Reference => string.Join(" or ", field.ReferenceTo.Select(t => $"{FieldExamples.PrefixOf(t)}… {t}")),
        FieldType.Percent => "0-100",
        _ => null,
    };

}
