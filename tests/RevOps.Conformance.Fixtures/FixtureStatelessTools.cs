using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace RevOps.Conformance.Fixtures;

/// <summary>
/// The diagnostic tools of the suite's 2026-07-28 server scenarios (server-stateless, SEP-2575;
/// http-custom-header-server-validation, SEP-2243): a tool that needs a capability the client must
/// declare per request, a tool that asks the user mid-call (the answer stream may carry only the
/// input-required result, never a request to the client), a tool that logs only when the request
/// asked for a log level, and a tool whose argument is mirrored in an Mcp-Param header.
/// </summary>
public static class FixtureStatelessTools
{
    public static IReadOnlyList<McpServerTool> All { get; } =
    [
        Define("test_missing_capability", "Needs the sampling capability declared on the request; refuses with -32021 otherwise.", (request, ct) =>
        {
            if (FixtureInput.Declared(request).Sampling is null)
                throw new MissingRequiredClientCapabilityException(new ClientCapabilities { Sampling = new SamplingCapability() },
                    "test_missing_capability needs the sampling capability: declare it in _meta io.modelcontextprotocol/clientCapabilities and call again.");
            if (!request.Server.IsMrtrSupported) return ValueTask.FromResult(FixtureInput.NeedsMrtr("test_missing_capability"));
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest> { ["answer"] = FixtureInput.Sample("Say hello.", 20) });
            return Text($"LLM response: {FixtureInput.Text(FixtureInput.Sampled(answers["answer"], "answer"))}");
        }),
        Define("test_streaming_elicitation", "Asks the user a question mid-call; the answer comes back on the retry.", (request, ct) =>
        {
            if (!request.Server.IsMrtrSupported) return ValueTask.FromResult(FixtureInput.NeedsMrtr("test_streaming_elicitation"));
            var answers = FixtureInput.Require(request.Params, new Dictionary<string, InputRequest>
            {
                ["answer"] = FixtureInput.Elicit("Streaming elicitation test: what should the tool say?", "text", new StringSchema()),
            });
            return Text($"Elicited: {FixtureInput.Entered(FixtureInput.Elicited(answers["answer"], "answer"), "text")}");
        }),
        Define("test_logging_tool", "Logs three messages, only when the request asked for a log level.", LogIfAskedAsync),
        Define("test_headers", "Echoes a region that the client also sends in the Mcp-Param-Region header.", (request, ct) =>
            Text($"Region: {(request.Params?.Arguments?.TryGetValue("region", out var region) == true ? region.ToString() : "(none)")}"),
            """{"type":"object","properties":{"region":{"type":"string","description":"A region name","x-mcp-header":"Region"}},"required":["region"]}"""),
    ];

    static async ValueTask<CallToolResult> LogIfAskedAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct)
    {
        if ((request.JsonRpcRequest.Context?.LogLevel ?? request.Server.LoggingLevel) is null)
            return await Text("No log level was asked for, so nothing was logged.");
        foreach (string message in new[] { "Tool execution started", "Tool processing data", "Tool execution completed" })
        {
            await request.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
            {
                Level = LoggingLevel.Info,
                Logger = "conformance-fixtures",
                Data = JsonSerializer.SerializeToElement(message, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(string))),
            }, cancellationToken: ct);
        }
        return await Text("Logged three messages.");
    }

    static FixtureTool Define(string name, string description, FixtureTool.Handler handler, string inputSchema = """{"type":"object","properties":{}}""")
    {
        using var schema = JsonDocument.Parse(inputSchema);
        return new FixtureTool(new Tool { Name = name, Description = description, InputSchema = schema.RootElement.Clone() }, handler);
    }

    static ValueTask<CallToolResult> Text(string text) => ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = text }] });
}
