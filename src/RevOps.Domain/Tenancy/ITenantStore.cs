using RevOps.Domain.Audit;
using RevOps.Domain.Records;

namespace RevOps.Domain.Tenancy;

/// <summary>Tenants and their API keys.</summary>
public interface ITenantStore
{
    /// <summary>
    /// Creates the tenant together with its first user (an admin; no change-log row, the audit row names it), the first key
    /// (which acts as that user) and the audit row, in one transaction; false when the user's username was taken meanwhile.
    /// </summary>
    Task<bool> CreateAsync(Tenant tenant, RecordWrite firstUser, ApiKey firstKey, AuditEntry audit, CancellationToken ct);

    Task<Tenant?> GetAsync(TenantId id, CancellationToken ct);

    Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct);

    /// <summary>Stores the key and its audit row in one transaction.</summary>
    Task AddKeyAsync(ApiKey key, AuditEntry audit, CancellationToken ct);

    Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken ct);

    Task<ApiKey?> FindKeyAsync(string keyId, CancellationToken ct);

    Task<IReadOnlyList<ApiKey>> ListKeysAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Marks the tenant's key revoked and writes the audit row, in one transaction; false when it was not active.</summary>
    Task<bool> RevokeKeyAsync(TenantId tenant, string keyId, DateTime at, AuditEntry audit, CancellationToken ct);

    /// <summary>Records when keys were last used, batched (never one write per request).</summary>
    Task TouchKeysAsync(IReadOnlyDictionary<string, DateTime> lastUsed, CancellationToken ct);
}
