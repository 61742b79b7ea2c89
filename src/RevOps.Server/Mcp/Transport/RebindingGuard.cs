using System.Buffers;
using System.Text.Json;
using RevOps.Server.Hosting;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// DNS-rebinding protection for /mcp, which the SDK leaves to the host. A rebinding page talks
/// to us under its own name, so the Host header must be one of ours (<see cref="HostAllowList"/>),
/// and a browser page on a foreign origin gets 403 even when its name resolves to this server.
/// Requests without an Origin (SDK clients, curl, desktop bridges) pass the origin check; so do
/// the server's own origin, loopback origins, and the configured allow-list (--allowed-origins).
/// </summary>
public sealed class RebindingGuard(RequestDelegate next, RevOpsOptions options)
{
    readonly HashSet<string> _allowedOrigins = new(options.AllowedOrigins.Select(o => o.Trim().TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
    readonly HostAllowList _hosts = HostAllowList.From(options);

    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (!_hosts.Allows(host))
        {
            await RefuseAsync(context, $"Host '{host.Value}' is not a name of this MCP server. Call it as localhost or 127.0.0.1, or have the operator add the name with --allowed-hosts.");
            return;
        }
        string? origin = context.Request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin) && !IsAllowed(origin, context.Request))
        {
            await RefuseAsync(context, $"Origin '{origin}' is not allowed to call this MCP server. Call it from a server-side client (no Origin header), or have the operator add the origin with --allowed-origins.");
            return;
        }
        await next(context);
    }

    static Task RefuseAsync(HttpContext context, string message) =>
        JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, -32600, message);

    bool IsAllowed(string origin, HttpRequest request)
    {
        if (_allowedOrigins.Contains("*") || _allowedOrigins.Contains(origin.TrimEnd('/'))) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        if (uri.IsLoopback) return true;
        // Same origin: the page was served by this very host and port (a Host already checked above).
        return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
