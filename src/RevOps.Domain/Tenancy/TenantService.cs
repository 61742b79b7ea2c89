using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;

namespace RevOps.Domain.Tenancy;

/// <summary>
/// Creates tenants and manages their API keys; authenticates presented keys. Every change is
/// written together with its audit-log row.
/// </summary>
public sealed class TenantService(ITenantStore store, IdGenerator ids, TimeProvider time)
{
    readonly ApiKeyCache _keys = new(time);

    /// <summary>API keys act as integration users, so their ids are User ids (005…), as CreatedById expects.</summary>
    const string KeyIdPrefix = "005";

    public sealed record NewTenant(Tenant Tenant, ApiKey Key, string Secret);

    public sealed record NewKey(ApiKey Key, string Secret);

    public async Task<CrmResult<NewTenant>> CreateTenantAsync(string? name, string? domain, string? tier, AuditSource by, CancellationToken ct)
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
        var audit = by.Entry(tenant.Id, now, AuditActions.TenantCreate, tenant.Id.ToString(),
            AuditDetails.Of(("name", tenant.Name), ("domain", tenant.Domain), ("subscription_tier", tier), ("first_key_id", key.Id)));
        await store.CreateAsync(tenant, key, audit, ct);
        return new NewTenant(tenant, key, secret);
    }

    public async Task<CrmResult<NewKey>> CreateKeyAsync(TenantId tenant, Scopes scopes, DateTime? expiresAt, AuditSource by, CancellationToken ct)
    {
        var now = Now();
        if (expiresAt is { } expiry && expiry <= now)
            return new CrmError(ErrorCodes.InvalidFieldValue,
                $"expires_at {Format(expiry)} is not in the future; send a later UTC time, e.g. {Format(now.AddDays(90).Date)}, or none for a key that does not expire.", "expires_at");
        if (await store.GetAsync(tenant, ct) is null)
            return new CrmError(ErrorCodes.NotFound, $"no tenant '{tenant}'. List tenants with `revops tenant list`.", "tenant");
        var (key, secret) = MakeKey(tenant, scopes, expiresAt, now);
        var audit = by.Entry(tenant, now, AuditActions.KeyCreate, key.Id,
            AuditDetails.Of(("scope", ScopeNames.Format(scopes)), ("expires_at", expiresAt), ("prefix", key.Prefix)));
        await store.AddKeyAsync(key, audit, ct);
        return new NewKey(key, secret);
    }

    /// <summary>
    /// Revokes a key: of <paramref name="tenant"/> only when given (a tenant's own admin key), of
    /// any tenant otherwise (the operator). Revoking a revoked key is not an error and changes nothing.
    /// </summary>
    public async Task<CrmResult<ApiKey>> RevokeKeyAsync(TenantId? tenant, string keyId, AuditSource by, CancellationToken ct)
    {
        var notFound = new CrmError(ErrorCodes.NotFound,
            tenant is null ? $"no API key '{keyId}'. List keys with `revops key list --tenant ID`." : $"no API key '{keyId}' in this org. List keys with GET /api/keys.", "key");
        if (!SalesforceId.TryNormalize(keyId, out var id)) return notFound;
        var key = await store.FindKeyAsync(id, ct);
        if (key is null || (tenant is { } own && key.Tenant != own)) return notFound;
        if (key.RevokedAt is not null) return key;
        var now = Now();
        var audit = by.Entry(key.Tenant, now, AuditActions.KeyRevoke, key.Id, AuditDetails.Of(("scope", ScopeNames.Format(key.Scopes)), ("prefix", key.Prefix)));
        await store.RevokeKeyAsync(key.Tenant, key.Id, now, audit, ct);
        _keys.Remove(key.Hash);
        KeyRevoked?.Invoke(key.Hash);
        return (await store.FindKeyAsync(id, ct))!;
    }

    /// <summary>Raised after a revocation through this process, with the key's hash, for the other nodes' caches.</summary>
    public event Action<string>? KeyRevoked;

    /// <summary>Drops a cached key (revoked on another node), so the next request with it reads the store.</summary>
    public void ForgetKey(string hash) => _keys.Remove(hash);

    /// <summary>The caller a presented secret stands for, or null when it is unknown, revoked or expired.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, string channel, CancellationToken ct)
    {
        if (!secret.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal)) return null;
        string hash = ApiKeySecrets.Hash(secret);
        var key = _keys.Find(hash);
        if (key is null)
        {
            key = await store.FindKeyByHashAsync(hash, ct);
            if (key is null) return null;
            _keys.Add(key);
        }
        if (!key.IsActive(time.GetUtcNow().UtcDateTime)) return null;
        return new Caller(key.Tenant, key.Id, key.Scopes, channel);
    }

    (ApiKey Key, string Secret) MakeKey(TenantId tenant, Scopes scopes, DateTime? expiresAt, DateTime now)
    {
        string secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey(ids.NewId(KeyIdPrefix), tenant, ApiKeySecrets.Hash(secret), ApiKeySecrets.DisplayPrefix(secret), scopes, now, expiresAt, null, null);
        return (key, secret);
    }

    static string Format(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    DateTime Now() => time.GetUtcNow().UtcDateTime;
}
