using System.Collections.Concurrent;
using RevOps.Domain;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>One GraphQL request's context (GraphQL.NET's UserContext): the caller, its schema, the services, and the batches of child loads.</summary>
public sealed class GraphRequest(Caller caller, TenantSchema schema, SoqlService soql, RecordService records, RecycleBin bin) : Dictionary<string, object?>
{
    public Caller Caller { get; } = caller;
    public TenantSchema Schema { get; } = schema;
    public SoqlService Soql { get; } = soql;
    public RecordService Records { get; } = records;
    public RecycleBin Bin { get; } = bin;

    /// <summary>One batch per child connection in the response tree (keyed by its path without list indexes).</summary>
    public ConcurrentDictionary<string, GraphChildBatch> Batches { get; } = new(StringComparer.Ordinal);

    readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    /// <summary>True the first time only: an argument error of a child connection is reported once, not once per parent.</summary>
    public bool FirstReport(string key) => _reported.TryAdd(key, true);

    public static GraphRequest Of(GraphQL.IResolveFieldContext context) => (GraphRequest)context.UserContext;
}
