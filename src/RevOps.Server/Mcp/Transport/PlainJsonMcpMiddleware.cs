using System.Text;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// Lets clients that POST one JSON-RPC message without asking for text/event-stream (the
/// seed's desktop client, whose fetch sends Accept: */*; curl) get a plain JSON answer. The SDK answers Streamable HTTP
/// requests only to clients that accept text/event-stream; for the others we ask it for the
/// stream and hand back the single message it carries.
/// </summary>
public sealed class PlainJsonMcpMiddleware(RequestDelegate next)
{
    const string EventStream = "text/event-stream";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || AcceptsEventStream(context.Request.Headers.Accept))
        {
            await next(context);
            return;
        }

        context.Request.Headers.Accept = "application/json, text/event-stream";
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.ContentType?.StartsWith(EventStream, StringComparison.OrdinalIgnoreCase) != true)
        {
            await buffer.CopyToAsync(original, context.RequestAborted);
            return;
        }

        string? payload = LastData(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        context.Response.ContentType = "application/json";
        context.Response.Headers.ContentLength = null;
        if (payload is not null) await original.WriteAsync(Encoding.UTF8.GetBytes(payload), context.RequestAborted);
    }

    static bool AcceptsEventStream(Microsoft.Extensions.Primitives.StringValues accept)
    {
        foreach (var value in accept)
            if (value is not null && value.Contains(EventStream, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>The data of the last SSE event: the JSON-RPC response (earlier events would be notifications).</summary>
    static string? LastData(string stream)
    {
        string? last = null;
        var data = new StringBuilder();
        foreach (var rawLine in stream.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (data.Length > 0) last = data.ToString();
                data.Clear();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(5).TrimStart(' '));
            }
        }
        return data.Length > 0 ? data.ToString() : last;
    }
}
