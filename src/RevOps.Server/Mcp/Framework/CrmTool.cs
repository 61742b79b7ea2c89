using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// A tool whose schema comes from our metadata and whose arguments we validate ourselves, so
/// every mistake an agent can make gets an answer naming the argument and the fix. The checks,
/// metering and cancellation around each call live in <see cref="ToolCallPipeline"/>.
/// </summary>
public sealed class CrmTool(Tool protocolTool, CrmTool.LongHandler handler, bool writes, IReadOnlyCollection<string> arguments) : McpServerTool
{
    public delegate ValueTask<CallToolResult> Handler(Caller caller, ToolArguments args, CancellationToken ct);

    /// <summary>A tool that can run long: it reports progress and stops when the caller cancels.</summary>
    public delegate ValueTask<CallToolResult> LongHandler(Caller caller, ToolArguments args, ToolProgress progress, CancellationToken ct);

    public override Tool ProtocolTool { get; } = protocolTool;

    public override IReadOnlyList<object> Metadata { get; } = [];

    /// <summary>Changes data: hidden from and refused to read-only keys.</summary>
    public bool Writes { get; } = writes;

    /// <summary>The object whose custom fields this tool takes as arguments: tools/list shows each tenant its own.</summary>
    public ObjectMetadata? CustomFieldsOf { get; init; }

    /// <summary>What to ask the user before a destructive call runs, for clients that can ask (see <see cref="Confirmations"/>).</summary>
    public ConfirmationQuestion? Confirm { get; private set; }

    /// <summary>This tool, asking <paramref name="question"/> before it runs.</summary>
    public CrmTool Confirming(ConfirmationQuestion question)
    {
        Confirm = question;
        return this;
    }

    /// <summary>Registered for notifications/cancelled while running; ordinary tools finish too fast to need it.</summary>
    public bool LongRunning { get; init; }

    /// <summary>The argument names the schema declares; <see cref="ToolCallPipeline"/> rejects any other.</summary>
    public IReadOnlyCollection<string> Arguments { get; } = arguments;

    /// <summary>Runs the handler for a call that <see cref="ToolCallPipeline"/> has already authorised, checked and registered.</summary>
    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct) =>
        request.Items.TryGetValue(ToolCall.Key, out var item) && item is ToolCall call
            ? handler(call.Caller, call.Arguments, LongRunning ? ToolProgress.For(request) : ToolProgress.None, ct)
            : throw new InvalidOperationException($"{ProtocolTool.Name} runs through the ToolCallPipeline; install it with WithRevOpsMcp().");

    /// <summary>
    /// Runs the handler for a call that arrived without the SDK (see <c>DirectToolCalls</c>), already checked by
    /// <see cref="ToolCallPipeline.RunAsync"/>. Not for long-running tools: progress and cancellation need the SDK's request context.
    /// </summary>
    public ValueTask<CallToolResult> InvokeDirectAsync(ToolCall call, CancellationToken ct) =>
        LongRunning
            ? throw new InvalidOperationException($"{ProtocolTool.Name} runs long and needs the SDK's request context for progress and cancellation.")
            : handler(call.Caller, call.Arguments, ToolProgress.None, ct);
}
