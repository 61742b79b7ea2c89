using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>define_custom_field: the tenant's own fields, validated on every write like standard ones, and its own objects (define_object).</summary>
public sealed class SchemaTools(SchemaService schemas) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Update("define_custom_field", "Define custom field",
            "Add or widen a custom field, or define a custom object (admin key); every tool, describe_object and SOQL then know it. " +
            "E.g. {\"object\":\"Account\",\"api_name\":\"Tier__c\",\"type\":\"Picklist\",\"values\":[\"Gold\",\"Silver\"]}",
            new ToolSchema().Param(ObjectArgument.Name, "string", "Standard, or custom (Invoice__c).", required: true)
                .Param("define_object", "object", "Define the object: {label, plural_label, name_field: {type: Text|AutoNumber, format: \"INV-{0000}\"}}.")
                .Param("api_name", "string", "Ends in __c.")
                .Param("type", "string", null, required: true, allowed: CustomFieldTypes.Names)
                .Param("label", "string", "Default: from api_name.")
                .Param("length", "integer", "Text 1-255 (default 255); LongTextArea up to 131072.")
                .Param("precision", "integer", "Number/Currency/Percent: total digits.")
                .Param("scale", "integer", "Digits after the point.")
                .Param("values", "array", "Picklist values, in order.", items: "string")
                .Param("required", "boolean", null)
                .Param("default", "string", "For new records, typed like the field.")
                .Param("description", "string", null)
                .Param("external_id", "boolean", "Upserts can match on it (Text, Email, Number).")
                .Param("unique", "boolean", null)
                .Param("reference_to", "string", "Lookup/MasterDetail target object.")
                .Param("on_delete", "string", null, allowed: ["clear", "restrict"])
                .Param("relationship_name", "string", null),
            async (caller, args, ct) =>
            {
                var obj = args.String(ObjectArgument.Name);
                var apiName = args.String("api_name");
                var type = args.String("type");
                var label = args.String("label");
                var description = args.String("description");
                var values = args.StringList("values");
                var required = args.Bool("required");
                var externalId = args.Bool("external_id");
                var unique = args.Bool("unique");
                var referenceTo = args.String("reference_to");
                var onDelete = args.String("on_delete");
                var relationship = args.String("relationship_name");
                foreach (var error in new[] { obj.Error, apiName.Error, type.Error, label.Error, description.Error, values.Error, required.Error, externalId.Error, unique.Error,
                    referenceTo.Error, onDelete.Error, relationship.Error })
                    if (error is not null) return ToolResults.Error(error);
                var length = OptionalInt(args, "length");
                var precision = OptionalInt(args, "precision");
                var scale = OptionalInt(args, "scale");
                foreach (var error in new[] { length.Error, precision.Error, scale.Error })
                    if (error is not null) return ToolResults.Error(error);
                var defineObject = args.Object("define_object");
                if (!defineObject.IsOk) return ToolResults.Error(defineObject.Error);
                CustomObjectDefinition? definedObject = null;
                if (defineObject.Value is { } objectJson)
                {
                    var objectSpec = ObjectSpec(obj.Value ?? "", objectJson);
                    if (!objectSpec.IsOk) return ToolResults.Error(objectSpec.Error);
                    var savedObject = await schemas.DefineObjectAsync(caller, objectSpec.Value, ct);
                    if (!savedObject.IsOk) return ToolResults.Error(savedObject.Error);
                    definedObject = savedObject.Value;
                    if (string.IsNullOrWhiteSpace(apiName.Value)) return ToolResults.FromJson(w => WriteObject(w, savedObject.Value));
                }
                if (string.IsNullOrWhiteSpace(apiName.Value)) return ToolResults.Error(Domain.Errors.CrmError.Required("define_custom_field", "api_name"));
                if (string.IsNullOrWhiteSpace(type.Value)) return ToolResults.Error(Domain.Errors.CrmError.Required("define_custom_field", "type"));

                var spec = new CustomFieldSpec(obj.Value ?? "", apiName.Value, type.Value, label.Value, length.Value, precision.Value, scale.Value,
                    required.Value, DefaultArgument(args), values.Value, description.Value, externalId.Value, unique.Value, referenceTo.Value, onDelete.Value, relationship.Value);
                var defined = await schemas.DefineAsync(caller, spec, ct);
                if (!defined.IsOk) return ToolResults.Error(defined.Error);
                var schema = await schemas.GetAsync(caller.Tenant, ct);
                return ToolResults.FromJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("object", defined.Value.Object);
                    if (definedObject is not null)
                    {
                        w.WritePropertyName("defined_object");
                        WriteObject(w, definedObject);
                    }
                    w.WriteString("message", $"{defined.Value.Object}.{defined.Value.Field.Name} is ready: send it in create/update calls like any field.");
                    w.WritePropertyName("field");
                    using (var doc = JsonDocument.Parse(FieldJson(schema, defined.Value))) doc.RootElement.WriteTo(w);
                    w.WriteEndObject();
                });
            });
    }

    /// <summary>define_object as sent: {label, plural_label, name_label, description, name_field: {type, format}}.</summary>
    static Domain.Errors.CrmResult<CustomObjectSpec> ObjectSpec(string name, JsonElement json)
    {
        static string? Text(JsonElement o, string property) =>
            o.ValueKind == JsonValueKind.Object && o.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (json.ValueKind != JsonValueKind.Object)
            return new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument, "define_object is an object, e.g. {\"label\":\"Invoice\",\"plural_label\":\"Invoices\",\"name_field\":{\"type\":\"AutoNumber\",\"format\":\"INV-{0000}\"}}.", "define_object");
        foreach (var property in json.EnumerateObject())
            if (property.Name is not ("label" or "plural_label" or "name_label" or "description" or "name_field"))
                return new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument,
                    $"define_object has no '{property.Name}'. Send label, plural_label, name_label, description and name_field ({{type: Text|AutoNumber, format}}).", "define_object");
        json.TryGetProperty("name_field", out var nameField);
        return new CustomObjectSpec(name, Text(json, "label"), Text(json, "plural_label"), Text(nameField, "type"), Text(nameField, "format"),
            Text(json, "name_label"), Text(json, "description"));
    }

    static void WriteObject(Utf8JsonWriter w, CustomObjectDefinition definition)
    {
        w.WriteStartObject();
        w.WriteString("object", definition.Name);
        w.WriteString("label", definition.Label);
        w.WriteString("plural_label", definition.PluralLabel);
        w.WriteString("keyPrefix", definition.KeyPrefix);
        w.WriteString("name_field", definition.AutoNumberFormat is null ? "Text" : "AutoNumber");
        if (definition.AutoNumberFormat is { } format) w.WriteString("format", format);
        w.WriteString("message", $"{definition.Name} is ready: add fields with define_custom_field (object {definition.Name}), then create_record, find_records and SOQL work on it.");
        w.WriteEndObject();
    }

    /// <summary>The field's entry as describe_object shows it.</summary>
    static string FieldJson(TenantSchema schema, CustomFieldDefinition definition)
    {
        schema.TryGetObject(definition.Object, out var obj);
        var (element, _) = RecordJson.Build(w => DescribeJson.WriteObject(w, schema.For(obj)));
        return element.GetProperty("fields").EnumerateArray().First(f => f.GetProperty("name").GetString() == definition.Field.Name).GetRawText();
    }

    static Domain.Errors.CrmResult<int?> OptionalInt(ToolArguments args, string name)
    {
        if (!args.Has(name)) return Domain.Errors.CrmResult<int?>.Ok(null);
        var value = args.Int(name, 0);
        return value.IsOk ? value.Value : value.Error;
    }

    /// <summary>The default as sent: any JSON scalar (a string "10" and a number 10 both work for a Number field).</summary>
    static JsonElement? DefaultArgument(ToolArguments args) =>
        args.All.FirstOrDefault(a => a.Key == "default") is { Key: not null } pair && pair.Value.ValueKind != JsonValueKind.Null ? pair.Value : null;
}
