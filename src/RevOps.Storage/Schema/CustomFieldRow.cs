using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;

namespace RevOps.Storage.Schema;

/// <summary>A stored custom_field_definitions row back into its definition, the same for every backend.</summary>
internal static class CustomFieldRow
{
    public static CustomFieldDefinition ToDefinition(string objectName, string apiName, string fieldType, string label, long? length, long? precision,
        long? scale, bool required, string? defaultValue, string? picklistValues, string? description, DateTime createdAt, DateTime updatedAt,
        bool externalId, bool unique, string? referenceTo = null, string? onDelete = null, string? relationshipName = null)
    {
        if (!CustomFieldTypes.TryParse(fieldType, out var type)) throw new InvalidOperationException($"Unknown custom field type '{fieldType}' stored for {objectName}.{apiName}.");
        // A custom object's field: its object's registry entry is the tenant schema's to make; the shape is enough to read a default.
        var obj = StandardObjects.TryGet(objectName, out var o) ? o
            : CustomFieldBuilder.IsValidApiName(objectName) ? CustomObjectMetadata.Create(objectName, "a00", objectName, objectName, "Name", null)
            : throw new InvalidOperationException($"Unknown object '{objectName}' in custom_field_definitions.");
        var field = new FieldMetadata
        {
            Name = apiName,
            Label = label,
            Type = type,
            Length = (int)(length ?? 0),
            Precision = (int)(precision ?? 0),
            Scale = (int)(scale ?? 0),
            Required = required,
            Custom = true,
            IgnoreCase = type == FieldType.Email,
            Description = description,
            ExternalId = externalId,
            Unique = unique,
            ReferenceTo = referenceTo is null ? [] : [referenceTo],
            OnDelete = string.Equals(fieldType, "MasterDetail", StringComparison.OrdinalIgnoreCase) ? ReferenceDelete.Cascade
                : string.Equals(onDelete, "restrict", StringComparison.Ordinal) ? ReferenceDelete.Restrict : ReferenceDelete.Clear,
            ChildRelationshipName = relationshipName,
            PicklistValues = picklistValues is null ? [] : JsonSerializer.Deserialize(picklistValues, StorageJson.Default.IReadOnlyListString) ?? [],
        };
        if (defaultValue is not null)
        {
            using var document = JsonDocument.Parse(defaultValue);
            var parsed = FieldValues.Parse(obj, field, document.RootElement);
            if (parsed.IsOk) field = field with { DefaultValue = parsed.Value };
        }
        return new CustomFieldDefinition(obj.Name, field, createdAt, updatedAt);
    }
}
