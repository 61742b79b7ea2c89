namespace RevOps.Domain.Metadata;

/// <summary>
/// The registry entry of a tenant's custom object: every custom object has the same stored fields
/// (Id, the audit fields, OwnerId, Name) in one shared table, custom_object_records, told apart by its
/// object_name column (<see cref="ObjectMetadata.StoredAs"/>); its custom fields live in the custom_fields JSON.
/// </summary>
public static class CustomObjectMetadata
{
    /// <summary>The one table that holds every tenant's custom-object records.</summary>
    public const string Table = "custom_object_records";

    public const int NameLength = 80;

    public static ObjectMetadata Create(string name, string keyPrefix, string label, string pluralLabel, string nameLabel, string? autoNumberFormat) =>
        new(name, keyPrefix, Table,
        [
            .. Fields.SystemFields(label),
            Fields.Owner(),
            autoNumberFormat is null
                ? Fields.Text("Name", nameLabel, NameLength, required: true, ignoreCase: true)
                : Fields.Derived(Fields.Text("Name", nameLabel, NameLength, ignoreCase: true)),
        ])
        {
            StoredAs = name,
            Label = label,
            PluralLabel = pluralLabel,
            AutoNumberFormat = autoNumberFormat,
        };
}
