using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>list_changes, get_record_history and get_record as_of over MCP, against the real change log.</summary>
public sealed class ChangeToolsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static async Task<DateTime> PauseAsync()
    {
        // Change times have millisecond precision: a few ms apart keeps "between two writes" unambiguous.
        await Task.Delay(20, TestContext.Current.CancellationToken);
        var now = DateTime.UtcNow;
        await Task.Delay(20, TestContext.Current.CancellationToken);
        return now;
    }

    static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    [Fact]
    public async Task HistoryAndAsOf_ReturnExactPastValues_AndRefuseBeforeCreationAndWhileDeleted()
    {
        var tenant = await server.CreateTenantAsync("Time travel");
        var beforeCreate = await PauseAsync();
        string id = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Past", Email = "ada@past.test", Title = "Engineer" })).Str("Id");
        var afterCreate = await PauseAsync();
        await tenant.CallOkAsync("update_contact", new { Id = id, Email = "ada@present.test", Title = "CTO" });
        var afterUpdate = await PauseAsync();
        await tenant.CallOkAsync("delete_record", new { Id = id });
        var whileDeleted = await PauseAsync();
        await tenant.CallOkAsync("restore_record", new { Id = id });
        await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Title = (string?)null, Phone = "+1 555 0199" } });

        var v1 = await tenant.CallOkAsync("get_record", new { Id = id, as_of = Iso(afterCreate) });
        Assert.Equal(("ada@past.test", "Engineer", "Ada Past"), (v1.Str("Email"), v1.Str("Title"), v1.Str("Name")));
        Assert.False(v1.TryGetProperty("Phone", out _));
        var v2 = await tenant.CallOkAsync("get_record", new { Id = id, as_of = Iso(afterUpdate), fields = new[] { "Email", "Title", "LastModifiedById" } });
        Assert.Equal(("ada@present.test", "CTO", tenant.UserId), (v2.Str("Email"), v2.Str("Title"), v2.Str("LastModifiedById")));
        var now = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.False(now.TryGetProperty("Title", out _));
        Assert.Equal("+1 555 0199", now.Str("Phone"));

        var history = await tenant.CallOkAsync("get_record_history", new { Id = id });
        var versions = history.GetProperty("versions").EnumerateArray().ToArray();
        Assert.Equal(["created", "updated", "deleted", "restored", "updated"], versions.Select(v => v.Str("operation")));
        Assert.Equal([1, 2, 3, 4, 5], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.All(versions, v => Assert.Equal((tenant.UserId, "Integration User", tenant.KeyId, "mcp", "Contact", id),
            (v.GetProperty("actor").Str("Id"), v.GetProperty("actor").Str("Name"), v.Str("keyId"), v.Str("channel"), v.Str("object"), v.Str("recordId"))));
        Assert.Equal("ada@past.test", versions[1].GetProperty("changes").GetProperty("Email").Str("before"));
        Assert.Equal("CTO", versions[4].GetProperty("changes").GetProperty("Title").Str("before"));
        Assert.Equal(JsonValueKind.Null, versions[4].GetProperty("changes").GetProperty("Title").GetProperty("after").ValueKind);
        Assert.Equal(5, history.GetProperty("count").GetInt32());

        var early = Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id, as_of = Iso(beforeCreate) }));
        Assert.StartsWith($"NOT_FOUND: Contact '{id}' did not exist yet at {beforeCreate:yyyy-MM-dd'T'HH:mm:ss.fff}+0000; it was created at ", early);
        var deleted = Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id, as_of = Iso(whileDeleted) }));
        Assert.StartsWith($"ENTITY_IS_DELETED: Contact '{id}' was in the recycle bin at {whileDeleted:yyyy-MM-dd'T'HH:mm:ss.fff}+0000 (deleted at ", deleted);
        Assert.Equal("INVALID_ARGUMENT: as_of 'yesterday' is not an ISO 8601 time. Send e.g. \"2026-11-25T09:00:00Z\".",
            Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id, as_of = "yesterday" })));
    }

    [Fact]
    public async Task ListChanges_FiltersAndPagesWithCursor_InSequenceOrder()
    {
        var tenant = await server.CreateTenantAsync("Change list");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Listed" })).Str("Id");
        var ids = new List<string>();
        for (int i = 0; i < 5; i++) ids.Add((await tenant.CallOkAsync("create_contact", new { LastName = $"L{i}", AccountId = account })).Str("Id"));
        var midway = await PauseAsync();
        await tenant.CallOkAsync("update_contact", new { Id = ids[0], Title = "VP" });
        await tenant.CallOkAsync("update_record", new { Id = account, fields = new { Industry = "Banking" } });
        await tenant.CallOkAsync("delete_record", new { Id = ids[1] });

        var all = await tenant.CallOkAsync("list_changes", new { });
        Assert.Equal(Enumerable.Range(1, all.GetProperty("count").GetInt32()).Select(i => (long)i), all.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("seq").GetInt64()));
        Assert.False(all.GetProperty("hasMore").GetBoolean());

        var contacts = await tenant.CallOkAsync("list_changes", new { @object = "Contact", operation = "created" });
        Assert.Equal(ids, contacts.GetProperty("changes").EnumerateArray().Select(c => c.Str("recordId")));
        var one = await tenant.CallOkAsync("list_changes", new { Id = ids[0] });
        Assert.Equal(["created", "updated"], one.GetProperty("changes").EnumerateArray().Select(c => c.Str("operation")));
        Assert.Equal("VP", one.GetProperty("changes")[1].GetProperty("changes").GetProperty("Title").Str("after"));
        var since = await tenant.CallOkAsync("list_changes", new { since = Iso(midway), @object = "Contact" });
        Assert.Equal([ids[0], ids[1]], since.GetProperty("changes").EnumerateArray().Select(c => c.Str("recordId")));
        var afterSeq = await tenant.CallOkAsync("list_changes", new { since_seq = 6 });
        Assert.Equal(7L, afterSeq.GetProperty("changes")[0].GetProperty("seq").GetInt64());

        var seen = new List<long>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await tenant.CallOkAsync("list_changes", cursor is null ? new { @object = "Contact", limit = 2 } : (object)new { @object = "Contact", limit = 2, cursor });
            seen.AddRange(page.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("seq").GetInt64()));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            Assert.Equal(cursor is not null, page.GetProperty("hasMore").GetBoolean());
            pages++;
        } while (cursor is not null);
        Assert.Equal([2L, 3, 4, 5, 6, 7, 9], seen);
        Assert.Equal(4, pages);

        Assert.Equal("INVALID_ARGUMENT: This cursor belongs to a list_changes call with other filters. Send the same filters as the call that returned it, or leave cursor out to start over.",
            Mcp.ErrorText(await tenant.CallAsync("list_changes", new { @object = "Account", limit = 2, cursor = (await tenant.CallOkAsync("list_changes", new { @object = "Contact", limit = 2 })).Str("nextCursor") })));
        Assert.Equal("INVALID_ARGUMENT: limit must be between 1 and 1000; 0 was sent.", Mcp.ErrorText(await tenant.CallAsync("list_changes", new { limit = 0 })));
    }

    [Fact]
    public async Task ChangeTools_NeverShowAnotherTenantsChanges()
    {
        var acme = await server.CreateTenantAsync("Acme changes");
        var globex = await server.CreateTenantAsync("Globex changes");
        string secret = (await acme.CallOkAsync("create_contact", new { LastName = "Secret" })).Str("Id");
        await acme.CallOkAsync("update_contact", new { Id = secret, Title = "Spy" });

        var list = await globex.CallOkAsync("list_changes", new { });
        Assert.Equal(0, list.GetProperty("count").GetInt32());
        Assert.Equal(0, (await globex.CallOkAsync("list_changes", new { Id = secret })).GetProperty("count").GetInt32());
        Assert.Equal($"NOT_FOUND: no contact '{secret}' in this org. Check the Id, or search for the record first.",
            Mcp.ErrorText(await globex.CallAsync("get_record_history", new { Id = secret })));
        Assert.StartsWith("NOT_FOUND: ", Mcp.ErrorText(await globex.CallAsync("get_record", new { Id = secret, as_of = "2999-01-01T00:00:00Z" })));
        Assert.Equal("NOT_FOUND: no change with seq 2 in this org. list_changes shows each change's seq.",
            Mcp.ErrorText(await globex.CallAsync("undo_change", new { seq = 2 })));
        Assert.Equal("Spy", (await acme.CallOkAsync("get_contact", new { Id = secret })).Str("Title"));
    }
}
