using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Stores;

/// <summary>Tenants and their API keys.</summary>
public interface ITenantStore
{
    /// <summary>Creates the tenant together with its first key, in one transaction.</summary>
    Task CreateAsync(Tenant tenant, ApiKey firstKey, CancellationToken ct);

    Task<Tenant?> GetAsync(TenantId id, CancellationToken ct);

    Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct);

    Task AddKeyAsync(ApiKey key, CancellationToken ct);

    Task<ApiKey?> FindKeyByHashAsync(string hash, CancellationToken ct);

    Task<ApiKey?> FindKeyAsync(string keyId, CancellationToken ct);

    Task<IReadOnlyList<ApiKey>> ListKeysAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Marks the key revoked; false when no such key exists.</summary>
    Task<bool> RevokeKeyAsync(string keyId, DateTime at, CancellationToken ct);

    /// <summary>Records when keys were last used, batched (never one write per request).</summary>
    Task TouchKeysAsync(IReadOnlyDictionary<string, DateTime> lastUsed, CancellationToken ct);
}
