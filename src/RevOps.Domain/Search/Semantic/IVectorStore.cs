using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search.Semantic;

/// <summary>Each tenant's semantic index: record vectors, the change-log cursor they follow and the lease of the node that moves it.</summary>
public interface IVectorStore
{
    /// <summary>Tenants whose change log has moved past their index's cursor, or whose index was never built.</summary>
    Task<IReadOnlyList<TenantId>> TenantsBehindAsync(int max, CancellationToken ct);

    /// <summary>Null when the tenant has no index row yet.</summary>
    Task<IndexState?> StateAsync(TenantId tenant, CancellationToken ct);

    /// <summary>
    /// Takes (or renews) the tenant's indexing lease for <paramref name="owner"/> until <paramref name="until"/>;
    /// false while another owner's lease runs, so only one node of a cluster embeds a tenant's changes.
    /// </summary>
    Task<bool> TryLeaseAsync(TenantId tenant, string owner, DateTime now, DateTime until, CancellationToken ct);

    /// <summary>
    /// Writes entries (tombstones too) and moves the cursor to <paramref name="seq"/> in one transaction,
    /// only while <paramref name="owner"/> holds the lease; false (nothing written) when it lost it.
    /// </summary>
    Task<bool> SaveAsync(TenantId tenant, string owner, IReadOnlyList<RecordVector> entries, long seq, bool built, string model, CancellationToken ct);

    /// <summary>Entries written after <paramref name="afterVersion"/>, tombstones included, with the state they were read at.</summary>
    Task<(IndexState State, IReadOnlyList<RecordVector> Entries)> ReadAsync(TenantId tenant, long afterVersion, CancellationToken ct);

    /// <summary>Forgets the tenant's vectors and cursor (keeping its version and raising its generation): the next pass rebuilds it.</summary>
    Task ResetAsync(TenantId tenant, CancellationToken ct);
}
