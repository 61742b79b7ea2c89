using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// The tools the MCP conformance suite's server scenarios call, returning what each scenario
/// checks: text, image, audio, embedded resources, mixed content, an error result, progress and
/// log notifications on the call's own response stream, and a JSON Schema 2020-12 input schema.
/// The sampling and elicitation tools ask the client: with a 2026-07-28 client through an
/// input-required result (multi round-trip, SEP-2322), the answer arriving on the retry; otherwise
/// with the real server-to-client request, which the SDK refuses in stateless mode, and they answer
/// with an error result that says so.
/// </summary>
public static class FixtureTools
{
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    public static IReadOnlyList<McpServerTool> All { get; } =
    [
        Define("test_simple_text", "Returns one text block.", (_, _) => Text("This is a simple text response for testing.")),
        Define("test_image_content", "Returns a 1x1 red PNG image.", (_, _) => Result(ImageContentBlock.FromBytes(FixtureMedia.RedPixelPng, FixtureMedia.PngMimeType))),
        Define("test_audio_content", "Returns a short silent WAV clip.", (_, _) => Result(AudioContentBlock.FromBytes(FixtureMedia.SilentWav, FixtureMedia.WavMimeType))),
        Define("test_embedded_resource", "Returns an embedded text resource.", (_, _) => Result(new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." },
        })),
        Define("test_multiple_content_types", "Returns text, an image and an embedded JSON resource.", (_, _) => Result(
            new TextContentBlock { Text = "Multiple content types test:" },
            ImageContentBlock.FromBytes(FixtureMedia.RedPixelPng, FixtureMedia.PngMimeType),
            new EmbeddedResourceBlock
            {
                Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"test":"data","value":123}""" },
            })),
        Define("test_tool_with_logging", "Sends three info log notifications while it runs.", LogWhileRunningAsync),
        Define("test_error_handling", "Always fails with an error result.", (_, _) => ValueTask.FromResult(new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }],
        })),
        Define("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100 when the call carries a progress token.", ReportProgressAsync),
        Define("test_sampling", "Asks the client's model to answer a prompt (sampling/createMessage).", SampleAsync,
            """{"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send to the LLM"}},"required":["prompt"]}"""),
        Define("test_elicitation", "Asks the user for a username and email (elicitation/create).", (request, ct) => ElicitAsync(request, FixtureElicitations.UserDetails(StringArgument(request, "message")), ct),
            """{"type":"object","properties":{"message":{"type":"string","description":"The message to show the user"}},"required":["message"]}"""),
        Define("test_elicitation_sep1034_defaults", "Elicits fields of every primitive type, each with a default (SEP-1034).",
            (request, ct) => ElicitAsync(request, FixtureElicitations.WithDefaults(), ct)),
        Define("test_elicitation_sep1330_enums", "Elicits the five enum shapes of SEP-1330.",
            (request, ct) => ElicitAsync(request, FixtureElicitations.EnumShapes(), ct)),
        // $anchor, allOf/anyOf and if/then/else are the wider vocabulary of SEP-2106 that suite 0.2 checks too.
        Define("json_schema_2020_12_tool", "Tool with JSON Schema 2020-12 features", (_, _) => Text("JSON Schema 2020-12 tool called."), """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": { "address": { "$anchor": "addressDef", "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } } },
              "properties": {
                "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" },
                "contactMethod": { "type": "string", "enum": ["phone", "email"] }, "phone": { "type": "string" }, "email": { "type": "string" }
              },
              "allOf": [{ "anyOf": [{ "required": ["phone"] }, { "required": ["email"] }] }],
              "if": { "properties": { "contactMethod": { "const": "phone" } }, "required": ["contactMethod"] },
              "then": { "required": ["phone"] },
              "else": { "required": ["email"] },
              "additionalProperties": false
            }
            """),
        Define("test_reconnection", "Asks the client to poll for the result (SEP-1699) where the transport allows it.", ReconnectAsync),
    ];

    static FixtureTool Define(string name, string description, FixtureTool.Handler handler, string inputSchema = """{"type":"object","properties":{}}""")
    {
        using var schema = JsonDocument.Parse(inputSchema);
        return new FixtureTool(new Tool { Name = name, Description = description, InputSchema = schema.RootElement.Clone() }, handler);
    }

    static ValueTask<CallToolResult> Text(string text) => Result(new TextContentBlock { Text = text });

    static ValueTask<CallToolResult> Result(params ContentBlock[] content) => ValueTask.FromResult(new CallToolResult { Content = [.. content] });

    static async ValueTask<CallToolResult> LogWhileRunningAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        await LogAsync(request, "Tool execution started", ct);
        await Task.Delay(Step, ct);
        await LogAsync(request, "Tool processing data", ct);
        await Task.Delay(Step, ct);
        await LogAsync(request, "Tool execution completed", ct);
        return await Text("Tool with logging executed successfully");
    }

    static Task LogAsync(RequestContext<CallToolRequestParams> request, string message, CancellationToken ct) =>
        request.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
        {
            Level = LoggingLevel.Info,
            Logger = "conformance-fixtures",
            Data = JsonSerializer.SerializeToElement(message, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(string))),
        }, cancellationToken: ct);

    static async ValueTask<CallToolResult> ReportProgressAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        var token = request.Params?.ProgressToken;
        foreach (int progress in new[] { 0, 50, 100 })
        {
            if (progress > 0) await Task.Delay(Step, ct);
            if (token is { } t) await request.Server.NotifyProgressAsync(t, new ProgressNotificationValue { Progress = progress, Total = 100 }, cancellationToken: ct);
        }
        return await Text($"Progress reported {(token is null ? "to no one (no progress token)" : "at 0, 50 and 100 of 100")}.");
    }

    static async ValueTask<CallToolResult> SampleAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        string prompt = StringArgument(request, "prompt");
        if (request.Server.IsMrtrSupported)
        {
            const string key = "sampling";
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { [key] = FixtureInput.Sample(prompt, 100) });
            return await Text($"LLM response: {FixtureInput.Text(FixtureInput.Sampled(answers[key], key))}");
        }
        try
        {
            var answer = await request.Server.SampleAsync(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 100,
            }, ct);
            return await Text($"LLM response: {FixtureInput.Text(answer)}");
        }
        catch (InvalidOperationException e)
        {
            return NeedsSession("test_sampling", e);
        }
    }

    static async ValueTask<CallToolResult> ElicitAsync(RequestContext<CallToolRequestParams> request, ElicitRequestParams elicitation, CancellationToken ct)
    {
        if (request.Server.IsMrtrSupported)
        {
            const string key = "elicitation";
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { [key] = InputRequest.ForElicitation(elicitation) });
            return await Elicited(FixtureInput.Elicited(answers[key], key));
        }
        try
        {
            return await Elicited(await request.Server.ElicitAsync(elicitation, ct));
        }
        catch (InvalidOperationException e)
        {
            return NeedsSession(request.Params?.Name ?? "elicitation", e);
        }
    }

    static ValueTask<CallToolResult> Elicited(ElicitResult answer) => Text($"Elicitation completed: action={answer.Action}, content={FixtureInput.Json(answer)}");

    static async ValueTask<CallToolResult> ReconnectAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        try
        {
            await request.EnablePollingAsync(TimeSpan.FromMilliseconds(500), ct);
        }
        catch (InvalidOperationException e)
        {
            // Polling is optional for a server: without it the result simply arrives on the POST's own stream.
            return await Text($"Reconnection test completed without polling: {e.Message}");
        }
        await Task.Delay(Step * 2, ct);
        return await Text("Reconnection test completed successfully");
    }

    static CallToolResult NeedsSession(string tool, InvalidOperationException e) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"{tool} needs a server-to-client request, which this server cannot send: {e.Message}" }],
    };

    static string StringArgument(RequestContext<CallToolRequestParams> request, string name) =>
        request.Params?.Arguments?.TryGetValue(name, out var value) == true && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new McpProtocolException($"{request.Params?.Name} needs the string argument '{name}'.", McpErrorCode.InvalidParams);
}
