using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>define_custom_field: the tenant's own fields, validated on every write like standard ones.</summary>
public sealed class SchemaTools(SchemaService schemas) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Update("define_custom_field", "Define custom field",
            "Add or widen a custom field (admin key); every tool, describe_object and SOQL then know it. " +
            "E.g. {\"object\":\"Account\",\"api_name\":\"Tier__c\",\"type\":\"Picklist\",\"values\":[\"Gold\",\"Silver\"]}",
            new ToolSchema().ObjectParam(required: true)
                .Param("api_name", "string", "Ends in __c.", required: true)
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
                .Param("unique", "boolean", null),
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
                foreach (var error in new[] { obj.Error, apiName.Error, type.Error, label.Error, description.Error, values.Error, required.Error, externalId.Error, unique.Error })
                    if (error is not null) return ToolResults.Error(error);
                var length = OptionalInt(args, "length");
                var precision = OptionalInt(args, "precision");
                var scale = OptionalInt(args, "scale");
                foreach (var error in new[] { length.Error, precision.Error, scale.Error })
                    if (error is not null) return ToolResults.Error(error);
                if (string.IsNullOrWhiteSpace(apiName.Value)) return ToolResults.Error(Domain.Errors.CrmError.Required("define_custom_field", "api_name"));
                if (string.IsNullOrWhiteSpace(type.Value)) return ToolResults.Error(Domain.Errors.CrmError.Required("define_custom_field", "type"));

                var spec = new CustomFieldSpec(obj.Value ?? "", apiName.Value, type.Value, label.Value, length.Value, precision.Value, scale.Value,
                    required.Value, DefaultArgument(args), values.Value, description.Value, externalId.Value, unique.Value);
                var defined = await schemas.DefineAsync(caller, spec, ct);
                if (!defined.IsOk) return ToolResults.Error(defined.Error);
                var schema = await schemas.GetAsync(caller.Tenant, ct);
                return ToolResults.FromJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("object", defined.Value.Object);
                    w.WriteString("message", $"{defined.Value.Object}.{defined.Value.Field.Name} is ready: send it in create/update calls like any field.");
                    w.WritePropertyName("field");
                    using (var doc = JsonDocument.Parse(FieldJson(schema, defined.Value))) doc.RootElement.WriteTo(w);
                    w.WriteEndObject();
                });
            });
    }

    /// <summary>The field's entry as describe_object shows it.</summary>
    static string FieldJson(TenantSchema schema, CustomFieldDefinition definition)
    {
        StandardObjects.TryGet(definition.Object, out var obj);
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
