using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Storage.TenantCopy;

namespace RevOps.Storage.Tests;

/// <summary>ITenantRows (StorageBackend.TenantRows): one tenant's rows of every table, counted and read, and no other tenant's.</summary>
public sealed class TenantRowsContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Count_TenantWithData_CountsItsRowsPerTable(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var account = await acme.CreateAsync(StandardObjects.Account, """{"Name":"Acme Corp"}""", Ct);
        await acme.CreateAsync(StandardObjects.Contact, $$"""{"LastName":"Lovelace","AccountId":"{{account.Id}}"}""", Ct);
        await acme.UpdateAsync(StandardObjects.Account, account.Id, """{"Phone":"555"}""", Ct);
        await globex.CreateAsync(StandardObjects.Account, """{"Name":"Globex Corp"}""", Ct);

        var counts = await store.Backend.TenantRows.CountAsync(acme.Id, Ct);

        Assert.Equal(TenantTables.All.Order(StringComparer.Ordinal), counts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, counts["tenants"]);
        Assert.Equal(1, counts["api_keys"]);
        Assert.Equal(1, counts["account"]);
        Assert.Equal(1, counts["contact"]);
        Assert.Equal(0, counts["opportunity"]);
        Assert.Equal(3, counts["change_log"]);
        Assert.Equal(1, counts["audit_log"]);
        Assert.Equal(0, counts["webhooks"]);
        Assert.True(await store.Backend.TenantRows.ExistsAsync(acme.Id, Ct));
        Assert.False(await store.Backend.TenantRows.ExistsAsync(new TenantId(Guid.NewGuid()), Ct));
    }

    [Theory, Backends]
    public async Task Read_Tenant_YieldsOnlyItsRowsInTableOrder(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await acme.CreateAsync(StandardObjects.Account, """{"Name":"Acme Corp"}""", Ct);
        await globex.CreateAsync(StandardObjects.Account, """{"Name":"Globex Corp"}""", Ct);
        await globex.CreateAsync(StandardObjects.Account, """{"Name":"Globex Two"}""", Ct);

        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new List<string>();
        await foreach (var batch in store.Backend.TenantRows.ReadAsync(globex.Id, Ct))
        {
            if (!order.Contains(batch.Table)) order.Add(batch.Table);
            rows[batch.Table] = rows.GetValueOrDefault(batch.Table) + batch.Rows.Count;
        }

        Assert.Equal(TenantTables.All.Where(order.Contains), order);
        Assert.Equal(2, rows["account"]);
        Assert.Equal(2, rows["change_log"]);
        Assert.Equal(1, rows["tenants"]);
    }
}
