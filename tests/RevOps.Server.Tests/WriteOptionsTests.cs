using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>idempotency_key, dry_run and on_duplicate on the write tools; paging with totalSize, nextCursor and fields.</summary>
public sealed class WriteOptionsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task IdempotencyKey_SameKeyReturnsTheFirstRecord_NeverASecondOne()
    {
        var tenant = await server.CreateTenantAsync("Idempotent");
        var first = await tenant.CallOkAsync("create_contact", new { LastName = "Once", Email = "once@x.test", idempotency_key = "k-1" });
        var again = await tenant.CallOkAsync("create_contact", new { LastName = "Once", Email = "once@x.test", idempotency_key = "k-1" });
        Assert.Equal(first.Str("Id"), again.Str("Id"));
        Assert.True(again.GetProperty("idempotentReplay").GetBoolean());
        Assert.False(first.TryGetProperty("idempotentReplay", out _));

        // Twenty concurrent retries with one key: exactly one record.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Race", Company = "Racers" }, idempotency_key = "race-key" })));
        Assert.Single(results.Select(r => r.Str("Id")).Distinct());
        var leads = await tenant.CallOkAsync("find_records", new { @object = "Lead", where = new { Company = "Racers" } });
        Assert.Equal(1, leads.GetProperty("totalSize").GetInt32());

        // The same key for a different request is refused and writes nothing.
        string reused = Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "Other", idempotency_key = "k-1" }));
        Assert.StartsWith("IDEMPOTENCY_KEY_REUSED: idempotency_key 'k-1' was already used at ", reused);
        Assert.Contains($"for a different request (created Contact {first.Str("Id")}). Use a new key for a new write.", reused);
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts")).GetProperty("totalSize").GetInt32());

        // Updates: a retried update is answered from the first, even after the record moved on.
        string id = first.Str("Id");
        await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Title = "CEO" }, idempotency_key = "u-1" });
        await tenant.CallOkAsync("update_contact", new { Id = id, Title = "CFO" });
        var replayed = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Title = "CEO" }, idempotency_key = "u-1" });
        Assert.True(replayed.GetProperty("idempotentReplay").GetBoolean());
        Assert.Equal("CFO", (await tenant.CallOkAsync("get_contact", new { Id = id })).Str("Title"));

        // Keys are per tenant: another tenant's identical key is its own.
        var other = await server.CreateTenantAsync("Idempotent other");
        var theirs = await other.CallOkAsync("create_contact", new { LastName = "Once", Email = "once@x.test", idempotency_key = "k-1" });
        Assert.NotEqual(first.Str("Id"), theirs.Str("Id"));
        Assert.False(theirs.TryGetProperty("idempotentReplay", out _));
    }

    [Fact]
    public async Task DryRun_ValidatesAndShowsTheWrite_WithoutWriting()
    {
        var tenant = await server.CreateTenantAsync("Dry run");
        var preview = await tenant.CallOkAsync("create_opportunity", new { Name = "Big deal", StageName = "Closed Won", CloseDate = "2026-12-31", Amount = 5000, dry_run = true });
        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        Assert.Equal("created", preview.Str("operation"));
        Assert.False(preview.GetProperty("record").TryGetProperty("Id", out _));
        Assert.True(preview.GetProperty("record").GetProperty("IsWon").GetBoolean());
        Assert.Equal(100, preview.GetProperty("changes").GetProperty("Probability").GetProperty("after").GetDouble());
        Assert.Equal(0, (await tenant.CallOkAsync("search_opportunities")).GetProperty("totalSize").GetInt32());

        var invalid = await tenant.CallAsync("create_opportunity", new { Name = "Bad", StageName = "Won-ish", CloseDate = "2026-12-31", dry_run = true });
        Assert.StartsWith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.StageName: 'Won-ish' is not an allowed value.", Mcp.ErrorText(invalid));

        var contact = await tenant.CallOkAsync("create_contact", new { FirstName = "Dee", LastName = "Ry" });
        var update = await tenant.CallOkAsync("update_record", new { Id = contact.Str("Id"), fields = new { LastName = "Wet" }, dry_run = true });
        Assert.Equal("Ry", update.GetProperty("changes").GetProperty("LastName").Str("before"));
        Assert.Equal("Wet", update.GetProperty("changes").GetProperty("LastName").Str("after"));
        Assert.Equal("Dee Wet", update.GetProperty("changes").GetProperty("Name").Str("after"));
        Assert.Equal("Ry", (await tenant.CallOkAsync("get_contact", new { Id = contact.Str("Id") })).Str("LastName"));
    }

    [Fact]
    public async Task DuplicateEmail_IsReported_OrBlockedOnRequest()
    {
        var tenant = await server.CreateTenantAsync("Duplicates");
        var original = await tenant.CallOkAsync("create_contact", new { FirstName = "Sam", LastName = "Lee", Email = "sam@lee.test" });
        Assert.False(original.TryGetProperty("possibleDuplicates", out _));

        var twin = await tenant.CallOkAsync("create_contact", new { FirstName = "Samuel", LastName = "Lee", Email = "SAM@lee.test" });
        var match = Assert.Single(twin.GetProperty("possibleDuplicates").EnumerateArray());
        Assert.Equal("Contact", match.Str("object"));
        Assert.Equal(original.Str("Id"), match.Str("Id"));
        Assert.Equal("Sam Lee", match.Str("Name"));
        Assert.Equal(("email", "sam@lee.test"), (match.Str("rule"), match.Str("value")));

        var lead = await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Lee", Company = "Lee Co", Email = "sam@lee.test" } });
        Assert.Equal(2, lead.GetProperty("possibleDuplicates").GetArrayLength());

        string blocked = Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "Lee", Email = "sam@lee.test", on_duplicate = "block" }));
        Assert.StartsWith($"DUPLICATES_DETECTED: Contact not created: it may duplicate Contact {original.Str("Id")} (Sam Lee) by email 'sam@lee.test';", blocked);
        Assert.EndsWith("Update that record instead, or send on_duplicate: report to create it anyway.", blocked);
        Assert.Equal(2, (await tenant.CallOkAsync("search_contacts", new { email = "sam@lee.test" })).GetProperty("totalSize").GetInt32());
        Assert.Equal("INVALID_ARGUMENT: on_duplicate must be report, skip or block; got 'merge'.",
            Mcp.ErrorText(await tenant.CallAsync("create_contact", new { LastName = "Lee", on_duplicate = "merge" })));
    }

    [Fact]
    public async Task Lists_PageWithNextCursor_ReportTotalSize_AndTrimFields()
    {
        var tenant = await server.CreateTenantAsync("Paging");
        for (int i = 0; i < 30; i++) await tenant.CallOkAsync("create_contact", new { FirstName = $"P{i:00}", LastName = "Pager", Email = $"p{i}@page.test" });

        var seen = new List<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await tenant.CallOkAsync("search_contacts", new { name = "P", limit = 12, cursor, fields = new[] { "Name" } });
            Assert.Equal(30, page.GetProperty("totalSize").GetInt32());
            foreach (var record in page.GetProperty("records").EnumerateArray())
            {
                Assert.Equal(["Id", "Name"], record.EnumerateObject().Select(p => p.Name).Order());
                seen.Add(record.Str("Name"));
            }
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            Assert.Equal(cursor is not null, page.GetProperty("hasMore").GetBoolean());
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"P{i:00} Pager"), seen);

        var defaultPage = await tenant.CallOkAsync("find_records", new { @object = "Contact" });
        Assert.Equal(25, defaultPage.GetProperty("count").GetInt32());
        string firstCursor = defaultPage.Str("nextCursor");
        Assert.Equal("INVALID_ARGUMENT: This cursor belongs to a different search. Send the same filters as the call that returned it, or leave cursor out to start over.",
            Mcp.ErrorText(await tenant.CallAsync("find_records", new { @object = "Contact", where = new { LastName = "Pager" }, cursor = firstCursor })));
        Assert.Equal("INVALID_ARGUMENT: cursor is not one this server returned. Send the nextCursor value exactly as received, or leave it out to start from the first page.",
            Mcp.ErrorText(await tenant.CallAsync("find_records", new { @object = "Contact", cursor = "garbage!" })));
        var second = await tenant.CallOkAsync("find_records", new { @object = "Contact", cursor = firstCursor });
        Assert.Equal(5, second.GetProperty("count").GetInt32());
        Assert.False(second.TryGetProperty("nextCursor", out _));
    }
}
