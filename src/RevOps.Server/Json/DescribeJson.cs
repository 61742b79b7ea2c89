using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;

namespace RevOps.Server.Json;

/// <summary>What describe_object returns: an object's fields as the tenant sees them, and its relationships.</summary>
public static class DescribeJson
{
    public static void WriteObjectList(Utf8JsonWriter w, TenantSchema schema)
    {
        w.WriteStartObject();
        w.WriteStartArray("objects");
        foreach (var obj in schema.Objects)
        {
            var objectSchema = schema.For(obj);
            w.WriteStartObject();
            w.WriteString("name", obj.Name);
            w.WriteString("keyPrefix", obj.KeyPrefix);
            w.WriteNumber("fieldCount", obj.Fields.Count + objectSchema.CustomFields.Count);
            w.WriteNumber("customFieldCount", objectSchema.CustomFields.Count);
            if (obj.IsCustom) w.WriteBoolean("custom", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("next", "Call describe_object with one of these objects for its fields, types, picklist values and relationships.");
        w.WriteEndObject();
    }

    public static void WriteObject(Utf8JsonWriter w, ObjectSchema schema, TenantSchema? tenant = null)
    {
        var obj = schema.Object;
        w.WriteStartObject();
        w.WriteString("name", obj.Name);
        w.WriteString("keyPrefix", obj.KeyPrefix);
        if (obj.IsCustom)
        {
            w.WriteBoolean("custom", true);
            w.WriteString("label", obj.Label);
            w.WriteString("pluralLabel", obj.PluralLabel);
            if (obj.AutoNumberFormat is { } format) w.WriteString("autoNumberFormat", format);
        }
        w.WriteStartArray("fields");
        foreach (var field in schema.AllFields) WriteField(w, obj, field);
        w.WriteEndArray();
        w.WriteStartArray("childRelationships");
        foreach (var child in tenant?.ChildrenOf(obj) ?? Domain.Soql.SoqlRelationships.Children.Where(c => c.Parent == obj))
        {
            w.WriteStartObject();
            w.WriteString("childObject", child.Object.Name);
            w.WriteString("field", child.ForeignKey.Name);
            w.WriteString("relationshipName", child.Name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static void WriteField(Utf8JsonWriter w, ObjectMetadata obj, FieldMetadata field)
    {
        w.WriteStartObject();
        w.WriteString("name", field.Name);
        w.WriteString("label", field.Label);
        w.WriteString("type", TypeName(field.Type));
        if (field.Length > 0 && field.Storage == StorageKind.Text && field.Type != FieldType.Id) w.WriteNumber("length", field.Length);
        if (field.Precision > 0)
        {
            w.WriteNumber("precision", field.Precision);
            w.WriteNumber("scale", field.Scale);
        }
        w.WriteBoolean("required", field.Required);
        w.WriteBoolean("createable", field.Createable);
        w.WriteBoolean("updateable", field.Updateable);
        w.WriteBoolean("filterable", field.Filterable);
        w.WriteBoolean("sortable", field.Sortable);
        w.WriteBoolean("custom", field.Custom);
        if (field.ExternalId) w.WriteBoolean("externalId", true);
        if (field.Unique) w.WriteBoolean("unique", true);
        if (field.DefaultValue is not null)
        {
            w.WritePropertyName("defaultValue");
            ValueJson.Write(w, field.DefaultValue);
        }
        if (field.PicklistValues.Count > 0)
        {
            w.WriteStartArray("picklistValues");
            foreach (var value in field.PicklistValues) w.WriteStringValue(value);
            w.WriteEndArray();
        }
        if (field.ReferenceTo.Count > 0)
        {
            w.WriteStartArray("referenceTo");
            foreach (var target in field.ReferenceTo) w.WriteStringValue(target);
            w.WriteEndArray();
            if (field.IsCustomReference)
            {
                w.WriteString("relationshipName", Domain.Soql.SoqlRelationships.NameOf(field));
                w.WriteString("onDelete", field.OnDelete.ToString().ToLowerInvariant());
            }
        }
        if (field.Description is not null) w.WriteString("description", field.Description);
        w.WriteEndObject();
    }

    /// <summary>Salesforce's describe type names.</summary>
    public static string TypeName(FieldType type) => type switch
    {
        FieldType.Id => "id",
        FieldType.String => "string",
        FieldType.TextArea => "textarea",
        FieldType.Email => "email",
        FieldType.Phone => "phone",
        FieldType.Url => "url",
        FieldType.Picklist => "picklist",
        FieldType.MultiPicklist => "multipicklist",
        FieldType.Int => "int",
        FieldType.Double => "double",
        FieldType.Currency => "currency",
        FieldType.Percent => "percent",
        FieldType.Boolean => "boolean",
        FieldType.Date => "date",
        FieldType.DateTime => "datetime",
        FieldType.Reference => "reference",
        _ => type.ToString().ToLowerInvariant(),
    };
}
