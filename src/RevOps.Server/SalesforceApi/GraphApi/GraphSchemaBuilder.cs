using GraphQL.Types;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using static RevOps.Server.SalesforceApi.GraphApi.GraphSharedTypes;
using GqlField = GraphQL.Types.FieldType;

using FieldType = RevOps.Domain.Metadata.FieldType;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Generates the UI API GraphQL schema of one tenant schema from the metadata registry: a record
/// type per object with a value type per field (standard and custom), parent relationships as
/// fields, child relationships as connections, a filter and an order input per object, and a
/// Create/Update/Delete mutation per writable object. The schema holds no data and no tenant:
/// every resolver reads the caller from the request.
/// </summary>
public static class GraphSchemaBuilder
{
    public const int DefaultFirst = 10;

    public static ISchema Build(TenantSchema tenantSchema)
    {
        var shared = new GraphSharedTypes();
        var objects = tenantSchema.Objects.ToDictionary(o => o.Name, o => new GraphObjectTypes(o), StringComparer.OrdinalIgnoreCase);
        foreach (var types in objects.Values) Fill(types, tenantSchema, objects, shared);

        var recordQuery = new ObjectGraphType { Name = "RecordQuery" };
        foreach (var types in objects.Values)
            AddAsync(recordQuery, types.Object.Name, types.Connection, c => GraphResolvers.RootConnectionAsync(c, types.Object), ConnectionArguments(types));

        var uiapi = new ObjectGraphType { Name = "UIAPI" };
        Add(uiapi, "query", new NonNullGraphType(recordQuery), _ => Marker);
        Add(uiapi, "objectInfos", new ListGraphType(GraphObjectInfo.Type()), GraphObjectInfo.Resolve,
            new QueryArguments(new QueryArgument(new NonNullGraphType(new ListGraphType(new NonNullGraphType(new StringGraphType())))) { Name = "apiNames" }));
        var query = new ObjectGraphType { Name = "Query" };
        Add(query, "uiapi", new NonNullGraphType(uiapi), _ => Marker);

        var mutations = new ObjectGraphType { Name = "UIAPIMutations" };
        foreach (var types in objects.Values.Where(t => t.Object.Writable))
            GraphMutations.AddTo(mutations, types, tenantSchema.For(types.Object), shared);
        var mutation = new ObjectGraphType { Name = "Mutation" };
        Add(mutation, "uiapi", new NonNullGraphType(mutations), _ => Marker);

        var schema = new Schema { Query = query, Mutation = mutation, NameConverter = GraphQL.Conversion.DefaultNameConverter.Instance };
        schema.Initialize();
        return schema;
    }

    /// <summary>What uiapi and query resolve to: they only group fields.</summary>
    static readonly object Marker = new();

    /// <summary>first, after, where, orderBy: the arguments of a root or child connection.</summary>
    static QueryArguments ConnectionArguments(GraphObjectTypes types) => new(
        new QueryArgument(new IntGraphType()) { Name = "first", Description = $"Rows per page, 1 to {GraphLimits.MaxFirst}; {DefaultFirst} when left out." },
        new QueryArgument(new StringGraphType()) { Name = "after", Description = "The endCursor of the previous page." },
        new QueryArgument(types.Filter) { Name = "where" },
        new QueryArgument(types.OrderBy) { Name = "orderBy" });

    static void Fill(GraphObjectTypes types, TenantSchema tenantSchema, Dictionary<string, GraphObjectTypes> objects, GraphSharedTypes shared)
    {
        var obj = types.Object;
        var schema = tenantSchema.For(obj);
        var record = types.Record;
        Add(record, "Id", new NonNullGraphType(new IdGraphType()), c => ((GraphNode)c.Source!).Id);
        Add(record, "ApiName", new NonNullGraphType(new StringGraphType()), _ => obj.Name);
        if (obj.TryGetField("Name", out var nameField))
            Add(record, "DisplayValue", new StringGraphType(), c => ((GraphNode)c.Source!).Get(nameField.Name) as string);

        types.Filter.AddField(new GqlField { Name = "and", ResolvedType = new ListGraphType(types.Filter) });
        types.Filter.AddField(new GqlField { Name = "or", ResolvedType = new ListGraphType(types.Filter) });
        types.Filter.AddField(new GqlField { Name = "not", ResolvedType = types.Filter });

        foreach (var field in schema.AllFields)
        {
            if (field.Name != "Id")
            {
                var captured = field;
                Add(record, field.Name, shared.ValueType(field.Type), c => GraphValue.Of(captured, ((GraphNode)c.Source!).Get(captured.Name)));
            }
            if (field.Filterable) types.Filter.AddField(new GqlField { Name = field.Name, ResolvedType = shared.Operators(field.Type) });
            if (field.Sortable) types.OrderBy.AddField(new GqlField { Name = field.Name, ResolvedType = shared.OrderByClause });
        }

        foreach (var (relationship, target) in GraphRelationships.Parents(obj, tenantSchema))
        {
            var parent = objects[target.Name];
            Add(record, relationship, parent.Record, c => ((GraphNode)c.Source!).Parent(relationship, target));
            types.Filter.AddField(new GqlField { Name = relationship, ResolvedType = parent.Filter });
            types.OrderBy.AddField(new GqlField { Name = relationship, ResolvedType = parent.OrderBy });
        }

        foreach (var child in tenantSchema.ChildrenOf(obj))
        {
            var childTypes = objects[child.Object.Name];
            Add(record, child.Name, childTypes.Connection, c => GraphResolvers.ChildConnection(c, child), ConnectionArguments(childTypes));
        }

        Add(types.Edge, "node", types.Record, c => ((GraphEdge)c.Source!).Node);
        Add(types.Edge, "cursor", new NonNullGraphType(new StringGraphType()), c => ((GraphEdge)c.Source!).Cursor);
        Add(types.Connection, "edges", new ListGraphType(types.Edge), c =>
        {
            var page = (GraphConnection)c.Source!;
            return page.Nodes.Select((node, i) => new GraphEdge(node, GraphCursor.Encode(page.Offset + i + 1))).ToArray();
        });
        Add(types.Connection, "pageInfo", new NonNullGraphType(shared.PageInfo), c => c.Source);
        Add(types.Connection, "totalCount", new NonNullGraphType(new IntGraphType()), c => (int)(((GraphConnection)c.Source!).TotalCount ?? 0));
    }
}
