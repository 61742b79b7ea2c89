using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// notifications/progress for one tool call, sent in the call's own response stream; a no-op
/// when the client sent no progressToken (it did not ask).
/// </summary>
public sealed class ToolProgress(McpServer? server, ProgressToken? token)
{
    public static readonly ToolProgress None = new(null, null);

    public static ToolProgress For(RequestContext<CallToolRequestParams> request) =>
        request.Params?.ProgressToken is { } token ? new ToolProgress(request.Server, token) : None;

    public async ValueTask ReportAsync(long done, long total, string message, CancellationToken ct)
    {
        if (server is null || token is not { } progressToken) return;
        await server.NotifyProgressAsync(progressToken, new ProgressNotificationValue { Progress = done, Total = total, Message = message }, cancellationToken: ct);
    }
}
