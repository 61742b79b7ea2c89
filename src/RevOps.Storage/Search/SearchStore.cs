using RevOps.Domain.Metadata;
using RevOps.Domain.Search;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Search;

/// <summary>Full-text search over Accounts, Contacts, Leads, Opportunities and custom objects' names, in the engine's own index (<see cref="SearchSql"/>).</summary>
internal sealed class SearchStore(SqlDatabase db) : ISearchStore
{
    public Task<SearchHits> SearchAsync(TenantId tenant, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects, int limit, int offset, CancellationToken ct)
    {
        if (objects.Count == 0) throw new ArgumentOutOfRangeException(nameof(objects), objects.Count, "Search one object or more.");
        return db.ReadAsync(tenant, async session =>
        {
            var command = await session.Dialect.Search.CommandAsync(session, tenant, terms, objects, limit, offset, ct);
            if (command is null) return new SearchHits([], 0);
            return await ReadAsync(session.Dialect, command, ct);
        }, ct);
    }

    public Task<IReadOnlyList<SearchHit>> CandidatesAsync(TenantId tenant, IReadOnlyList<string> probes, IReadOnlyList<ObjectMetadata> objects, int max, CancellationToken ct)
    {
        if (objects.Count == 0) throw new ArgumentOutOfRangeException(nameof(objects), objects.Count, "Search one object or more.");
        if (probes.Count == 0) return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        return db.ReadAsync(tenant, async session =>
        {
            var command = await session.Dialect.Search.CandidatesCommandAsync(session, tenant, probes, objects, max, ct);
            return (IReadOnlyList<SearchHit>)(await ReadAsync(session.Dialect, command, ct)).Hits;
        }, ct);
    }

    static async Task<SearchHits> ReadAsync(SqlDialect d, System.Data.Common.DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var hits = new List<SearchHit>();
        int total = 0;
        while (await reader.ReadAsync(ct))
        {
            hits.Add(new SearchHit(reader.GetString(0), reader.GetString(1), d.ReadNullableText(reader, 2), d.ReadNullableText(reader, 3),
                d.ReadNullableText(reader, 4), d.ReadNullableText(reader, 5), d.ReadNullableText(reader, 6), d.ReadNullableText(reader, 7),
                d.ReadNullableText(reader, 8), d.ReadNullableText(reader, 9), d.ReadNullableText(reader, 10), reader.IsDBNull(11) ? null : reader.GetDouble(11)));
            total = Convert.ToInt32(reader.GetValue(12), System.Globalization.CultureInfo.InvariantCulture);
        }
        return new SearchHits(hits, total);
    }
}
