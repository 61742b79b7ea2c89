using System.Data.Common;
using RevOps.Domain.Metadata;
using RevOps.Domain.Search;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Search;

/// <summary>
/// The engine's full-text search: SQLite's FTS5 and PostgreSQL's tsvector index the same search_doc
/// rows (their migrations keep them in step with the record tables) but are asked in languages of
/// their own. It makes the one statement that answers a search; <see cref="SearchStore"/> runs it
/// and reads the hits. Every statement it makes selects, in this order: object, record_id, name,
/// email, phone, mobile_phone, company, title, website, city, the Opportunity's StageName and
/// Amount, and the total number of hits; and filters on the tenant as a plain column, so isolation
/// never depends on the query text.
/// </summary>
internal abstract class SearchSql
{
    /// <summary>The search's statement with its parameters bound; null when nothing can match.</summary>
    public abstract Task<DbCommand?> CommandAsync(SqlSession session, TenantId tenant, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects,
        int limit, int offset, CancellationToken ct);

    /// <summary>
    /// The statement for <see cref="ISearchStore.CandidatesAsync"/>: the same columns (the total may
    /// be 0), from the engine's trigram index over search_doc's name, email and company.
    /// </summary>
    public abstract Task<DbCommand> CandidatesCommandAsync(SqlSession session, TenantId tenant, IReadOnlyList<string> probes,
        IReadOnlyList<ObjectMetadata> objects, int max, CancellationToken ct);

    /// <summary>The longest suffix of a number the index keeps as its own token (see the search migrations).</summary>
    protected const int NationalDigits = 10;
}
