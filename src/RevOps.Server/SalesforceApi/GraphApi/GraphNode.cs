using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>A record as a GraphQL node: the SOQL row its query read, found by field and relationship name.</summary>
public sealed class GraphNode
{
    readonly Dictionary<string, object?> _fields = new(StringComparer.OrdinalIgnoreCase);

    public GraphNode(ObjectMetadata obj, SoqlRow row)
    {
        Object = obj;
        Id = row.Id ?? "";
        foreach (var (name, value) in row.Fields) _fields[name] = value;
    }

    public ObjectMetadata Object { get; }
    public string Id { get; }

    public object? Get(string name) => _fields.GetValueOrDefault(name);

    public GraphNode? Parent(string relationship, ObjectMetadata target) =>
        Get(relationship) is SoqlRow row ? new GraphNode(target, row) : null;
}

/// <summary>One page of a connection: its nodes, where the page starts, whether more follow, and the total when it was read.</summary>
public sealed record GraphConnection(IReadOnlyList<GraphNode> Nodes, int Offset, bool HasNextPage, long? TotalCount);

public sealed record GraphEdge(GraphNode Node, string Cursor);
