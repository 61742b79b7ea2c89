using System.Buffers;
using System.Text.Json;
using RevOps.Server.Hosting;

namespace RevOps.Server.Mcp;

/// <summary>
/// DNS-rebinding protection for /mcp, which the SDK leaves to the host: a browser page on a
/// foreign origin gets 403 even when its name resolves to this server. Requests without an
/// Origin (SDK clients, curl, desktop bridges) pass; so do the server's own origin, loopback
/// origins, and the configured allow-list (--allowed-origins).
/// </summary>
public sealed class OriginGuard(RequestDelegate next, RevOpsOptions options)
{
    readonly HashSet<string> _allowed = new(options.AllowedOrigins.Select(o => o.Trim().TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        string? origin = context.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin) || IsAllowed(origin, context.Request))
        {
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteNull("id");
            writer.WriteStartObject("error");
            writer.WriteNumber("code", -32600);
            writer.WriteString("message", $"Origin '{origin}' is not allowed to call this MCP server. Call it from a server-side client (no Origin header), or have the operator add the origin with --allowed-origins.");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    bool IsAllowed(string origin, HttpRequest request)
    {
        if (_allowed.Contains("*") || _allowed.Contains(origin.TrimEnd('/'))) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        if (uri.IsLoopback) return true;
        // Same origin: the page was served by this very host and port.
        return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
