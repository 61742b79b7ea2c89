using System.Text;
using System.Collections.Frozen;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;

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

/// <summary>
/// Every object as one tenant sees it: the standard objects and the tenant's custom objects, each with
/// the tenant's custom fields, and the relationships its custom references make (both ways).
/// </summary>
public sealed class TenantSchema
{
    readonly FrozenDictionary<string, ObjectSchema> _objects;
    readonly FrozenDictionary<string, ObjectMetadata> _byPrefix;
    readonly IReadOnlyList<SoqlRelationships.Child> _customChildren;

    public TenantSchema(IEnumerable<CustomFieldDefinition> definitions, IEnumerable<CustomObjectDefinition>? objects = null)
    {
        CustomObjectDefinitions = (objects ?? []).OrderBy(o => o.KeyPrefix, StringComparer.Ordinal).ToArray();
        CustomObjects = CustomObjectDefinitions
            .Select(d => CustomObjectMetadata.Create(d.Name, d.KeyPrefix, d.Label, d.PluralLabel, d.NameLabel, d.AutoNumberFormat)).ToArray();
        Objects = [.. StandardObjects.All, .. CustomObjects];
        var byObject = definitions.ToLookup(d => d.Object, StringComparer.OrdinalIgnoreCase);
        _objects = Objects.ToFrozenDictionary(
            o => o.Name,
            o => new ObjectSchema(o, byObject[o.Name].Select(d => d.Field).OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToArray()),
            StringComparer.OrdinalIgnoreCase);
        _byPrefix = CustomObjects.ToFrozenDictionary(o => o.KeyPrefix, StringComparer.Ordinal);
        var children = new List<SoqlRelationships.Child>();
        foreach (var schema in _objects.Values)
            foreach (var field in schema.CustomFields)
                if (field.IsCustomReference && TryGetObject(field.ReferenceTo[0], out var parent))
                    children.Add(new SoqlRelationships.Child(parent, ChildRelationshipName(schema.Object, field), schema.Object, field));
        _customChildren = children;
    }

    public static TenantSchema Standard { get; } = new([]);

    /// <summary>
    /// Every custom object and custom field as tools, describe and GraphQL show them: object name, key prefix and labels; field
    /// name, type, writability, picklist values, and where a lookup points and what its children are called.
    /// </summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var obj in CustomObjects)
            text.Append(obj.Name).Append('@').Append(obj.KeyPrefix).Append(':').Append(obj.Label).Append('|').Append(obj.PluralLabel).Append('\n');
        foreach (var obj in Objects)
            foreach (var f in For(obj).CustomFields)
                text.Append(obj.Name).Append('.').Append(f.Name).Append(':').Append(f.Type).Append(f.Createable ? 'c' : '-').Append(f.Updateable ? 'u' : '-')
                    .Append(f.Required ? 'r' : '-').Append(f.Label).Append('|').AppendJoin(';', f.PicklistValues)
                    .Append('>').AppendJoin(';', f.ReferenceTo).Append('>').Append(f.ChildRelationshipName).Append('\n');
        return text.ToString();
    }

    /// <summary>The standard objects, then the tenant's custom objects in the order they were defined.</summary>
    public IReadOnlyList<ObjectMetadata> Objects { get; }
    public IReadOnlyList<ObjectMetadata> CustomObjects { get; }
    public IReadOnlyList<CustomObjectDefinition> CustomObjectDefinitions { get; }

    public ObjectSchema For(ObjectMetadata obj) => _objects[obj.Name];

    /// <summary>A standard object, or one of this tenant's custom objects, by name (any case).</summary>
    public bool TryGetObject(string name, out ObjectMetadata obj)
    {
        if (_objects.TryGetValue(name, out var schema)) { obj = schema.Object; return true; }
        obj = null!;
        return false;
    }

    /// <summary>The object an Id's key prefix names: standard ones everywhere, custom ones (a00…) per tenant.</summary>
    public ObjectMetadata? ForKeyPrefix(string prefix) => StandardObjects.ForKeyPrefix(prefix) ?? _byPrefix.GetValueOrDefault(prefix);

    /// <summary>The child relationships of <paramref name="parent"/>: the standard ones and those custom references make.</summary>
    public IEnumerable<SoqlRelationships.Child> ChildrenOf(ObjectMetadata parent) =>
        SoqlRelationships.Children.Where(c => c.Parent == parent).Concat(_customChildren.Where(c => c.Parent.Name == parent.Name));

    public SoqlRelationships.Child? FindChild(ObjectMetadata parent, string name) =>
        ChildrenOf(parent).FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The custom references (Lookup and Master-Detail) that point to <paramref name="parent"/>.</summary>
    public IEnumerable<SoqlRelationships.Child> CustomReferencesTo(ObjectMetadata parent) => _customChildren.Where(c => c.Parent.Name == parent.Name);

    /// <summary>The lookup behind a parent relationship name: Account → AccountId, Account__r → Account__c.</summary>
    public FieldMetadata? FindParent(ObjectMetadata obj, string relationship)
    {
        if (relationship.EndsWith("__r", StringComparison.OrdinalIgnoreCase))
            return For(obj).TryGetCustom(relationship[..^3] + "__c", out var custom) && custom.IsCustomReference && TryGetObject(custom.ReferenceTo[0], out _) ? custom : null;
        return SoqlRelationships.FindParent(obj, relationship);
    }

    /// <summary>The name the parent gives the children of a custom reference: the one defined, else the child's plural label (Invoices__r).</summary>
    public static string ChildRelationshipName(ObjectMetadata child, FieldMetadata reference) =>
        reference.ChildRelationshipName ?? CustomObjectBuilder.ChildRelationshipName(child.PluralLabel ?? StandardPlural(child.Name));

    static string StandardPlural(string name) => name == "Opportunity" ? "Opportunities" : name + "s";
}
