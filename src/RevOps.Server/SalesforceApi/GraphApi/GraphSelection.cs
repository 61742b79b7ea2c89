using GraphQLParser.AST;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Reads what a request selects so one SOQL statement fetches it: the fields of a node (through
/// fragments and aliases, parents as dotted paths) and what a connection asks for. Only names are
/// read here; arguments reach the resolvers through GraphQL.NET, variables substituted.
/// </summary>
public static class GraphSelection
{
    /// <summary>The fields of a selection set, with fragment spreads and inline fragments opened.</summary>
    public static IEnumerable<GraphQLField> Fields(GraphQLSelectionSet? set, GraphQLDocument document, int depth = 0)
    {
        if (set is null || depth > GraphLimits.MaxDepth) yield break;
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    yield return field;
                    break;
                case GraphQLInlineFragment inline:
                    foreach (var inner in Fields(inline.SelectionSet, document, depth + 1)) yield return inner;
                    break;
                case GraphQLFragmentSpread spread:
                    var definition = document.Definitions.OfType<GraphQLFragmentDefinition>()
                        .FirstOrDefault(f => f.FragmentName.Name.StringValue == spread.FragmentName.Name.StringValue);
                    foreach (var inner in Fields(definition?.SelectionSet, document, depth + 1)) yield return inner;
                    break;
            }
        }
    }

    /// <summary>The selections of a connection's nodes (edges { node { … } }) and whether totalCount is read.</summary>
    public static (List<GraphQLSelectionSet> Nodes, bool TotalCount) Connection(GraphQLField connection, GraphQLDocument document)
    {
        var nodes = new List<GraphQLSelectionSet>();
        bool total = false;
        foreach (var field in Fields(connection.SelectionSet, document))
        {
            string name = field.Name.StringValue;
            if (name == "totalCount") total = true;
            if (name != "edges") continue;
            foreach (var node in Fields(field.SelectionSet, document))
                if (node.Name.StringValue == "node" && node.SelectionSet is not null) nodes.Add(node.SelectionSet);
        }
        return (nodes, total);
    }

    /// <summary>The SOQL SELECT items for nodes of <paramref name="obj"/>: Id always, each value field, each parent's fields as a path.</summary>
    public static List<SoqlSyntax.SelectItem> NodeItems(ObjectMetadata obj, TenantSchema schema, IEnumerable<GraphQLSelectionSet> sets, GraphQLDocument document)
    {
        var paths = new List<string[]>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Collect(obj, schema, sets, document, [], paths, seen);
        return paths.Select(p => (SoqlSyntax.SelectItem)new SoqlSyntax.FieldItem(new SoqlSyntax.Path(p, 0))).ToList();
    }

    static void Collect(ObjectMetadata obj, TenantSchema schema, IEnumerable<GraphQLSelectionSet> sets, GraphQLDocument document,
        string[] prefix, List<string[]> paths, HashSet<string> seen)
    {
        void Add(string name)
        {
            string[] path = [.. prefix, name];
            if (seen.Add(string.Join('.', path))) paths.Add(path);
        }

        Add("Id");
        var objectSchema = schema.For(obj);
        var parents = new Dictionary<string, List<GraphQLSelectionSet>>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            foreach (var field in Fields(set, document))
            {
                string name = field.Name.StringValue;
                if (name == "DisplayValue" && obj.TryGetField("Name", out _)) Add("Name");
                else if (name != "Id" && objectSchema.TryGetField(name, out var meta)) Add(meta.Name);
                else if (field.SelectionSet is not null && GraphRelationships.Parent(obj, schema, name) is not null)
                {
                    if (!parents.TryGetValue(name, out var list)) parents[name] = list = [];
                    list.Add(field.SelectionSet);
                }
            }
        }
        foreach (var (relationship, parentSets) in parents)
            Collect(GraphRelationships.Parent(obj, schema, relationship)!, schema, parentSets, document, [.. prefix, relationship], paths, seen);
    }
}
