using GraphQL.Types;
using RevOps.Domain.Metadata;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>The generated types of one object: the record, its connection and edge, and its filter and ordering inputs.</summary>
public sealed class GraphObjectTypes(ObjectMetadata obj)
{
    public ObjectMetadata Object { get; } = obj;
    public ObjectGraphType Record { get; } = new() { Name = obj.Name };
    public ObjectGraphType Connection { get; } = new() { Name = obj.Name + "Connection" };
    public ObjectGraphType Edge { get; } = new() { Name = obj.Name + "Edge" };
    public InputObjectGraphType Filter { get; } = new() { Name = obj.Name + "_Filter" };
    public InputObjectGraphType OrderBy { get; } = new() { Name = obj.Name + "_OrderBy" };
}
