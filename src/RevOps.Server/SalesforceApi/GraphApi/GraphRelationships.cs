using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// The parent relationships GraphQL exposes as fields: a lookup to one object type (Owner, Account,
/// ReportsTo, and a custom object's Account__r or Invoice__r). Polymorphic lookups (Who, What) stay Id
/// values until the schema has unions.
/// </summary>
public static class GraphRelationships
{
    public static IEnumerable<(string Name, ObjectMetadata Target)> Parents(ObjectMetadata obj, TenantSchema schema)
    {
        foreach (var field in schema.For(obj).AllFields)
        {
            if (field.Type != FieldType.Reference || field.ReferenceTo.Count != 1) continue;
            if (!field.IsCustomReference && !field.Name.EndsWith("Id", StringComparison.Ordinal)) continue;
            string name = SoqlRelationships.NameOf(field);
            if (schema.FindParent(obj, name) is null || !schema.TryGetObject(field.ReferenceTo[0], out var target)) continue;
            if (obj.TryGetField(name, out _)) continue;
            yield return (name, target);
        }
    }

    public static ObjectMetadata? Parent(ObjectMetadata obj, TenantSchema schema, string name)
    {
        foreach (var (relationship, target) in Parents(obj, schema))
            if (string.Equals(relationship, name, StringComparison.Ordinal)) return target;
        return null;
    }
}
