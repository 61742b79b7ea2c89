using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace RevOps.Server.Tests;

/// <summary>
/// The conformance suite's fixture tools, resources and prompts: absent unless the server is
/// started with --conformance-fixtures, and then served next to ours without displacing them.
/// </summary>
public sealed class ConformanceFixturesTests(CrmServerFixture plain, ConformanceServerFixture withFixtures)
    : IClassFixture<CrmServerFixture>, IClassFixture<ConformanceServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] FixtureToolNames =
    [
        "json_schema_2020_12_tool", "test_audio_content", "test_elicitation", "test_elicitation_sep1034_defaults", "test_elicitation_sep1330_enums",
        "test_embedded_resource", "test_error_handling", "test_image_content", "test_multiple_content_types", "test_reconnection", "test_sampling",
        "test_simple_text", "test_tool_with_logging", "test_tool_with_progress",
    ];

    [Fact]
    public async Task WithoutTheFlag_FixturesAreNeitherListedNorCallable()
    {
        var tenant = await plain.CreateTenantAsync("No fixtures");
        await using var client = await tenant.ConnectMcpAsync();

        Assert.Equal(ToolNames.Sorted(ToolNames.All), ToolNames.Sorted((await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name)));
        var call = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("test_simple_text", cancellationToken: Ct).AsTask());
        Assert.Contains("test_simple_text", call.Message);
        Assert.Equal(McpErrorCode.InvalidParams, call.ErrorCode);

        Assert.Equal(["crm://{object}/{id}", "crm://schema/{object}"], (await client.ListResourceTemplatesAsync(cancellationToken: Ct)).Select(t => t.UriTemplate));
        Assert.Empty(await client.ListResourcesAsync(cancellationToken: Ct)); // a new tenant has no records, and no fixture is listed
        var read = await Assert.ThrowsAsync<McpProtocolException>(() => client.ReadResourceAsync("test://static-text", cancellationToken: Ct).AsTask());
        Assert.StartsWith("Request failed (remote): No resource 'test://static-text'.", read.Message);
        Assert.NotEqual(true, client.ServerCapabilities.Resources?.Subscribe);

        Assert.Equal(["account_review", "pipeline_review", "log_call"], (await client.ListPromptsAsync(cancellationToken: Ct)).Select(p => p.Name));
        var prompt = await Assert.ThrowsAsync<McpProtocolException>(() => client.GetPromptAsync("test_simple_prompt", cancellationToken: Ct).AsTask());
        Assert.StartsWith("Request failed (remote): No prompt 'test_simple_prompt'.", prompt.Message);
    }

    [Fact]
    public async Task WithTheFlag_FixturesAnswerAsTheSuiteExpects_NextToOurTools()
    {
        var tenant = await withFixtures.Server.CreateTenantAsync("Fixtures");
        await using var client = await tenant.ConnectMcpAsync();

        Assert.Equal(ToolNames.Sorted([.. ToolNames.All, .. FixtureToolNames]), ToolNames.Sorted((await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name)));
        Assert.Equal("This is a simple text response for testing.", Mcp.Text(await client.CallToolAsync("test_simple_text", cancellationToken: Ct)));
        var error = await client.CallToolAsync("test_error_handling", cancellationToken: Ct);
        Assert.True(error.IsError);
        Assert.Equal("This tool intentionally returns an error for testing", Mcp.Text(error));
        var image = Assert.IsType<ImageContentBlock>(Assert.Single((await client.CallToolAsync("test_image_content", cancellationToken: Ct)).Content));
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", Convert.ToBase64String(image.DecodedData.Span));

        // Progress goes out on the call's own SSE response, stateless as it is.
        var progress = new RecordingProgress();
        var done = await client.CallToolAsync("test_tool_with_progress", progress: progress, cancellationToken: Ct);
        Assert.Equal("Progress reported at 0, 50 and 100 of 100.", Mcp.Text(done));
        await progress.WaitForAsync(3);
        // The SDK client hands notifications to IProgress concurrently and stops listening when the
        // result arrives, so under load they can come out of order or miss the last one (as BulkWriteTests
        // notes); the conformance suite's progress scenario checks the order on the wire.
        var values = progress.Values.Select(v => v.Progress).Order().ToArray();
        Assert.True(values.Length >= 2, $"{values.Length} progress notifications reached IProgress");
        Assert.Subset(new HashSet<float> { 0f, 50f, 100f }, values.ToHashSet());
        Assert.Equal(values.Length, values.Distinct().Count());
        Assert.All(progress.Values, v => Assert.Equal(100f, v.Total));

        // Server-to-client requests are what stateless mode cannot do; the tool says so.
        var sampling = await client.CallToolAsync("test_sampling", new Dictionary<string, object?> { ["prompt"] = "Hi" }, cancellationToken: Ct);
        Assert.True(sampling.IsError);
        Assert.Equal("test_sampling needs a server-to-client request, which this server cannot send: Sampling is not supported in stateless mode.", Mcp.Text(sampling));

        // Our tools keep working beside them.
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Beside" })).Str("Id");

        var templated = Assert.IsType<TextResourceContents>(Assert.Single((await client.ReadResourceAsync("test://template/42/data", cancellationToken: Ct)).Contents));
        Assert.Equal("""{"id":"42","templateTest":true,"data":"Data for ID: 42"}""", templated.Text);
        var blob = Assert.IsType<BlobResourceContents>(Assert.Single((await client.ReadResourceAsync("test://static-binary", cancellationToken: Ct)).Contents));
        Assert.Equal("image/png", blob.MimeType);
        Assert.Contains("\"LastName\":\"Beside\"", Assert.IsType<TextResourceContents>(Assert.Single((await client.ReadResourceAsync($"crm://Contact/{contact}", cancellationToken: Ct)).Contents)).Text);
        Assert.Equal(["crm://{object}/{id}", "crm://schema/{object}", "test://template/{id}/data"], (await client.ListResourceTemplatesAsync(cancellationToken: Ct)).Select(t => t.UriTemplate));
        Assert.Equal([$"crm://Contact/{contact}", "test://static-text", "test://static-binary", "test://watched-resource"], (await client.ListResourcesAsync(cancellationToken: Ct)).Select(r => r.Uri));
        Assert.True(client.ServerCapabilities.Resources?.Subscribe);
        // resources/subscribe itself is a 2025-11-25 method (this client speaks 2026-07-28): the suite's
        // resources-subscribe and resources-unsubscribe scenarios call it (tests/conformance).

        Assert.Equal(["account_review", "pipeline_review", "log_call", "test_simple_prompt", "test_prompt_with_arguments", "test_prompt_with_embedded_resource", "test_prompt_with_image"],
            (await client.ListPromptsAsync(cancellationToken: Ct)).Select(p => p.Name));
        var prompt = await client.GetPromptAsync("test_prompt_with_arguments", new Dictionary<string, object?> { ["arg1"] = "hello", ["arg2"] = "world" }, cancellationToken: Ct);
        Assert.Equal("Prompt with arguments: arg1='hello', arg2='world'", Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text);
        Assert.Contains("Review the account \"Acme\"", Assert.IsType<TextContentBlock>((await client.GetPromptAsync("account_review",
            new Dictionary<string, object?> { ["account"] = "Acme" }, cancellationToken: Ct)).Messages[0].Content).Text);
    }

    /// <summary>Keeps each notification as it arrives (Progress&lt;T&gt; would post them to a thread-pool callback later).</summary>
    sealed class RecordingProgress : IProgress<ProgressNotificationValue>
    {
        readonly List<ProgressNotificationValue> _values = [];

        public IReadOnlyList<ProgressNotificationValue> Values { get { lock (_values) return [.. _values]; } }

        public void Report(ProgressNotificationValue value) { lock (_values) _values.Add(value); }

        public async Task WaitForAsync(int count)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            while (Values.Count < count && !timeout.IsCancellationRequested) await Task.Delay(10, CancellationToken.None);
        }
    }
}
