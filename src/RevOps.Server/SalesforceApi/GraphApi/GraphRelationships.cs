using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// The parent relationships GraphQL exposes as fields: a lookup to one object type (Owner,
/// Account, ReportsTo). Polymorphic lookups (Who, What) stay Id values until the schema has unions.
/// </summary>
public static class GraphRelationships
{
    public static IEnumerable<(string Name, ObjectMetadata Target)> Parents(ObjectMetadata obj)
    {
        foreach (var field in obj.Fields)
        {
            if (field.Type != FieldType.Reference || field.ReferenceTo.Count != 1 || !field.Name.EndsWith("Id", StringComparison.Ordinal)) continue;
            string name = SoqlRelationships.NameOf(field);
            if (SoqlRelationships.FindParent(obj, name) is null || !StandardObjects.TryGet(field.ReferenceTo[0], out var target)) continue;
            if (obj.TryGetField(name, out _)) continue;
            yield return (name, target);
        }
    }

    public static ObjectMetadata? Parent(ObjectMetadata obj, string name)
    {
        foreach (var (relationship, target) in Parents(obj))
            if (relationship == name) return target;
        return null;
    }
}
