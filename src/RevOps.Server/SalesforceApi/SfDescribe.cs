using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Server.Json;

namespace RevOps.Server.SalesforceApi;

/// <summary>describeGlobal entries and sObject describes, from the metadata registry plus the tenant's custom fields.</summary>
public static class SfDescribe
{
    /// <summary>AccountId → Account, WhoId → Who; null for fields that are not lookups.</summary>
    public static string? RelationshipName(FieldMetadata field) =>
        field.IsCustomReference || (field.Type == FieldType.Reference && field.Name.EndsWith("Id", StringComparison.Ordinal) && field.Name.Length > 2) ? SoqlRelationships.NameOf(field) : null;

    public static void WriteGlobalEntry(Utf8JsonWriter w, string version, ObjectMetadata obj, bool open = true)
    {
        if (open) w.WriteStartObject();
        w.WriteBoolean("activateable", false);
        w.WriteBoolean("createable", obj.Writable);
        w.WriteBoolean("custom", obj.IsCustom);
        w.WriteBoolean("customSetting", false);
        w.WriteBoolean("deletable", obj.Writable);
        w.WriteBoolean("deprecatedAndHidden", false);
        w.WriteBoolean("feedEnabled", false);
        w.WriteBoolean("hasSubtypes", false);
        w.WriteBoolean("isSubtype", false);
        w.WriteString("keyPrefix", obj.KeyPrefix);
        w.WriteString("label", obj.Label ?? obj.Name);
        w.WriteString("labelPlural", obj.Plural);
        w.WriteBoolean("layoutable", true);
        w.WriteBoolean("mergeable", obj.Name is "Account" or "Contact" or "Lead");
        w.WriteBoolean("mruEnabled", true);
        w.WriteString("name", obj.Name);
        w.WriteBoolean("queryable", true);
        w.WriteBoolean("replicateable", true);
        w.WriteBoolean("retrieveable", true);
        w.WriteBoolean("searchable", true);
        w.WriteBoolean("triggerable", true);
        w.WriteBoolean("undeletable", obj.Writable);
        w.WriteBoolean("updateable", obj.Writable);
        w.WriteStartObject("urls");
        string root = $"/services/data/v{version}/sobjects/{obj.Name}";
        w.WriteString("sobject", root);
        w.WriteString("describe", root + "/describe");
        w.WriteString("rowTemplate", root + "/{ID}");
        w.WriteEndObject();
        if (open) w.WriteEndObject();
    }

    public static void WriteDescribe(Utf8JsonWriter w, string version, ObjectSchema schema, TenantSchema? tenant = null)
    {
        w.WriteStartObject();
        WriteGlobalEntry(w, version, schema.Object, open: false);
        w.WriteStartArray("fields");
        foreach (var field in schema.AllFields) WriteField(w, field);
        w.WriteEndArray();
        w.WriteStartArray("childRelationships");
        foreach (var relationship in tenant?.ChildrenOf(schema.Object) ?? SoqlRelationships.Children.Where(c => c.Parent == schema.Object))
        {
            var (name, child, field) = (relationship.Name, relationship.Object, relationship.ForeignKey.Name);
            w.WriteStartObject();
            w.WriteBoolean("cascadeDelete", relationship.ForeignKey.Custom ? relationship.ForeignKey.OnDelete == ReferenceDelete.Cascade : CascadesOnDelete(schema.Object, child, field));
            w.WriteString("childSObject", child.Name);
            w.WriteBoolean("deprecatedAndHidden", false);
            w.WriteString("field", field);
            w.WriteString("relationshipName", name);
            w.WriteBoolean("restrictedDelete", relationship.ForeignKey.Custom && relationship.ForeignKey.OnDelete == ReferenceDelete.Restrict);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("recordTypeInfos");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static bool CascadesOnDelete(ObjectMetadata parent, ObjectMetadata child, string field) =>
        (parent.Name, field) is ("Account", "AccountId") or (_, "WhatId") or (_, "WhoId");

    static void WriteField(Utf8JsonWriter w, FieldMetadata field)
    {
        bool derived = field.System && field.Name != "Id";
        w.WriteStartObject();
        w.WriteBoolean("autoNumber", false);
        w.WriteBoolean("calculated", derived && !StandardObjects.AuditFields.Contains(field.Name));
        w.WriteBoolean("cascadeDelete", false);
        w.WriteBoolean("createable", field.Createable);
        w.WriteBoolean("custom", field.Custom);
        w.WritePropertyName("defaultValue");
        ValueJson.Write(w, field.DefaultValue);
        // OwnerId defaults to the caller's user and can never be emptied: defaulted on create, not nillable, as on Salesforce.
        bool owner = field.Name == "OwnerId";
        w.WriteBoolean("defaultedOnCreate", field.DefaultValue is not null || field.System || owner);
        w.WriteNumber("digits", field.Type == FieldType.Int ? field.Precision : 0);
        w.WriteBoolean("externalId", field.ExternalId);
        w.WriteBoolean("filterable", field.Filterable);
        w.WriteBoolean("groupable", field.Sortable && field.Storage is not StorageKind.Real);
        w.WriteBoolean("idLookup", field.Name == "Id" || field.ExternalId);
        w.WriteString("label", field.Label);
        w.WriteNumber("length", field.Storage == StorageKind.Text ? field.Length : 0);
        w.WriteString("name", field.Name);
        w.WriteBoolean("nameField", field.Name == "Name" || (field.Name == "Subject"));
        w.WriteBoolean("nillable", !field.Required && field.Type != FieldType.Boolean && field.Name != "Id" && !owner);
        w.WriteStartArray("picklistValues");
        foreach (var value in field.PicklistValues)
        {
            w.WriteStartObject();
            w.WriteBoolean("active", true);
            w.WriteBoolean("defaultValue", Equals(field.DefaultValue, value));
            w.WriteString("label", value);
            w.WriteNull("validFor");
            w.WriteString("value", value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("precision", field.Storage == StorageKind.Real ? field.Precision : 0);
        w.WriteStartArray("referenceTo");
        foreach (var target in field.ReferenceTo) w.WriteStringValue(target);
        w.WriteEndArray();
        if (RelationshipName(field) is { } relationship) w.WriteString("relationshipName", relationship);
        else w.WriteNull("relationshipName");
        w.WriteBoolean("restrictedPicklist", field.PicklistValues.Count > 0 && field.RestrictedPicklist);
        w.WriteNumber("scale", field.Storage == StorageKind.Real ? field.Scale : 0);
        w.WriteString("soapType", SoapType(field.Type));
        w.WriteBoolean("sortable", field.Sortable);
        w.WriteString("type", DescribeJson.TypeName(field.Type));
        w.WriteBoolean("unique", field.Unique);
        w.WriteBoolean("updateable", field.Updateable);
        w.WriteEndObject();
    }

    static string SoapType(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "tns:ID",
        FieldType.Boolean => "xsd:boolean",
        FieldType.Double or FieldType.Currency or FieldType.Percent => "xsd:double",
        FieldType.Int => "xsd:int",
        FieldType.Date => "xsd:date",
        FieldType.DateTime => "xsd:dateTime",
        _ => "xsd:string",
    };
}
