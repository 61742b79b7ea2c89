using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RevOps.Server.Tests;

/// <summary>What an agent reads in tools/list: every tool titled and annotated, every parameter explained with an example.</summary>
public sealed class ToolDescriptionTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task EveryParameter_HasADescriptionWithAnExample_UnlessItsValuesAreListed()
    {
        var tenant = await server.CreateTenantAsync("Tool descriptions");
        await using var client = await tenant.ConnectMcpAsync();
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var missing = new List<string>();
        foreach (var tool in tools)
        {
            if (!tool.ProtocolTool.InputSchema.TryGetProperty("properties", out var properties)) continue;
            foreach (var parameter in properties.EnumerateObject())
            {
                var schema = parameter.Value;
                string description = schema.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
                if (description.Length < 10) { missing.Add($"{tool.Name}.{parameter.Name}: no description"); continue; }
                bool listed = schema.TryGetProperty("enum", out _) || (schema.TryGetProperty("items", out var items) && items.TryGetProperty("enum", out _));
                bool flag = schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "boolean";
                bool opaque = parameter.Name == "cursor"; // a value the previous page handed out, never composed
                if (!listed && !flag && !opaque && !description.Contains("e.g.", StringComparison.Ordinal))
                    missing.Add($"{tool.Name}.{parameter.Name}: {description}");
            }
        }
        Assert.True(missing.Count == 0, "Parameters without an example:\n" + string.Join('\n', missing));
    }

    [Fact]
    public async Task ToolsListOrder_IsTheSameOnEveryCall_ForEveryTenant_WithOrWithoutCustomFields()
    {
        var plain = await server.CreateTenantAsync("Order plain");
        var custom = await server.CreateTenantAsync("Order custom");
        await custom.CallOkAsync("define_custom_field", new { @object = "Contact", api_name = "Tier__c", type = "Picklist", values = new[] { "Gold", "Silver" } });
        var expected = server.Services.GetRequiredService<RevOps.Server.Mcp.Framework.ToolCatalog>().Tools.Select(t => t.ProtocolTool.Name).ToArray();
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
