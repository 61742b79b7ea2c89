using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;

namespace RevOps.Domain.Changes;

/// <summary>Puts change-log values (JSON, as <see cref="ValueJson"/> wrote them) back into a <see cref="Record"/>.</summary>
public static class ChangeValues
{
    /// <summary>
    /// Sets each field the change touched to its before (or after) value. Fields the object no
    /// longer has, and entries that are not fields (a merge's MasterRecordId), are left alone.
    /// </summary>
    public static void Apply(Record record, ChangeRow change, bool before)
    {
        foreach (var property in change.Changes.EnumerateObject())
        {
            var value = property.Value.GetProperty(before ? "before" : "after");
            if (record.Object.TryGetField(property.Name, out var field) && !field.Custom)
                record[field.Name] = Typed(field, value);
            else if (property.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            {
                if (value.ValueKind == JsonValueKind.Null) record.Custom.Remove(property.Name);
                else record.Custom[property.Name] = value.Clone();
            }
        }
    }

    /// <summary>A standard field's JSON value typed as <see cref="Record"/> holds it.</summary>
    public static object? Typed(FieldMetadata field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        return field.Storage switch
        {
            StorageKind.Integer => value.GetInt64(),
            StorageKind.Real => value.GetDouble(),
            StorageKind.Boolean => value.GetBoolean(),
            StorageKind.Date => DateOnly.ParseExact(value.GetString()!, ValueJson.DateFormat, CultureInfo.InvariantCulture),
            StorageKind.DateTime => FieldValues.TryParseDateTime(value.GetString()!, out var at) ? at : throw new FormatException($"Change-log value '{value}' of {field.Name} is not a date-time."),
            _ => value.GetString(),
        };
    }
}
