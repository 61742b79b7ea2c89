using System.Collections.Frozen;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Schema;

/// <summary>The custom field types a tenant can define, by the names Salesforce's setup screens use.</summary>
public static class CustomFieldTypes
{
    public const int TextMaxLength = 255;
    public const int LongTextDefaultLength = 32768;
    public const int LongTextMaxLength = 131072;
    public const int MaxPrecision = 18;

    static readonly FrozenDictionary<string, FieldType> ByName = new Dictionary<string, FieldType>(StringComparer.OrdinalIgnoreCase)
    {
        ["Text"] = FieldType.String,
        ["LongTextArea"] = FieldType.TextArea,
        ["Number"] = FieldType.Double,
        ["Currency"] = FieldType.Currency,
        ["Percent"] = FieldType.Percent,
        ["Checkbox"] = FieldType.Boolean,
        ["Date"] = FieldType.Date,
        ["DateTime"] = FieldType.DateTime,
        ["Email"] = FieldType.Email,
        ["Phone"] = FieldType.Phone,
        ["Url"] = FieldType.Url,
        ["Picklist"] = FieldType.Picklist,
        ["MultiPicklist"] = FieldType.MultiPicklist,
        ["Lookup"] = FieldType.Reference,
        ["MasterDetail"] = FieldType.Reference,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Names { get; } =
        ["Text", "LongTextArea", "Number", "Currency", "Percent", "Checkbox", "Date", "DateTime", "Email", "Phone", "Url", "Picklist", "MultiPicklist", "Lookup", "MasterDetail"];

    public static bool TryParse(string name, out FieldType type) => ByName.TryGetValue(name.Trim(), out type);

    /// <summary>The setup name of a field type ("Text" for String, …).</summary>
    public static string NameOf(FieldType type) => Names.First(n => ByName[n] == type);

    /// <summary>The setup name of a field: a reference is a Lookup, or a MasterDetail when its children go with it.</summary>
    public static string NameOf(FieldMetadata field) =>
        field.Type == FieldType.Reference && field.OnDelete == ReferenceDelete.Cascade ? "MasterDetail" : NameOf(field.Type);
}
