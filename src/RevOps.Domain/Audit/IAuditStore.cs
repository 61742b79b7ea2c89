using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Audit;

/// <summary>
/// Reads the audit log. Entries are written by the stores that make the changes, in the same
/// transaction, so a change and its audit row are stored together or not at all.
/// </summary>
public interface IAuditStore
{
    /// <summary>The tenant's newest entries first, those with Seq below <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(TenantId tenant, long? before, int limit, CancellationToken ct);
}
