namespace RevOps.Domain.Metadata;

/// <summary>Field types, named after Salesforce's describe types.</summary>
public enum FieldType
{
    Id,
    String,
    TextArea,
    Email,
    Phone,
    Url,
    Picklist,
    MultiPicklist,
    Int,
    Double,
    Currency,
    Percent,
    Boolean,
    Date,
    DateTime,
    Reference,
}

/// <summary>How a value of each type is stored.</summary>
public enum StorageKind
{
    Text,
    Integer,
    Real,
    Boolean,
    Date,
    DateTime,
}

public static class FieldTypes
{
    public static StorageKind StorageOf(FieldType type) => type switch
    {
        FieldType.Int => StorageKind.Integer,
        FieldType.Double or FieldType.Currency or FieldType.Percent => StorageKind.Real,
        FieldType.Boolean => StorageKind.Boolean,
        FieldType.Date => StorageKind.Date,
        FieldType.DateTime => StorageKind.DateTime,
        _ => StorageKind.Text,
    };

    /// <summary>The JSON Schema type an agent should send.</summary>
    public static string JsonTypeOf(FieldType type) => StorageOf(type) switch
    {
        StorageKind.Integer => "integer",
        StorageKind.Real => "number",
        StorageKind.Boolean => "boolean",
        _ => "string",
    };
}
