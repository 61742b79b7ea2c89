using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace RevOps.Server.Tests;

/// <summary>MCP resources (records and schemas by URI, recent records paged) and prompts with completions, through the official client.</summary>
public sealed class ResourcesAndPromptsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resources_ReadRecordsAndSchemas_AndListRecentRecordsWithCursors()
    {
        var tenant = await server.CreateTenantAsync("Resources");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Resourceful Inc" })).Str("Id");
        for (int i = 0; i < 30; i++) await tenant.CallOkAsync("create_contact", new { LastName = $"Res{i:00}", AccountId = account });
        await using var client = await tenant.ConnectMcpAsync();

        var templates = await client.ListResourceTemplatesAsync(cancellationToken: Ct);
        Assert.Equal(["crm://{object}/{id}", "crm://schema/{object}"], templates.Select(t => t.UriTemplate));

        var record = await client.ReadResourceAsync($"crm://Account/{account}", cancellationToken: Ct);
        var text = Assert.IsType<TextResourceContents>(Assert.Single(record.Contents));
        Assert.Contains("\"Name\":\"Resourceful Inc\"", text.Text);
        var schema = await client.ReadResourceAsync("crm://schema/Lead", cancellationToken: Ct);
        Assert.Contains("\"name\":\"Company\"", Assert.IsType<TextResourceContents>(Assert.Single(schema.Contents)).Text);

        var missing = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("crm://Widget/1", cancellationToken: Ct).AsTask());
        Assert.Contains("No resource 'crm://Widget/1'", missing.Message);

        // The official client follows nextCursor through every page: 31 records, newest first, once each.
        var all = await client.ListResourcesAsync(cancellationToken: Ct);
        Assert.Equal(31, all.Count);
        Assert.Equal(31, all.Select(r => r.Uri).Distinct().Count());
        Assert.Equal("Res29", all[0].Name);

        // Another tenant's record is not a resource of this one.
        var other = await server.CreateTenantAsync("Resources other");
        await using var otherClient = await other.ConnectMcpAsync();
        await Assert.ThrowsAsync<McpProtocolException>(() => otherClient.ReadResourceAsync($"crm://Account/{account}", cancellationToken: Ct).AsTask());
        Assert.Empty(await otherClient.ListResourcesAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Prompts_TellTheModelWhichToolsToUse_EmbedTheRecord_AndCompleteNames()
    {
        var tenant = await server.CreateTenantAsync("Prompts");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Prompted Partners" })).Str("Id");
        await tenant.CallOkAsync("create_account", new { Name = "Prompt Labs" });
        await using var client = await tenant.ConnectMcpAsync();

        var prompts = await client.ListPromptsAsync(cancellationToken: Ct);
        Assert.Equal(["account_review", "pipeline_review", "log_call"], prompts.Select(p => p.Name));

        var review = await client.GetPromptAsync("account_review", new Dictionary<string, object?> { ["account"] = account }, cancellationToken: Ct);
        Assert.Contains("pipeline_summary with accountId", Assert.IsType<TextContentBlock>(review.Messages[0].Content).Text);
        var embedded = Assert.IsType<EmbeddedResourceBlock>(review.Messages[1].Content);
        Assert.Contains("Prompted Partners", Assert.IsType<TextResourceContents>(embedded.Resource).Text);

        var call = await client.GetPromptAsync("log_call", new Dictionary<string, object?> { ["contact"] = "Ann Example", ["summary"] = "Agreed a pilot." }, cancellationToken: Ct);
        Assert.Contains("Agreed a pilot.", Assert.IsType<TextContentBlock>(Assert.Single(call.Messages).Content).Text);
        var noSummary = await Assert.ThrowsAsync<McpProtocolException>(() => client.GetPromptAsync("log_call", new Dictionary<string, object?> { ["contact"] = "Ann" }, cancellationToken: Ct).AsTask());
        Assert.Contains("log_call needs the argument 'summary'", noSummary.Message);

        var accounts = await client.CompleteAsync(new PromptReference { Name = "account_review" }, "account", "Prompte", cancellationToken: Ct);
        Assert.Equal(["Prompted Partners"], accounts.Completion.Values);
        var statuses = await client.CompleteAsync(new PromptReference { Name = "log_call" }, "status", "w", cancellationToken: Ct);
        Assert.Equal(["Waiting on someone else"], statuses.Completion.Values);
        var objects = await client.CompleteAsync(new ResourceTemplateReference { Uri = "crm://schema/{object}" }, "object", "op", cancellationToken: Ct);
        Assert.Equal(["Opportunity"], objects.Completion.Values);
    }
}
