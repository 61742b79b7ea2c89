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
    /// <summary>Must have a value after create (required on create unless a default applies).</summary>
    public bool Required { get; init; }
    public bool Createable { get; init; } = true;
    public bool Updateable { get; init; } = true;
    /// <summary>Allowed values, in display order; restricted pickists refuse any other value.</summary>
    public IReadOnlyList<string> PicklistValues { get; init; } = [];
    public bool RestrictedPicklist { get; init; } = true;
    public object? DefaultValue { get; init; }
    /// <summary>Objects a reference field may point to.</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];
    public string? Description { get; init; }
    /// <summary>Text compared case-insensitively (emails, names): stored with NOCASE collation.</summary>
    public bool IgnoreCase { get; init; }
    /// <summary>Kept by the system (Id, audit fields, derived values).</summary>
    public bool System { get; init; }

    public StorageKind Storage => FieldTypes.StorageOf(Type);
}
