using RevOps.Domain.Metadata;
using RevOps.Domain.Search;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

internal sealed class PostgresSearchStore(PostgresDatabase db) : ISearchStore
{
    public Task<SearchHits> SearchAsync(TenantId tenant, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects, int limit, int offset, CancellationToken ct) =>
        throw new NotSupportedException($"Search is not implemented on {db.Location} yet.");
}
