using GraphQL;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;
using static RevOps.Domain.Soql.SoqlSyntax;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Connections as SOQL: a root connection is one statement (with its count) through the same
/// SOQL engine as REST query; a child connection is one statement per level for every parent on
/// the page (a subquery under WHERE Id IN the parents), so rows never cost a statement each.
/// </summary>
public static class GraphResolvers
{
    public static async ValueTask<object?> RootConnectionAsync(IResolveFieldContext context, ObjectMetadata obj)
    {
        var request = GraphRequest.Of(context);
        var page = Page(context);
        if (!page.IsOk) return GraphErrors.Report(context, page.Error);
        var (first, offset) = page.Value;
        var (nodeSets, _) = GraphSelection.Connection(context.FieldAst, context.Document);
        var query = Query(context, obj, obj.Name, GraphSelection.NodeItems(obj, request.Schema, nodeSets, context.Document), limit: null, offset: null);
        if (!query.IsOk) return GraphErrors.Report(context, query.Error);
        var result = await request.Soql.QueryAsync(request.Caller, query.Value, offset, first, context.CancellationToken);
        if (!result.IsOk) return GraphErrors.Report(context, result.Error);
        var nodes = result.Value.Records.Select(r => new GraphNode(obj, r)).ToArray();
        return new GraphConnection(nodes, offset, offset + nodes.Length < result.Value.TotalSize, result.Value.TotalSize);
    }

    public static object? ChildConnection(IResolveFieldContext context, SoqlRelationships.Child relationship)
    {
        var request = GraphRequest.Of(context);
        var parent = (GraphNode)context.Source!;
        string key = string.Join('/', context.ResponsePath.OfType<string>());
        var page = Page(context);
        var site = GraphErrors.Site.Of(context);
        if (!page.IsOk) return request.FirstReport(key) ? site.Report(page.Error) : null;
        var (first, offset) = page.Value;
        var batch = request.Batches.GetOrAdd(key, _ =>
        {
            var (nodeSets, totalCount) = GraphSelection.Connection(context.FieldAst, context.Document);
            // With totalCount every child is read (the count is theirs); without it, one more than a page tells whether a next page exists.
            var child = Query(context, relationship.Object, relationship.Name, GraphSelection.NodeItems(relationship.Object, request.Schema, nodeSets, context.Document),
                limit: totalCount ? null : first + 1, offset: offset == 0 ? null : offset);
            return new GraphChildBatch((ids, ct) => LoadChildrenAsync(request, relationship, child, ids, ct));
        });
        return batch.Load(parent.Id, (result, report) =>
        {
            if (!result.IsOk) return report ? site.Report(result.Error) : null;
            var rows = result.Value.TryGetValue(parent.Id, out var children) ? children.Records : [];
            var nodes = rows.Take(first).Select(r => new GraphNode(relationship.Object, r)).ToArray();
            return new GraphConnection(nodes, offset, rows.Count > first, offset + rows.Count);
        });
    }

    /// <summary>SELECT Id, (SELECT … FROM Contacts WHERE … ORDER BY … LIMIT first+1 OFFSET after) FROM Account WHERE Id IN (…), per 2000 parents.</summary>
    static async Task<CrmResult<Dictionary<string, SoqlChildren>>> LoadChildrenAsync(GraphRequest request, SoqlRelationships.Child relationship,
        CrmResult<Query> child, IReadOnlyList<string> parentIds, CancellationToken ct)
    {
        if (!child.IsOk) return child.Error;
        var byParent = new Dictionary<string, SoqlChildren>(StringComparer.Ordinal);
        foreach (var chunk in parentIds.Distinct(StringComparer.Ordinal).Chunk(SoqlService.MaxPageSize))
        {
            var ids = new ListValue(chunk.Select(id => (Value)new StringValue(id, id, 0)).ToArray(), 0);
            var parents = new Query(
                [new FieldItem(new SoqlSyntax.Path(["Id"], 0)), new SubqueryItem(child.Value)], relationship.Parent.Name, 0,
                new Comparison(new Operand(new SoqlSyntax.Path(["Id"], 0), null), "IN", ids, 0), [], null, [], null, null, 0);
            var result = await request.Soql.QueryAsync(request.Caller, parents, 0, chunk.Length, ct);
            if (!result.IsOk) return result.Error;
            foreach (var row in result.Value.Records)
                if (row.Fields.FirstOrDefault(f => f.Key == relationship.Name).Value is SoqlChildren children) byParent[row.Id!] = children;
        }
        return byParent;
    }

    static CrmResult<Query> Query(IResolveFieldContext context, ObjectMetadata obj, string from, List<SelectItem> select, int? limit, int? offset)
    {
        var request = GraphRequest.Of(context);
        var where = GraphFilters.Where(obj, request.Schema, context.GetArgument<IDictionary<string, object?>?>("where"));
        if (!where.IsOk) return where.Error;
        var orderBy = GraphFilters.OrderBy(obj, request.Schema, context.GetArgument<IDictionary<string, object?>?>("orderBy"));
        if (!orderBy.IsOk) return orderBy.Error;
        return new Query(select, from, 0, where.Value, [], null, orderBy.Value, limit, offset, 0);
    }

    /// <summary>first (1 to 2000, 10 when left out) and the rows before the page (from after).</summary>
    static CrmResult<(int First, int Offset)> Page(IResolveFieldContext context)
    {
        int first = context.GetArgument<int?>("first") ?? GraphSchemaBuilder.DefaultFirst;
        if (first is < 1 or > GraphLimits.MaxFirst)
            return new CrmError(ErrorCodes.InvalidArgument, $"first must be between 1 and {GraphLimits.MaxFirst}; got {first}. Page with after: pageInfo.endCursor.", "first");
        string? after = context.GetArgument<string?>("after");
        if (GraphCursor.Decode(after) is not { } offset)
            return new CrmError(ErrorCodes.InvalidArgument, $"after '{after}' is not a cursor of this API; pass pageInfo.endCursor from the previous page.", "after");
        return (first, offset);
    }
}
