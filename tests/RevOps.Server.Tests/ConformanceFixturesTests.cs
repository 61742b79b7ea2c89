using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
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
        "test_input_required_result_elicitation", "test_input_required_result_sampling", "test_input_required_result_list_roots",
        "test_input_required_result_request_state", "test_input_required_result_tampered_state", "test_input_required_result_multiple_inputs",
        "test_input_required_result_multi_round", "test_input_required_result_capabilities",
        "test_missing_capability", "test_streaming_elicitation", "test_logging_tool", "test_headers",
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

        Assert.Equal(["account_review", "pipeline_review", "log_call", "test_simple_prompt", "test_prompt_with_arguments", "test_prompt_with_embedded_resource", "test_prompt_with_image",
            "test_input_required_result_prompt"],
            (await client.ListPromptsAsync(cancellationToken: Ct)).Select(p => p.Name));
        var prompt = await client.GetPromptAsync("test_prompt_with_arguments", new Dictionary<string, object?> { ["arg1"] = "hello", ["arg2"] = "world" }, cancellationToken: Ct);
        Assert.Equal("Prompt with arguments: arg1='hello', arg2='world'", Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text);
        Assert.Contains("Review the account \"Acme\"", Assert.IsType<TextContentBlock>((await client.GetPromptAsync("account_review",
            new Dictionary<string, object?> { ["account"] = "Acme" }, cancellationToken: Ct)).Messages[0].Content).Text);
    }

    [Fact]
    public async Task WithTheFlag_AskingFixtures_GetTheirAnswersThroughInputRequiredResults()
    {
        // The official client speaks 2026-07-28: a stateless server asks through an input-required
        // result, the client answers with its handlers and retries the call with the answers.
        var tenant = await withFixtures.Server.CreateTenantAsync("Fixtures asking");
        var asked = new List<string>();
        await using var client = await Mcp.ConnectAsync(withFixtures.Server.McpUri, tenant.ApiKey, new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    lock (asked) asked.Add(request!.Message);
                    string property = request.RequestedSchema!.Properties.Keys.First();
                    string answer = property switch { "name" => "Ada", "color" => "blue", _ => "Ada Lovelace" };
                    return ValueTask.FromResult(new ElicitResult { Action = "accept", Content = new Dictionary<string, JsonElement> { [property] = JsonSerializer.SerializeToElement(answer) } });
                },
#pragma warning disable MCP9005 // sampling is deprecated from 2026-07-28; the fixtures still ask for it
                SamplingHandler = (request, _, _) =>
                {
                    lock (asked) asked.Add(string.Join("", request!.Messages.SelectMany(m => m.Content).OfType<TextContentBlock>().Select(b => b.Text)));
                    return ValueTask.FromResult(new CreateMessageResult { Role = Role.Assistant, Model = "test-model", Content = [new TextContentBlock { Text = "Paris." }] });
                },
#pragma warning restore MCP9005
            },
        });

        Assert.Equal("LLM response: Paris.", Mcp.Text(await client.CallToolAsync("test_sampling", new Dictionary<string, object?> { ["prompt"] = "Capital of France?" }, cancellationToken: Ct)));
        Assert.Equal("""Elicitation completed: action=accept, content={"username":"Ada Lovelace"}""",
            Mcp.Text(await client.CallToolAsync("test_elicitation", new Dictionary<string, object?> { ["message"] = "Who are you?" }, cancellationToken: Ct)));
        // Two rounds, the request state carrying the first answer (signed) into the second.
        Assert.Equal("Hello, Ada! Your favorite color is blue.", Mcp.Text(await client.CallToolAsync("test_input_required_result_multi_round", cancellationToken: Ct)));
        Assert.Equal(["Capital of France?", "Who are you?", "Step 1: What is your name?", "Step 2: What is your favorite color?"], asked);

        var prompt = await client.GetPromptAsync("test_input_required_result_prompt", cancellationToken: Ct);
        Assert.Equal("Answer with this context in mind: Ada Lovelace", Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text);
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
