using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace RevOps.Server.Tests;

/// <summary>
/// Destructive calls ask the user first (2026-07-28 multi round-trip with elicitation) when the
/// client can ask; the official client answers through its elicitation handler and retries.
/// Clients without elicitation, and dry runs, behave as before.
/// </summary>
public sealed class ConfirmationTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    /// <summary>A session whose user answers every question with <paramref name="confirm"/>; the questions asked are collected.</summary>
    static async Task<McpClient> ConnectAnsweringAsync(CrmServerFixture server, TestTenant tenant, bool confirm, List<string> asked) =>
        await Mcp.ConnectAsync(server.McpUri, tenant.ApiKey, new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    lock (asked) asked.Add(request!.Message);
                    return ValueTask.FromResult(new ElicitResult
                    {
                        Action = "accept",
                        Content = new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(confirm) },
                    });
                },
            },
        });

    async Task<(string Master, string Duplicate)> TwoContactsAsync(TestTenant tenant)
    {
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string master = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", AccountId = acme })).Str("Id");
        string duplicate = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@acme.test" })).Str("Id");
        await tenant.CallOkAsync("create_task", new { Subject = "Call Ada", WhoId = duplicate });
        return (master, duplicate);
    }

    static async Task<JsonElement> MergeAsync(McpClient client, string master, string duplicate, bool dryRun = false)
    {
        var result = await client.CallToolAsync("merge_records", Mcp.Arguments(new { @object = "Contact", master_id = master, duplicate_ids = new[] { duplicate }, dry_run = dryRun }),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.IsError != true, Mcp.Text(result));
        return Mcp.Structured(result);
    }

    [Fact]
    public async Task Merge_UserConfirms_AskedWhatWillHappen_ThenMerged()
    {
        var tenant = await server.CreateTenantAsync("Confirm merge yes");
        var (master, duplicate) = await TwoContactsAsync(tenant);
        var asked = new List<string>();
        await using var client = await ConnectAnsweringAsync(server, tenant, confirm: true, asked);

        var merged = await MergeAsync(client, master, duplicate);

        Assert.Equal(master, merged.GetProperty("master").Str("Id"));
        string question = Assert.Single(asked);
        Assert.Equal("Merge 1 Contact record(s) ('Ada Lovelace') into 'Ada Lovelace'? 1 related record(s) move to it and the duplicates go to the recycle bin.", question);
        Assert.StartsWith("ENTITY_IS_DELETED", Mcp.ErrorText(await tenant.CallAsync("get_contact", new { Id = duplicate })));
    }

    [Fact]
    public async Task Merge_UserDeclines_NothingChanges_AndTheAnswerSaysSo()
    {
        var tenant = await server.CreateTenantAsync("Confirm merge no");
        var (master, duplicate) = await TwoContactsAsync(tenant);
        var asked = new List<string>();
        await using var client = await ConnectAnsweringAsync(server, tenant, confirm: false, asked);

        var answer = await MergeAsync(client, master, duplicate);

        Assert.True(answer.GetProperty("cancelled").GetBoolean());
        Assert.StartsWith("The user declined; merge_records changed nothing.", answer.Str("message"));
        Assert.Single(asked);
        Assert.Equal("ada@acme.test", (await tenant.CallOkAsync("get_contact", new { Id = duplicate })).Str("Email"));
        var changes = await tenant.CallOkAsync("list_changes", new { since_seq = 0 });
        Assert.DoesNotContain(changes.GetProperty("changes").EnumerateArray(), c => c.Str("operation") == "merged");
    }

    [Fact]
    public async Task Merge_DryRun_OrAClientWithoutElicitation_IsNotAsked()
    {
        var tenant = await server.CreateTenantAsync("Confirm merge skipped");
        var (master, duplicate) = await TwoContactsAsync(tenant);
        var asked = new List<string>();
        await using (var asking = await ConnectAnsweringAsync(server, tenant, confirm: false, asked))
        {
            var preview = await MergeAsync(asking, master, duplicate, dryRun: true);
            Assert.True(preview.GetProperty("dryRun").GetBoolean());
        }
        Assert.Empty(asked);

        await using var plain = await tenant.ConnectMcpAsync();
        var merged = await MergeAsync(plain, master, duplicate);
        Assert.Equal(master, merged.GetProperty("master").Str("Id"));
    }

    static async Task<CallToolResult> CallAsync(McpClient client, string tool, object arguments) =>
        await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task DeleteWithCascade_BulkDelete_AndForcedUndo_AskFirst_ALoneDeleteDoesNot()
    {
        var tenant = await server.CreateTenantAsync("Confirm deletes");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        await tenant.CallOkAsync("create_contact", new { LastName = "Ng", AccountId = acme });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Acme deal", StageName = "Prospecting", CloseDate = "2027-01-31", AccountId = acme });
        string loner = (await tenant.CallOkAsync("create_account", new { Name = "Loner" })).Str("Id");
        var leads = new List<string>();
        for (int i = 0; i < 3; i++) leads.Add((await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = $"L{i}", Company = "Co" } })).Str("Id"));
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Undo me", StageName = "Prospecting", CloseDate = "2027-01-31", Amount = 10 })).Str("Id");
        await tenant.CallOkAsync("update_record", new { Id = deal, fields = new { Amount = 20 } });
        long seq = (await tenant.CallOkAsync("list_changes", new { Id = deal })).GetProperty("changes")[1].GetProperty("seq").GetInt64();
        await tenant.CallOkAsync("update_record", new { Id = deal, fields = new { Amount = 30 } });

        var asked = new List<string>();
        await using (var no = await ConnectAnsweringAsync(server, tenant, confirm: false, asked))
        {
            Assert.True(Mcp.Structured(await CallAsync(no, "delete_record", new { Id = acme })).GetProperty("cancelled").GetBoolean());
            Assert.True(Mcp.Structured(await CallAsync(no, "bulk_write", new { @object = "Lead", operation = "delete", records = leads.Select(id => new { Id = id }) })).GetProperty("cancelled").GetBoolean());
            Assert.True(Mcp.Structured(await CallAsync(no, "undo_change", new { seq, force = true })).GetProperty("cancelled").GetBoolean());
            Assert.True(Mcp.Structured(await CallAsync(no, "delete_record", new { Id = loner })).GetProperty("deleted").GetBoolean());
        }
        Assert.Equal([
            "Delete Account 'Acme' and the 2 records that go with it (1 Contact, 1 Opportunity)? All of them stay restorable for 15 days.",
            "Delete 3 Lead record(s), and the records that go with them? They stay restorable in the recycle bin.",
            "Undo change #" + seq + " on Opportunity 'Undo me', overwriting later changes to Amount?",
        ], asked);
        Assert.Equal("Acme", (await tenant.CallOkAsync("get_account", new { Id = acme })).Str("Name"));
        Assert.Equal(3, (await tenant.CallOkAsync("find_records", new { @object = "Lead" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(30, (await tenant.CallOkAsync("get_opportunity", new { Id = deal })).GetProperty("Amount").GetInt32());

        asked.Clear();
        await using (var yes = await ConnectAnsweringAsync(server, tenant, confirm: true, asked))
        {
            Assert.True(Mcp.Structured(await CallAsync(yes, "delete_record", new { Id = acme })).GetProperty("deleted").GetBoolean());
            Assert.Equal(3, Mcp.Structured(await CallAsync(yes, "bulk_write", new { @object = "Lead", operation = "delete", records = leads.Select(id => new { Id = id }) })).GetProperty("succeeded").GetInt32());
            await CallAsync(yes, "undo_change", new { seq, force = true });
        }
        Assert.Equal(3, asked.Count);
        Assert.StartsWith("ENTITY_IS_DELETED", Mcp.ErrorText(await tenant.CallAsync("get_account", new { Id = acme })));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Lead" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(10, (await tenant.CallOkAsync("get_opportunity", new { Id = deal })).GetProperty("Amount").GetInt32());
    }
}
