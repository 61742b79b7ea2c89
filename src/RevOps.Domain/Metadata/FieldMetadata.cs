namespace RevOps.Domain.Metadata;

/// <summary>
/// One field of an object. The API name doubles as the storage column name, so SQL built from
/// metadata only ever contains names that this registry defines, never caller input.
/// </summary>
public sealed record FieldMetadata
{
    public required string Name { get; init; }
    public required string Label { get; init; }
    public required FieldType Type { get; init; }
    public int Length { get; init; }
    /// <summary>Total digits of a number (Number, Currency, Percent); 0 means unlimited.</summary>
    public int Precision { get; init; }
    /// <summary>Digits after the decimal point; values are rounded to it on write.</summary>
    public int Scale { get; init; }
    /// <summary>Must have a value after create (required on create unless a default applies).</summary>
    public bool Required { get; init; }
    public bool Createable { get; init; } = true;
    public bool Updateable { get; init; } = true;
    /// <summary>Allowed values, in display order; restricted picklists refuse any other value.</summary>
    public IReadOnlyList<string> PicklistValues { get; init; } = [];
    public bool RestrictedPicklist { get; init; } = true;
    public object? DefaultValue { get; init; }
    /// <summary>Objects a reference field may point to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];
    /// <summary>A custom Lookup or Master-Detail field: what deleting the record it points to does to this one.</summary>
    public ReferenceDelete OnDelete { get; init; }
    /// <summary>The parent's name for the children that point here through this field (Invoices__r), for SOQL subqueries.</summary>
    public string? ChildRelationshipName { get; init; }
    public string? Description { get; init; }
    /// <summary>Text compared case-insensitively (emails, names): stored with NOCASE collation.</summary>
    public bool IgnoreCase { get; init; }
    /// <summary>Kept by the system (Id, audit fields, derived values).</summary>
    public bool System { get; init; }
    /// <summary>Defined by the tenant (API name ends in __c); stored in the record's custom_fields column.</summary>
    public bool Custom { get; init; }
    /// <summary>An identifier from another system: upserts can match on it, and describe reports it.</summary>
    public bool ExternalId { get; init; }
    /// <summary>No two live records of the tenant hold the same value.</summary>
    public bool Unique { get; init; }

    /// <summary>Usable in filters: long text is not, as in Salesforce.</summary>
    public bool Filterable => Type != FieldType.TextArea;

    /// <summary>Usable in ORDER BY: long text and multi-select picklists are not.</summary>
    public bool Sortable => Type is not (FieldType.TextArea or FieldType.MultiPicklist);

    /// <summary>A custom field that points to another record (Lookup or Master-Detail).</summary>
    public bool IsCustomReference => Custom && Type == FieldType.Reference;

    public StorageKind Storage => FieldTypes.StorageOf(Type);
}
