using RevOps.Domain.Audit;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Tests;

/// <summary>ITenantStore (StorageBackend.Tenants) through TenantService: tenants, keys by hash, revocation, listing, last use.</summary>
public sealed class TenantStoreContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Create_Tenant_StoredWithItsFirstKey(string kind)
    {
        var store = await backends.SharedAsync(kind);

        var acme = await store.NewTenantAsync("Acme", Ct);
        var tenant = await store.Backend.Tenants.GetAsync(acme.Id, Ct);
        var key = await store.Backend.Tenants.FindKeyByHashAsync(ApiKeySecrets.Hash(acme.Secret), Ct);

        Assert.NotNull(tenant);
        Assert.Equal(acme.Id, tenant.Id);
        Assert.Equal("Acme", tenant.Name);
        Assert.Equal("acme.test", tenant.Domain);
        Assert.Equal("professional", tenant.SubscriptionTier);
        Assert.Equal(acme.Tenant.CreatedAt, tenant.CreatedAt, TimeSpan.FromMilliseconds(1));
        Assert.NotNull(key);
        Assert.Equal(acme.Key.Id, key.Id);
        Assert.Equal(acme.Id, key.Tenant);
        Assert.Equal(Scopes.Read | Scopes.Write | Scopes.Admin, key.Scopes);
        Assert.Equal(acme.Key.Prefix, key.Prefix);
        Assert.Null(key.RevokedAt);
        Assert.Null(key.ExpiresAt);
        Assert.Null(key.LastUsedAt);
        Assert.Contains(tenant, await store.Backend.Tenants.ListAsync(Ct));
        Assert.Null(await store.Backend.Tenants.GetAsync(new TenantId(Guid.NewGuid()), Ct));
        Assert.Null(await store.Backend.Tenants.FindKeyByHashAsync(ApiKeySecrets.Hash(ApiKeySecrets.NewSecret()), Ct));
    }

    [Theory, Backends]
    public async Task AddKey_ReadKeyWithExpiry_FoundByHashAndIdAndListed(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var expires = new DateTime(2099, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        var created = await store.TenantService.CreateKeyAsync(acme.Id, acme.User, Scopes.Read, expires, AuditSource.Cli, Ct);
        var byHash = await store.Backend.Tenants.FindKeyByHashAsync(ApiKeySecrets.Hash(created.Value.Secret), Ct);
        var byId = await store.Backend.Tenants.FindKeyAsync(created.Value.Key.Id, Ct);
        var keys = await store.Backend.Tenants.ListKeysAsync(acme.Id, Ct);

        Assert.Equal(created.Value.Key.Id, byHash!.Id);
        Assert.Equal(Scopes.Read, byHash.Scopes);
        Assert.Equal(expires, byHash.ExpiresAt);
        Assert.Equal(byHash, byId);
        Assert.Equal([acme.Key.Id, created.Value.Key.Id], keys.Select(k => k.Id).Order(StringComparer.Ordinal));
        var caller = await store.TenantService.AuthenticateAsync(created.Value.Secret, "rest", Ct);
        Assert.Equal(new Caller(acme.Id, acme.User.Id, Scopes.Read, "rest") { ActorName = acme.User.Name, KeyId = created.Value.Key.Id }, caller);
    }

    [Theory, Backends]
    public async Task RevokeKey_ActiveKey_StampsRevokedAtOnceAndStopsAuthentication(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var second = await store.TenantService.CreateKeyAsync(acme.Id, acme.User, Scopes.Read | Scopes.Write, null, AuditSource.Cli, Ct);
        var at = new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var audit = AuditSource.Cli.Entry(acme.Id, at, AuditActions.KeyRevoke, second.Value.Key.Id, "{}");

        bool revoked = await store.Backend.Tenants.RevokeKeyAsync(acme.Id, second.Value.Key.Id, at, audit, Ct);
        bool again = await store.Backend.Tenants.RevokeKeyAsync(acme.Id, second.Value.Key.Id, at.AddHours(1), audit, Ct);
        var key = await store.Backend.Tenants.FindKeyAsync(second.Value.Key.Id, Ct);

        Assert.True(revoked);
        Assert.False(again);
        Assert.Equal(at, key!.RevokedAt);
        Assert.False(key.IsActive(DateTime.UtcNow));
        Assert.Null(await new TenantService(store.Backend.Tenants, store.Backend.Users, Domain.Ids.IdGenerator.WithRandomNode(), TimeProvider.System).AuthenticateAsync(second.Value.Secret, "rest", Ct));
        Assert.Null((await store.Backend.Tenants.FindKeyAsync(acme.Key.Id, Ct))!.RevokedAt);
    }

    [Theory, Backends]
    public async Task TouchKeys_Batch_StoresLastUsedPerKey(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var t1 = new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc);
        var t2 = new DateTime(2026, 1, 1, 11, 30, 0, DateTimeKind.Utc);

        await store.Backend.Tenants.TouchKeysAsync(new Dictionary<string, DateTime> { [acme.Key.Id] = t1, [globex.Key.Id] = t2 }, Ct);

        Assert.Equal(t1, (await store.Backend.Tenants.FindKeyAsync(acme.Key.Id, Ct))!.LastUsedAt);
        Assert.Equal(t2, (await store.Backend.Tenants.FindKeyAsync(globex.Key.Id, Ct))!.LastUsedAt);
    }

    [Theory, Backends]
    public async Task Keys_OtherTenant_NeitherListedNorRevocable(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var audit = AuditSource.Cli.Entry(globex.Id, DateTime.UtcNow, AuditActions.KeyRevoke, acme.Key.Id, "{}");

        var globexKeys = await store.Backend.Tenants.ListKeysAsync(globex.Id, Ct);
        bool revoked = await store.Backend.Tenants.RevokeKeyAsync(globex.Id, acme.Key.Id, DateTime.UtcNow, audit, Ct);
        var viaService = await store.TenantService.RevokeKeyAsync(globex.Id, acme.Key.Id, AuditSource.Cli, Ct);

        Assert.Equal([globex.Key.Id], globexKeys.Select(k => k.Id));
        Assert.False(revoked);
        Assert.False(viaService.IsOk);
        Assert.Equal("NOT_FOUND", viaService.Error.Code);
        Assert.Null((await store.Backend.Tenants.FindKeyAsync(acme.Key.Id, Ct))!.RevokedAt);
        Assert.Equal(acme.Id, (await store.TenantService.AuthenticateAsync(acme.Secret, "mcp", Ct))!.Tenant);
    }
}
