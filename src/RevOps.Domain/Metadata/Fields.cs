namespace RevOps.Domain.Metadata;

/// <summary>Short constructors for the standard field definitions.</summary>
internal static class Fields
{
    public static FieldMetadata Text(string name, string label, int length, bool required = false, bool ignoreCase = false) =>
        new() { Name = name, Label = label, Type = FieldType.String, Length = length, Required = required, IgnoreCase = ignoreCase };

    public static FieldMetadata LongText(string name, string label) =>
        new() { Name = name, Label = label, Type = FieldType.TextArea, Length = 32000 };

    public static FieldMetadata Email(string name, string label) =>
        new() { Name = name, Label = label, Type = FieldType.Email, Length = 80, IgnoreCase = true };

    public static FieldMetadata Phone(string name, string label) =>
        new() { Name = name, Label = label, Type = FieldType.Phone, Length = 40 };

    public static FieldMetadata Url(string name, string label) =>
        new() { Name = name, Label = label, Type = FieldType.Url, Length = 255 };

    public static FieldMetadata Picklist(string name, string label, IReadOnlyList<string> values, bool required = false, string? defaultValue = null) =>
        new() { Name = name, Label = label, Type = FieldType.Picklist, Length = 255, PicklistValues = values, Required = required, DefaultValue = defaultValue };

    public static FieldMetadata Number(string name, string label, FieldType type, int precision, int scale = 0) =>
        new() { Name = name, Label = label, Type = type, Precision = precision, Scale = scale };

    /// <summary>A street line of an address: multi-line text of up to 255 characters, filterable unlike long text.</summary>
    public static FieldMetadata Address(string name, string label) =>
        new() { Name = name, Label = label, Type = FieldType.String, Length = 255 };

    public static FieldMetadata Date(string name, string label, bool required = false) =>
        new() { Name = name, Label = label, Type = FieldType.Date, Required = required };

    public static FieldMetadata DateTime(string name, string label, bool required = false) =>
        new() { Name = name, Label = label, Type = FieldType.DateTime, Required = required };

    public static FieldMetadata Checkbox(string name, string label, bool defaultValue = false) =>
        new() { Name = name, Label = label, Type = FieldType.Boolean, DefaultValue = defaultValue };

    public static FieldMetadata Lookup(string name, string label, params string[] targets) =>
        new() { Name = name, Label = label, Type = FieldType.Reference, Length = 18, ReferenceTo = targets };

    /// <summary>A value the system derives (Contact.Name, Opportunity.IsWon): readable, never written by callers.</summary>
    public static FieldMetadata Derived(FieldMetadata field) =>
        field with { Createable = false, Updateable = false, System = true, Required = false };

    /// <summary>The record's owner: the caller's user unless another active user of the org is sent.</summary>
    public static FieldMetadata Owner() => Lookup("OwnerId", "Owner ID", "User");

    /// <summary>Id and the audit fields every object carries.</summary>
    public static IEnumerable<FieldMetadata> SystemFields(string objectName) =>
    [
        new() { Name = "Id", Label = $"{objectName} ID", Type = FieldType.Id, Length = 18, Createable = false, Updateable = false, System = true },
        Derived(Checkbox("IsDeleted", "Deleted")),
        Derived(DateTime("CreatedDate", "Created Date")),
        Derived(Lookup("CreatedById", "Created By ID", "User")),
        Derived(DateTime("LastModifiedDate", "Last Modified Date")),
        Derived(Lookup("LastModifiedById", "Last Modified By ID", "User")),
        Derived(DateTime("SystemModstamp", "System Modstamp")),
    ];
}
