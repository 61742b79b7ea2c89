using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Stores;

namespace RevOps.Domain.Tenancy;

/// <summary>Creates tenants and manages their API keys; authenticates presented keys.</summary>
public sealed class TenantService(ITenantStore store, IdGenerator ids, TimeProvider time)
{
    /// <summary>API keys act as integration users, so their ids are User ids (005…), as CreatedById expects.</summary>
    const string KeyIdPrefix = "005";

    public sealed record NewTenant(Tenant Tenant, ApiKey Key, string Secret);

    public sealed record NewKey(ApiKey Key, string Secret);

    public async Task<CrmResult<NewTenant>> CreateTenantAsync(string? name, string? domain, string? tier, CancellationToken ct)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "name is required: send the company name, e.g. {\"name\": \"Acme\"}.", "name");
        if (name.Length > 255)
            return new CrmError(ErrorCodes.InvalidFieldValue, "name holds at most 255 characters.", "name");
        tier = string.IsNullOrWhiteSpace(tier) ? "free" : tier.Trim().ToLowerInvariant();
        if (!SubscriptionTiers.All.Contains(tier))
            return new CrmError(ErrorCodes.InvalidFieldValue, $"subscription_tier '{tier}' is not known. Send one of: {string.Join(", ", SubscriptionTiers.All)}.", "subscription_tier");

        var now = Now();
        var tenant = new Tenant(new TenantId(Guid.NewGuid()), name, string.IsNullOrWhiteSpace(domain) ? null : domain.Trim(), tier, now);
        var (key, secret) = MakeKey(tenant.Id, Scopes.Read | Scopes.Write | Scopes.Admin, null, now);
        await store.CreateAsync(tenant, key, ct);
        return new NewTenant(tenant, key, secret);
    }

    public async Task<CrmResult<NewKey>> CreateKeyAsync(TenantId tenant, Scopes scopes, DateTime? expiresAt, CancellationToken ct)
    {
        if (await store.GetAsync(tenant, ct) is null)
            return new CrmError(ErrorCodes.NotFound, $"no tenant '{tenant}'. List tenants with `revops tenant list`.", "tenant");
        var (key, secret) = MakeKey(tenant, scopes, expiresAt, Now());
        await store.AddKeyAsync(key, ct);
        return new NewKey(key, secret);
    }

    public async Task<CrmResult<ApiKey>> RevokeKeyAsync(string keyId, CancellationToken ct)
    {
        if (!SalesforceId.TryNormalize(keyId, out var id) || !await store.RevokeKeyAsync(id, Now(), ct))
            return new CrmError(ErrorCodes.NotFound, $"no API key '{keyId}'. List keys with `revops key list --tenant ID`.", "key");
        return (await store.FindKeyAsync(id, ct))!;
    }

    /// <summary>The caller a presented secret stands for, or null when it is unknown, revoked or expired.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, string channel, CancellationToken ct)
    {
        if (!secret.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal)) return null;
        var key = await store.FindKeyByHashAsync(ApiKeySecrets.Hash(secret), ct);
        if (key is null || !key.IsActive(time.GetUtcNow().UtcDateTime)) return null;
        return new Caller(key.Tenant, key.Id, key.Scopes, channel);
    }

    (ApiKey Key, string Secret) MakeKey(TenantId tenant, Scopes scopes, DateTime? expiresAt, DateTime now)
    {
        string secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey(ids.NewId(KeyIdPrefix), tenant, ApiKeySecrets.Hash(secret), ApiKeySecrets.DisplayPrefix(secret), scopes, now, expiresAt, null, null);
        return (key, secret);
    }

    DateTime Now() => time.GetUtcNow().UtcDateTime;
}
