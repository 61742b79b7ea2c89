using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Users;

namespace RevOps.Domain.Tenancy;

/// <summary>
/// Creates tenants and manages their API keys; authenticates presented keys. Every change is
/// written together with its audit-log row.
/// </summary>
public sealed class TenantService(ITenantStore store, IUserStore users, IdGenerator ids, TimeProvider time)
{
    readonly ApiKeyCache _keys = new(time);

    /// <summary>Key ids keep the 005 prefix they always had (clients keep them to revoke); the user a key acts as has its own Id.</summary>
    const string KeyIdPrefix = "005";

    public sealed record NewTenant(Tenant Tenant, ApiKey Key, string Secret, UserView FirstUser);

    public sealed record NewKey(ApiKey Key, string Secret);

    /// <summary>
    /// A new tenant with its first user, an admin: the person named by <paramref name="adminEmail"/> and
    /// <paramref name="adminName"/>, or else the tenant's Integration User. Its first key acts as that user.
    /// </summary>
    public async Task<CrmResult<NewTenant>> CreateTenantAsync(string? name, string? domain, string? tier, AuditSource by, CancellationToken ct,
        string? adminEmail = null, string? adminName = null)
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
        bool person = !string.IsNullOrWhiteSpace(adminEmail) || !string.IsNullOrWhiteSpace(adminName);
        var spec = person
            ? new NewUser(adminEmail, adminName) { IsAdmin = true }
            : new NewUser($"integration.{tenant.Id}@revops.invalid", "Integration User") { IsAdmin = true };
        var user = UserRecords.New(spec, ids.NewId(StandardObjects.User.KeyPrefix), null, now);
        if (!user.IsOk) return new CrmError(user.Error.Code, user.Error.Message.Replace("email is required", "admin_email is required").Replace("name is required", "admin_name is required"), "admin_" + user.Error.Field);
        if (await users.FindUsernameAsync((string)user.Value["Username"]!, ct) is not null) return UserService.UsernameTaken(user.Value["Username"] as string);
        var (key, secret) = MakeKey(tenant.Id, user.Value, Scopes.Read | Scopes.Write | Scopes.Admin, null, now);
        var audit = by.Entry(tenant.Id, now, AuditActions.TenantCreate, tenant.Id.ToString(),
            AuditDetails.Of(("name", tenant.Name), ("domain", tenant.Domain), ("subscription_tier", tier), ("first_key_id", key.Id), ("first_user_id", user.Value.Id)));
        var change = UserRecords.Change(by, user.Value, ChangeOperations.Created, RecordService.CreatedChanges(user.Value), now);
        if (!await store.CreateAsync(tenant, new RecordWrite(user.Value, null, change), key, audit, ct)) return UserService.UsernameTaken(user.Value["Username"] as string);
        return new NewTenant(tenant, key, secret, new UserView(new Record(StandardObjects.User, user.Value.Values, null, 1), IsAdmin: true, HasPassword: false));
    }

    /// <summary>A key acting as <paramref name="owner"/>, an active user of the tenant; only an admin's key may hold the admin scope.</summary>
    public async Task<CrmResult<NewKey>> CreateKeyAsync(TenantId tenant, UserView owner, Scopes scopes, DateTime? expiresAt, AuditSource by, CancellationToken ct)
    {
        var now = Now();
        if (expiresAt is { } expiry && expiry <= now)
            return new CrmError(ErrorCodes.InvalidFieldValue,
                $"expires_at {Format(expiry)} is not in the future; send a later UTC time, e.g. {Format(now.AddDays(90).Date)}, or none for a key that does not expire.", "expires_at");
        if (await store.GetAsync(tenant, ct) is null)
            return new CrmError(ErrorCodes.NotFound, $"no tenant '{tenant}'. List tenants with `revops tenant list`.", "tenant");
        if (!owner.IsActive)
            return new CrmError(ErrorCodes.InvalidArgument, $"{owner.Name} ({owner.Username}) is deactivated and cannot hold keys. Activate the user first (revops user activate), or name another user.", "user");
        if (scopes.HasFlag(Scopes.Admin) && !owner.IsAdmin)
            return new CrmError(ErrorCodes.InsufficientAccess, $"{owner.Name} ({owner.Username}) is not an admin, so their keys cannot have the admin scope. Send scope read or write, or name an admin.", "scope");
        var (key, secret) = MakeKey(tenant, owner.Record, scopes, expiresAt, now);
        var audit = by.Entry(tenant, now, AuditActions.KeyCreate, key.Id,
            AuditDetails.Of(("scope", ScopeNames.Format(scopes)), ("expires_at", expiresAt), ("prefix", key.Prefix), ("user_id", owner.Id)));
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

    /// <summary>Drops the user's keys from every node's cache (the user was deactivated), as a revocation does.</summary>
    public async Task ForgetKeysOfUserAsync(TenantId tenant, string userId, CancellationToken ct)
    {
        foreach (var key in await store.ListKeysAsync(tenant, ct))
            if (key.UserId == userId)
            {
                _keys.Remove(key.Hash);
                KeyRevoked?.Invoke(key.Hash);
            }
    }

    /// <summary>The caller a presented secret stands for, or null when it is unknown, revoked or expired, or its user is deactivated.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, string channel, CancellationToken ct)
    {
        if (TryAuthenticateCached(secret, channel, out var known)) return known;
        string hash = ApiKeySecrets.Hash(secret);
        var key = await store.FindKeyByHashAsync(hash, ct);
        if (key is null) return null;
        var entry = _keys.Add(key);
        return key.IsActive(Now()) ? entry.CallerOn(channel) : null;
    }

    /// <summary>
    /// The answer <see cref="AuthenticateAsync"/> would give, when it needs no store read (a key seen within
    /// <see cref="ApiKeyCache.Lifetime"/>, or a secret that is not a key): true with <paramref name="caller"/>
    /// (null when refused); false when the store must be asked. Activity (revocation, expiry, the user) is checked on every call.
    /// </summary>
    public bool TryAuthenticateCached(ReadOnlySpan<char> secret, string channel, out Caller? caller)
    {
        caller = null;
        if (!secret.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal)) return true;
        Span<char> hash = stackalloc char[ApiKeySecrets.HashLength];
        ApiKeySecrets.Hash(secret, hash);
        if (_keys.Find(hash) is not { } entry) return false;
        if (entry.Key.IsActive(Now())) caller = entry.CallerOn(channel);
        return true;
    }

    (ApiKey Key, string Secret) MakeKey(TenantId tenant, Record user, Scopes scopes, DateTime? expiresAt, DateTime now)
    {
        string secret = ApiKeySecrets.NewSecret();
        var key = new ApiKey(ids.NewId(KeyIdPrefix), tenant, ApiKeySecrets.Hash(secret), ApiKeySecrets.DisplayPrefix(secret), scopes, now, expiresAt, null, null)
        {
            UserId = user.Id,
            UserName = user["Name"] as string,
        };
        return (key, secret);
    }

    static string Format(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    DateTime Now() => time.GetUtcNow().UtcDateTime;
}
