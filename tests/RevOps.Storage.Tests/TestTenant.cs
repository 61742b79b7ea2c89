using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Tests;

/// <summary>A tenant made through TenantService, its first key (admin scope) and the caller of that key.</summary>
public sealed record TestTenant(Tenant Tenant, ApiKey Key, string Secret, Caller Caller, TestStore Store, Domain.Users.UserView User)
{
    public TenantId Id => Tenant.Id;

    /// <summary>Creates a record through RecordService and returns it as stored (version 1).</summary>
    public async Task<Record> CreateAsync(ObjectMetadata obj, string json, CancellationToken ct)
    {
        var created = await Store.RecordService.CreateAsync(Caller, obj, TestStore.Input(json), ct);
        Assert.True(created.IsOk, created.IsOk ? "" : created.Error.Message);
        return created.Value;
    }

    /// <summary>Updates a record through RecordService and returns it as stored.</summary>
    public async Task<Record> UpdateAsync(ObjectMetadata obj, string id, string json, CancellationToken ct)
    {
        var updated = await Store.RecordService.UpdateAsync(Caller, obj, id, TestStore.Input(json), ct);
        Assert.True(updated.IsOk, updated.IsOk ? "" : updated.Error.Message);
        return updated.Value;
    }
}
