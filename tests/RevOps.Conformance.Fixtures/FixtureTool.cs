using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Conformance.Fixtures;

/// <summary>One of the conformance suite's fixture tools: a fixed schema and a handler, nothing of the CRM.</summary>
public sealed class FixtureTool(Tool protocolTool, FixtureTool.Handler handler) : McpServerTool
{
    public delegate ValueTask<CallToolResult> Handler(RequestContext<CallToolRequestParams> request, CancellationToken ct);

    public override Tool ProtocolTool { get; } = protocolTool;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken ct) => handler(request, ct);
}
