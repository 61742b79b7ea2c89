using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RevOps.Server.Tests;

/// <summary>What an agent reads in tools/list: every tool titled and annotated, every parameter explained with an example.</summary>
public sealed class ToolDescriptionTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    /// <summary>The seed's thirteen tools, which every default listing carries.</summary>
    static readonly string[] SeedTools =
    [
        "create_contact", "get_contact", "search_contacts", "update_contact", "create_account", "get_account", "search_accounts",
        "create_opportunity", "get_opportunity", "update_opportunity_stage", "search_opportunities", "create_task", "get_tasks",
    ];

    [Fact]
    public async Task DefaultToolsList_FitsTheAgentBudget_AndCarriesTheSeedTools()
    {
        var tenant = await server.CreateTenantAsync("Tool budget");
        await using var client = await tenant.ConnectMcpAsync();
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        int bytes = System.Text.Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(tools.Select(t => t.ProtocolTool), Mcp.WireOptions));
        Assert.True(tools.Count <= 30, $"{tools.Count} tools listed; the budget is 30.");
        Assert.True(bytes <= 32 * 1024, $"tools/list is {bytes:N0} bytes; the budget is 32 KB.");
        Assert.Empty(SeedTools.Except(tools.Select(t => t.Name)));
    }

    [Fact]
    public async Task CoveredTools_ListedOnlyWithToolsetsAll_AndCallableWithoutBeingListed()
    {
        var tenant = await server.CreateTenantAsync("Covered tools");
        await using var all = await Mcp.ConnectAsync(new Uri(server.McpUri + "?toolsets=all"), tenant.ApiKey);
        var everything = (await all.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).ToArray();
        Assert.Equal(ToolNames.Sorted([.. ToolNames.All, .. ToolNames.Covered]), ToolNames.Sorted(everything));

        string id = (await tenant.CallOkAsync("create_contact", new { LastName = "Covered" })).Str("Id");
        await tenant.CallOkAsync("delete_record", new { Id = id });
        Assert.True((await tenant.CallOkAsync("restore_record", new { Id = id })).GetProperty("restored").GetBoolean());
        var history = await tenant.CallOkAsync("get_record_history", new { Id = id });
        var changes = await tenant.CallOkAsync("list_changes", new { Id = id });
        Assert.Equal(["created", "deleted", "restored"], history.GetProperty("versions").EnumerateArray().Select(v => v.Str("operation")));
        Assert.Equal(["created", "deleted", "restored"], changes.GetProperty("changes").EnumerateArray().Select(v => v.Str("operation")));
        await tenant.CallOkAsync("delete_record", new { Id = id });
        await tenant.CallOkAsync("delete_record", new { Id = id, restore = true });
        Assert.Equal("Covered", (await tenant.CallOkAsync("get_contact", new { Id = id })).Str("LastName"));
    }

    [Fact]
    public async Task Parameters_SayOnlyWhatTheirNameAndTypeDoNot_AndEveryActionToolShowsAnExampleCall()
    {
        var tenant = await server.CreateTenantAsync("Tool descriptions");
        await using var client = await tenant.ConnectMcpAsync();
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var problems = new List<string>();
        foreach (var tool in tools)
        {
            bool lookup = tool.Name.StartsWith("get_", StringComparison.Ordinal) || tool.Name == "describe_object";
            if (!lookup && !tool.Description!.Contains("e.g.", StringComparison.OrdinalIgnoreCase)) problems.Add($"{tool.Name}: no example call");
            if (!tool.ProtocolTool.InputSchema.TryGetProperty("properties", out var properties)) continue;
            foreach (var parameter in properties.EnumerateObject())
            {
                if (parameter.Value.TryGetProperty("maxLength", out _)) problems.Add($"{tool.Name}.{parameter.Name}: maxLength (writes check limits)");
                if (!parameter.Value.TryGetProperty("description", out var d)) continue;
                string description = Letters(d.GetString()!), name = Letters(parameter.Name);
                if (description.StartsWith(name, StringComparison.Ordinal)) problems.Add($"{tool.Name}.{parameter.Name}: restates its name: {d.GetString()}");
            }
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    static string Letters(string text) => new(text.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    [Fact]
    public async Task ToolsListOrder_IsTheSameOnEveryCall_ForEveryTenant_WithOrWithoutCustomFields()
    {
        var plain = await server.CreateTenantAsync("Order plain");
        var custom = await server.CreateTenantAsync("Order custom");
        await custom.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver" } });
        var expected = server.Services.GetRequiredService<RevOps.Server.Mcp.Framework.ToolCatalog>().Tools.Select(t => t.ProtocolTool.Name)
            .Where(name => !RevOps.Server.Mcp.Framework.Toolsets.Covered.ContainsKey(name)).ToArray();
        foreach (var tenant in new[] { plain, custom, plain, custom })
        {
            await using var client = await tenant.ConnectMcpAsync();
            var names = (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name);
            Assert.Equal(expected, names);
        }
    }

    [Fact]
    public async Task EveryTool_HasTitleDescriptionAnnotationsAndOutputSchema_AndOpenWorldIsFalse()
    {
        var tenant = await server.CreateTenantAsync("Tool annotations");
        await using var client = await tenant.ConnectMcpAsync();
        foreach (var tool in (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Title), tool.Name);
            Assert.True(tool.Description!.Length > 40, tool.Name);
            var annotations = Assert.IsType<ModelContextProtocol.Protocol.ToolAnnotations>(tool.Annotations);
            Assert.False(annotations.OpenWorldHint, tool.Name);
            Assert.NotNull(annotations.ReadOnlyHint);
            if (annotations.ReadOnlyHint == false) Assert.NotNull(annotations.DestructiveHint);
            Assert.Equal("object", tool.OutputSchema!.Value.GetProperty("type").GetString());
        }
    }
}
