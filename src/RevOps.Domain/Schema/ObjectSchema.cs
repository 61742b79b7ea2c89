using System.Collections.Frozen;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Schema;

/// <summary>An object as one tenant sees it: the standard fields plus the tenant's custom fields.</summary>
public sealed class ObjectSchema
{
    readonly FrozenDictionary<string, FieldMetadata> _custom;

    public ObjectSchema(ObjectMetadata obj, IReadOnlyList<FieldMetadata> customFields)
    {
        Object = obj;
        CustomFields = customFields;
        _custom = customFields.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public ObjectMetadata Object { get; }
    public IReadOnlyList<FieldMetadata> CustomFields { get; }
    public IEnumerable<FieldMetadata> AllFields => Object.Fields.Concat(CustomFields);

    public bool TryGetField(string name, out FieldMetadata field) =>
        Object.TryGetField(name, out field) || _custom.TryGetValue(name, out field!);

    public bool TryGetCustom(string name, out FieldMetadata field) => _custom.TryGetValue(name, out field!);
}

/// <summary>Every object as one tenant sees it.</summary>
public sealed class TenantSchema
{
    readonly FrozenDictionary<string, ObjectSchema> _objects;

    public TenantSchema(IEnumerable<CustomFieldDefinition> definitions)
    {
        var byObject = definitions.ToLookup(d => d.Object, StringComparer.OrdinalIgnoreCase);
        _objects = StandardObjects.All.ToFrozenDictionary(
            o => o.Name,
            o => new ObjectSchema(o, byObject[o.Name].Select(d => d.Field).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToArray()),
            StringComparer.OrdinalIgnoreCase);
    }

    public static TenantSchema Standard { get; } = new([]);

    public ObjectSchema For(ObjectMetadata obj) => _objects[obj.Name];
}
