using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

public sealed class DurabilityAndChangeLogTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task Restart_AfterWrites_ReadsBackEverything()
    {
        var tenant = await server.CreateTenantAsync("Durable");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "Persisted Inc" })).Str("Id");
        string contactId = (await tenant.CallOkAsync("create_contact", new { FirstName = "Per", LastName = "Sisted", Email = "per@persisted.test", AccountId = accountId })).Str("Id");
        string dealId = (await tenant.CallOkAsync("create_opportunity", new { Name = "Keep", StageName = "Prospecting", CloseDate = "2027-01-01" })).Str("Id");
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = dealId, StageName = "Closed Won" });

        await server.RestartAsync();

        var contact = await tenant.CallOkAsync("get_contact", new { Id = contactId });
        Assert.Equal("per@persisted.test", contact.Str("Email"));
        Assert.Equal(accountId, contact.Str("AccountId"));
        Assert.Equal("Persisted Inc", (await tenant.CallOkAsync("get_account", new { Id = accountId })).Str("Name"));
        var deal = await tenant.CallOkAsync("get_opportunity", new { Id = dealId });
        Assert.Equal("Closed Won", deal.Str("StageName"));
        Assert.True(deal.GetProperty("IsWon").GetBoolean());
    }

    [Fact]
    public async Task Writes_AppendChangeLogRows_WithSequenceFieldsActorAndChannel()
    {
        var tenant = await server.CreateTenantAsync("Audited");
        string contactId = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ann", LastName = "Audit", Email = "ann@audit.test" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = contactId, Email = "ann@new.test" });
        await tenant.CallOkAsync("update_contact", new { Id = contactId, Email = "ann@new.test" }); // no change: no row
        string dealId = (await tenant.CallOkAsync("create_opportunity", new { Name = "Audit deal", StageName = "Prospecting", CloseDate = "2027-01-01" })).Str("Id");
        await tenant.CallOkAsync("update_opportunity_stage", new { Id = dealId, StageName = "Closed Lost" });
        await tenant.CallAsync("create_contact", new { FirstName = "No last name" }); // refused: no row

        var rows = ChangeLogFile.Read(server, tenant.TenantId);

        Assert.Equal([1L, 2L, 3L, 4L], rows.Select(r => r.Seq));
        Assert.Equal(["created", "updated", "created", "stage_changed"], rows.Select(r => r.Operation));
        Assert.Equal(["Contact", "Contact", "Opportunity", "Opportunity"], rows.Select(r => r.Object));
        Assert.Equal([contactId, contactId, dealId, dealId], rows.Select(r => r.RecordId));
        Assert.All(rows, r => Assert.Equal((tenant.UserId, "Integration User", tenant.KeyId, "mcp"), (r.Actor, r.ActorName, r.KeyId, r.Channel)));

        var created = rows[0].Changes;
        Assert.Equal(JsonValueKind.Null, created.GetProperty("Email").GetProperty("before").ValueKind);
        Assert.Equal("ann@audit.test", created.GetProperty("Email").GetProperty("after").GetString());
        Assert.Equal("Ann Audit", created.GetProperty("Name").GetProperty("after").GetString());

        var updated = rows[1].Changes;
        Assert.Equal(["Email"], updated.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ann@audit.test", updated.GetProperty("Email").GetProperty("before").GetString());
        Assert.Equal("ann@new.test", updated.GetProperty("Email").GetProperty("after").GetString());

        var stage = rows[3].Changes;
        Assert.Equal("Prospecting", stage.GetProperty("StageName").GetProperty("before").GetString());
        Assert.Equal("Closed Lost", stage.GetProperty("StageName").GetProperty("after").GetString());
        Assert.Equal(10, stage.GetProperty("Probability").GetProperty("before").GetDouble());
        Assert.Equal(0, stage.GetProperty("Probability").GetProperty("after").GetDouble());
    }

    [Fact]
    public async Task ConcurrentCreates_AllAcknowledged_AllStoredWithGapFreeSequence()
    {
        var tenant = await server.CreateTenantAsync("Concurrent");
        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
            (await tenant.CallOkAsync("create_contact", new { LastName = $"Parallel{i:D2}", Email = $"p{i}@parallel.test" })).Str("Id")));

        Assert.Equal(64, ids.Distinct().Count());
        var rows = ChangeLogFile.Read(server, tenant.TenantId);
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), rows.Select(r => r.Seq));
        Assert.Equal(ids.Order(), rows.Select(r => r.RecordId).Order());
        var all = await tenant.CallOkAsync("search_contacts", new { name = "Parallel", limit = 200 });
        Assert.Equal(64, all.GetProperty("count").GetInt32());
    }

}
