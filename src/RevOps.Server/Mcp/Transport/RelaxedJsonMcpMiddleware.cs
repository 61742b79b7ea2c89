namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// The SDK writes every JSON-RPC message with the default encoder, which escapes each quote inside
/// a string as \u0022 (and '+', '&lt;', non-ASCII letters…): a tool result's text, itself JSON, grows
/// by half on the wire. This hands the SDK a response stream that writes each server-sent event's
/// data again with the relaxed encoder: the same JSON values, valid JSON, fewer bytes.
/// </summary>
public sealed class RelaxedJsonMcpMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        await using var relaxed = new RelaxedSseStream(original, () => context.Response.ContentType);
        context.Response.Body = relaxed;
        try
        {
            await next(context);
            await relaxed.FlushAsync(context.RequestAborted);
        }
        finally
        {
            context.Response.Body = original;
        }
    }
}
