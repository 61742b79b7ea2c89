using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search;

/// <summary>The full-text index of one tenant's Accounts, Contacts, Leads and Opportunities.</summary>
public interface ISearchStore
{
    /// <summary>
    /// Live records of <paramref name="tenant"/> among <paramref name="objects"/> that contain every
    /// word (or, for phone-like text, the digits), best match first: at most <paramref name="limit"/>
    /// of them after skipping <paramref name="offset"/>.
    /// </summary>
    Task<SearchHits> SearchAsync(TenantId tenant, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects, int limit, int offset, CancellationToken ct);

    /// <summary>
    /// Live records of <paramref name="tenant"/> among <paramref name="objects"/> whose name, email or
    /// company shares trigrams with any of <paramref name="probes"/> (see <see cref="FuzzyWords"/>),
    /// most alike first: at most <paramref name="max"/>, for <see cref="ForgivingSearch"/> to check.
    /// </summary>
    Task<IReadOnlyList<SearchHit>> CandidatesAsync(TenantId tenant, IReadOnlyList<string> probes, IReadOnlyList<ObjectMetadata> objects, int max, CancellationToken ct);
}
