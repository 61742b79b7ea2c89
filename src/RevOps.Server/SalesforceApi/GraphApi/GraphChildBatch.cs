using GraphQL.DataLoader;
using RevOps.Domain.Errors;
using RevOps.Domain.Soql;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// Collects the parent Ids of one child connection across all nodes of a level and loads their
/// children in one SOQL statement when the first result is awaited: GraphQL.NET resolves every
/// field of a level before it awaits any deferred result, so a page of 100 accounts asks once.
/// </summary>
public sealed class GraphChildBatch(Func<IReadOnlyList<string>, CancellationToken, Task<CrmResult<Dictionary<string, SoqlChildren>>>> fetch)
{
    readonly Lock _gate = new();
    Round _current = new();

    public IDataLoaderResult Load(string parentId, Func<CrmResult<Dictionary<string, SoqlChildren>>, bool, object?> map)
    {
        lock (_gate)
        {
            if (_current.Task is not null) _current = new Round();
            _current.Ids.Add(parentId);
            return new Pending(this, _current, map);
        }
    }

    Task<CrmResult<Dictionary<string, SoqlChildren>>> Run(Round round, CancellationToken ct)
    {
        lock (_gate) return round.Task ??= fetch(round.Ids, ct);
    }

    sealed class Round
    {
        public List<string> Ids { get; } = [];
        public Task<CrmResult<Dictionary<string, SoqlChildren>>>? Task { get; set; }
        int _reported;

        /// <summary>True for the first caller only, so a failed batch is reported once, not once per parent.</summary>
        public bool FirstToReport() => Interlocked.Exchange(ref _reported, 1) == 0;
    }

    sealed class Pending(GraphChildBatch batch, Round round, Func<CrmResult<Dictionary<string, SoqlChildren>>, bool, object?> map) : IDataLoaderResult
    {
        public async Task<object?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var result = await batch.Run(round, cancellationToken);
            return map(result, !result.IsOk && round.FirstToReport());
        }
    }
}
