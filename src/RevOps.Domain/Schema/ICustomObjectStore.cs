using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Schema;

/// <summary>The custom object definitions of each tenant, and their auto-number counters.</summary>
public interface ICustomObjectStore
{
    Task<IReadOnlyList<CustomObjectDefinition>> ListAsync(TenantId tenant, CancellationToken ct);

    /// <summary>
    /// Creates the definition with the tenant's next key prefix, or updates the labels of an existing one
    /// (its prefix and numbering stay), with its audit row in the same transaction; returns what is stored.
    /// </summary>
    Task<CustomObjectDefinition> SaveAsync(TenantId tenant, CustomObjectDefinition definition, Audit.AuditEntry audit, CancellationToken ct);

    /// <summary>The object's next auto-number, taken atomically: no two callers ever get the same one.</summary>
    Task<long> NextNumberAsync(TenantId tenant, string objectName, CancellationToken ct);
}
