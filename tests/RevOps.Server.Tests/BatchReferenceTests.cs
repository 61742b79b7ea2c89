using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// A batch's references are looked up together before its items are prepared (one query per target object, not one
/// per item); each item still gets the answer a look-up of its own gave: a live parent by its 15- or 18-character Id
/// is taken, a deleted or unknown one fails that item with its own error, in creates and updates alike.
/// </summary>
public sealed class BatchReferenceTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static int Total(JsonElement page) => page.GetProperty("totalSize").GetInt32();

    [Fact]
    public async Task LiveParents_AreTaken_DeletedAndUnknownOnes_FailTheirOwnItem()
    {
        var tenant = await server.CreateTenantAsync("Batch references");
        var accounts = (await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "create", records = new object[] { new { Name = "Live" }, new { Name = "Gone" } } }))
            .GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        string live = accounts[0], gone = accounts[1];
        await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "delete", records = new[] { new { Id = gone } } });
        string unknown = live[..3] + "ZZZZZZZZZZZZ"; // 15 characters: a well-formed Id no record has

        var refused = await tenant.CallAsync("bulk_write", new
        {
            @object = "Contact", operation = "create", all_or_none = true,
            records = new object[]
            {
                new { LastName = "Long Id", AccountId = live }, new { LastName = "Short Id", AccountId = live[..15] },
                new { LastName = "Deleted parent", AccountId = gone }, new { LastName = "Unknown parent", AccountId = unknown },
            },
        });
        Assert.True(refused.IsError);
        var errors = JsonDocument.Parse(Mcp.Text(refused)).RootElement.GetProperty("errors").EnumerateArray()
            .Where(e => e.Str("code") != "ALL_OR_NONE_OPERATION_ROLLED_BACK").ToArray();
        Assert.Equal([2, 3], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.All(errors, e => Assert.Equal("INVALID_CROSS_REFERENCE_KEY", e.Str("code")));
        Assert.Contains(gone, errors[0].Str("message"));
        Assert.Equal(0, Total(await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })));

        var written = await tenant.CallOkAsync("bulk_write", new
        {
            @object = "Contact", operation = "create", all_or_none = true,
            records = new object[] { new { LastName = "Long Id", AccountId = live }, new { LastName = "Short Id", AccountId = live[..15] } },
        });
        var ids = written.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(2, ids.Length);
        foreach (var id in ids) Assert.Equal(live, (await tenant.CallOkAsync("get_record", new { Id = id })).Str("AccountId"));
    }

    [Fact]
    public async Task UpdatesPointingAtLiveAndDeletedParents_GetThePerItemAnswer()
    {
        var tenant = await server.CreateTenantAsync("Batch reference updates");
        var accounts = (await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "create", records = new object[] { new { Name = "Keep" }, new { Name = "Bin" } } }))
            .GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var contacts = (await tenant.CallOkAsync("bulk_write", new { @object = "Contact", operation = "create", records = new object[] { new { LastName = "One" }, new { LastName = "Two" } } }))
            .GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).ToArray();
        await tenant.CallOkAsync("bulk_write", new { @object = "Account", operation = "delete", records = new[] { new { Id = accounts[1] } } });

        var body = await tenant.CallOkAsync("bulk_write", new
        {
            @object = "Contact", operation = "update",
            records = new object[] { new { Id = contacts[0], AccountId = accounts[0] }, new { Id = contacts[1], AccountId = accounts[1] } },
        });
        Assert.Equal(1, body.GetProperty("succeeded").GetInt32());
        var error = body.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.Equal("INVALID_CROSS_REFERENCE_KEY", error.Str("code"));
        Assert.Equal(accounts[0], (await tenant.CallOkAsync("get_record", new { Id = contacts[0] })).Str("AccountId"));
        var unchanged = await tenant.CallOkAsync("get_record", new { Id = contacts[1] });
        Assert.True(!unchanged.TryGetProperty("AccountId", out var account) || account.ValueKind == JsonValueKind.Null);
    }
}
