using System.Text.Json;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Records;

/// <summary>
/// One row of an object: values in the object's field order, typed as string, long, double,
/// bool, DateOnly or DateTime (UTC), plus the custom (__c) fields as JSON values.
/// </summary>
public sealed class Record
{
    public Record(ObjectMetadata obj, object?[] values, SortedDictionary<string, JsonElement>? custom = null, long version = 0)
    {
        if (values.Length != obj.Fields.Count) throw new ArgumentException("One value per field is required.", nameof(values));
        Object = obj;
        Values = values;
        Custom = custom ?? new SortedDictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        Version = version;
    }

    public ObjectMetadata Object { get; }
    public object?[] Values { get; }
    public SortedDictionary<string, JsonElement> Custom { get; }
    /// <summary>Incremented by every write; updates check it to detect a concurrent change.</summary>
    public long Version { get; }

    /// <summary>When the record went to the recycle bin (null while live).</summary>
    public DateTime? DeletedAt { get; set; }

    /// <summary>The Id of the record whose delete took this one along (an Account for its Contacts), so restoring it brings this back.</summary>
    public string? DeletedWith { get; set; }

    public string Id => (string)Values[0]!;

    public bool IsDeleted => Values[1] is true;

    /// <summary>What people call the record: its Name, or a Task's or Event's Subject.</summary>
    public string? DisplayName =>
        Object.TryGetField("Name", out _) ? this["Name"] as string : Object.TryGetField("Subject", out _) ? this["Subject"] as string
        : Object.TryGetField("Title", out _) ? this["Title"] as string : null;

    public object? this[string field]
    {
        get => Values[Object.Ordinal(field)];
        set => Values[Object.Ordinal(field)] = value;
    }

    public Record Copy() => new(Object, (object?[])Values.Clone(), new SortedDictionary<string, JsonElement>(Custom, StringComparer.OrdinalIgnoreCase), Version)
    {
        DeletedAt = DeletedAt,
        DeletedWith = DeletedWith,
    };

    public static Record Empty(ObjectMetadata obj) => new(obj, new object?[obj.Fields.Count]);
}
