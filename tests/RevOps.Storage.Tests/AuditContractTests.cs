using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Tests;

/// <summary>IAuditStore (StorageBackend.Audit): rows written with the tenant, key and schema changes; newest first; per tenant.</summary>
public sealed class AuditContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task List_AfterAdminChanges_NewestFirstNumberedPerTenant(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var key = await store.TenantService.CreateKeyAsync(acme.Id, acme.User, Scopes.Read, null, AuditSource.Cli, Ct);
        Assert.True((await store.TenantService.RevokeKeyAsync(acme.Id, key.Value.Key.Id, AuditSource.Operator("req-7"), Ct)).IsOk);
        Assert.True((await store.Schemas.DefineAsync(acme.Caller, new CustomFieldSpec("Account", "Tier__c", "Text", Length: 10), Ct)).IsOk);

        var entries = await store.Backend.Audit.ListAsync(acme.Id, null, 10, Ct);

        Assert.Equal([4L, 3L, 2L, 1L], entries.Select(e => e.Seq));
        Assert.Equal([AuditActions.FieldDefine, AuditActions.KeyRevoke, AuditActions.KeyCreate, AuditActions.TenantCreate], entries.Select(e => e.Action));
        Assert.Equal(["Account.Tier__c", key.Value.Key.Id, key.Value.Key.Id, acme.Id.ToString()], entries.Select(e => e.Target));
        Assert.Equal([acme.User.Id, "operator", "cli", "cli"], entries.Select(e => e.ActorId));
        Assert.Equal(["rest", "admin", "cli", "cli"], entries.Select(e => e.Channel));
        Assert.Equal(["req-acme", "req-7", null, null], entries.Select(e => e.RequestId));
        Assert.All(entries, e => Assert.Equal(acme.Id, e.Tenant));
        using var details = JsonDocument.Parse(entries[3].Details);
        Assert.Equal("Acme", details.RootElement.GetProperty("name").GetString());
        Assert.Equal(acme.Key.Id, details.RootElement.GetProperty("first_key_id").GetString());
    }

    [Theory, Backends]
    public async Task List_BeforeAndLimit_PageBackwards(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        for (int i = 0; i < 4; i++)
            await store.TenantService.CreateKeyAsync(acme.Id, acme.User, Scopes.Read, null, AuditSource.Cli, Ct);

        var newest = await store.Backend.Audit.ListAsync(acme.Id, null, 2, Ct);
        var older = await store.Backend.Audit.ListAsync(acme.Id, newest[^1].Seq, 2, Ct);
        var oldest = await store.Backend.Audit.ListAsync(acme.Id, older[^1].Seq, 2, Ct);

        Assert.Equal([5L, 4L], newest.Select(e => e.Seq));
        Assert.Equal([3L, 2L], older.Select(e => e.Seq));
        Assert.Equal([1L], oldest.Select(e => e.Seq));
    }

    [Theory, Backends]
    public async Task List_OtherTenant_SeesOnlyItsOwnRows(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await store.TenantService.CreateKeyAsync(acme.Id, acme.User, Scopes.Read, null, AuditSource.Cli, Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);

        var entries = await store.Backend.Audit.ListAsync(globex.Id, null, 10, Ct);

        var only = Assert.Single(entries);
        Assert.Equal((1L, AuditActions.TenantCreate, globex.Id), (only.Seq, only.Action, only.Tenant));
        Assert.Empty(await store.Backend.Audit.ListAsync(new TenantId(Guid.NewGuid()), null, 10, Ct));
    }

    [Theory, Backends]
    public async Task RevokeKey_KeyOfAnotherTenant_WritesNoAuditRow(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var audit = AuditSource.Cli.Entry(globex.Id, DateTime.UtcNow, AuditActions.KeyRevoke, acme.Key.Id, "{}");

        Assert.False(await store.Backend.Tenants.RevokeKeyAsync(globex.Id, acme.Key.Id, DateTime.UtcNow, audit, Ct));

        Assert.Equal([AuditActions.TenantCreate], (await store.Backend.Audit.ListAsync(globex.Id, null, 10, Ct)).Select(e => e.Action));
        Assert.Equal([AuditActions.TenantCreate], (await store.Backend.Audit.ListAsync(acme.Id, null, 10, Ct)).Select(e => e.Action));
    }
}
