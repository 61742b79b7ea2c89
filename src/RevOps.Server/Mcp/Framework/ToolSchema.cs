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

    public ToolSchema Param(string name, string type, string description, bool required = false, IReadOnlyList<string>? allowed = null, int? minimum = null, int? maximum = null, string? items = null)
    {
        var property = new JsonObject { ["type"] = type, ["description"] = description };
        if (items is not null) property["items"] = new JsonObject { ["type"] = items };
        if (allowed is not null) property["enum"] = new JsonArray(allowed.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        if (minimum is not null) property["minimum"] = minimum;
        if (maximum is not null) property["maximum"] = maximum;
        _properties[name] = property;
        if (required) _required.Add(name);
        return this;
    }

    /// <summary>An array of strings, each one of <paramref name="allowed"/>.</summary>
    public ToolSchema ParamArray(string name, string description, IReadOnlyList<string> allowed)
    {
        var items = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(allowed.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()) };
        _properties[name] = new JsonObject { ["type"] = "array", ["description"] = description, ["items"] = items };
        return this;
    }

    public ToolSchema CustomFields(ObjectMetadata obj) => Param(ToolArguments.CustomFields, "object",
        $"Custom fields of the {obj.Name} (names end in __c), e.g. {{\"Lead_Score__c\": 85}}; they can also be sent as top-level arguments. describe_object lists the defined ones; define new ones with define_custom_field.");

    public IReadOnlyCollection<string> Names => _properties.Select(p => p.Key).ToArray();

    /// <summary>The JSON Schema of one field (standard or custom): type, limits and allowed values from its metadata.</summary>
    public static JsonObject PropertyOf(ObjectMetadata obj, FieldMetadata field, string? description = null)
    {
        var property = new JsonObject { ["type"] = FieldTypes.JsonTypeOf(field.Type) };
        property["description"] = description ?? Describe(obj, field);
        if (field.Type == FieldType.Picklist) property["enum"] = new JsonArray(field.PicklistValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        if (field.Type is FieldType.String or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.TextArea && field.Length > 0) property["maxLength"] = field.Length;
        if (field.Type == FieldType.Date) property["format"] = "date";
        if (field.Type == FieldType.DateTime) property["format"] = "date-time";
        if (field.Type == FieldType.Email) property["format"] = "email";
        if (field.Type == FieldType.Percent)
        {
            property["minimum"] = 0;
            property["maximum"] = 100;
        }
        return property;
    }

    public JsonElement Build()
    {
        var schema = new JsonObject { ["type"] = "object", ["properties"] = _properties.DeepClone() };
        if (_required.Count > 0) schema["required"] = _required.DeepClone();
        return JsonSerializer.SerializeToElement(schema, ServerJson.Default.JsonObject);
    }

    static string Describe(ObjectMetadata obj, FieldMetadata field)
    {
        string? example = FieldExamples.For(obj, field);
        string quoted = example is null ? "" : FieldTypes.JsonTypeOf(field.Type) == "string" ? $"\"{example}\"" : example;
        string eg = example is null ? "" : $", e.g. {quoted}";
        return field.Type switch
        {
            FieldType.Reference => $"{field.Label}: Id of the related {string.Join(" or ", field.ReferenceTo.Select(t => $"{t} ({PrefixOf(t)}…)"))}, "
                + $"e.g. \"{PrefixOf(field.ReferenceTo[0])}…\" from {FieldExamples.FinderOf(field.ReferenceTo[0])}.",
            FieldType.Date => $"{field.Label} as YYYY-MM-DD, e.g. {quoted}.",
            FieldType.DateTime => $"{field.Label} as ISO 8601, e.g. {quoted}.",
            FieldType.Currency => $"{field.Label} in the org's currency, e.g. {quoted}.",
            FieldType.Percent => $"{field.Label}, 0-100, e.g. {quoted}.",
            FieldType.MultiPicklist => $"{field.Label}: one or more of {string.Join(", ", field.PicklistValues)}, separated by ';', e.g. {quoted}.",
            FieldType.Picklist => field.Custom ? $"{field.Label} (custom picklist field), one of the listed values." : $"{field.Label}, one of the listed values.",
            _ => field.Custom ? $"{field.Label} (custom {Domain.Schema.CustomFieldTypes.NameOf(field.Type)} field){eg}." : $"{field.Label}{eg}.",
        };
    }

    static string PrefixOf(string objectName) => StandardObjects.TryGet(objectName, out var o) ? o.KeyPrefix : "?";
}
