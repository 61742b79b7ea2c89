using System.Collections.Frozen;

namespace RevOps.Domain.Metadata;

/// <summary>An object (Account, Contact, …): its key prefix, table and fields.</summary>
public sealed class ObjectMetadata
{
    readonly FrozenDictionary<string, FieldMetadata> _byName;
    readonly FrozenDictionary<string, int> _ordinals;

    public ObjectMetadata(string name, string keyPrefix, string table, IReadOnlyList<FieldMetadata> fields)
    {
        Name = name;
        KeyPrefix = keyPrefix;
        Table = table;
        Fields = fields;
        _byName = fields.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _ordinals = fields.Select((f, i) => (f.Name, i)).ToFrozenDictionary(p => p.Name, p => p.i, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }
    public string KeyPrefix { get; }
    public string Table { get; }
    /// <summary>
    /// Whether the generic record channels (create/update/delete tools, REST sobjects, bulk, undo) may
    /// write it. Users are not: admins manage them through the user commands.
    /// </summary>
    public bool Writable { get; init; } = true;
    /// <summary>
    /// Set when the generic record channels may not create it (they may still read, update and delete it):
    /// what to do instead. Files are created with their bytes through the file service.
    /// </summary>
    public string? CreatedThrough { get; init; }
    /// <summary>
    /// A tenant's custom object (Invoice__c): the object_name its rows carry in the shared
    /// custom_object_records table. Null for standard objects, which have a table each.
    /// </summary>
    public string? StoredAs { get; init; }
    public bool IsCustom => StoredAs is not null;
    /// <summary>The label people see (a custom object's own; a standard object's is its name).</summary>
    public string? Label { get; init; }
    public string? PluralLabel { get; init; }
    /// <summary>What a list of these is called: a custom object's plural label, a standard object's Salesforce plural.</summary>
    public string Plural => PluralLabel ?? StandardObjects.PluralOf(Name);
    /// <summary>INV-{0000}: the server names new records by number.</summary>
    public string? AutoNumberFormat { get; init; }
    /// <summary>Every field in a fixed order; a record's values use the same order.</summary>
    public IReadOnlyList<FieldMetadata> Fields { get; }

    public bool TryGetField(string name, out FieldMetadata field) => _byName.TryGetValue(name, out field!);

    public FieldMetadata Field(string name) => _byName[name];

    public int Ordinal(string name) => _ordinals[name];

    public override string ToString() => Name;
}
