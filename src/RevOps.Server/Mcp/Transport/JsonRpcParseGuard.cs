using System.Buffers;
using System.Text.Json;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// Answers a POST whose body is not JSON with JSON-RPC's parse error (-32700), as the spec
/// asks; the SDK would call it an invalid request (-32600). Validation is one forward pass of
/// Utf8JsonReader over the buffered body, which the SDK then reads again. It also bounds what a
/// message may be: its size (413), its nesting depth and the length of any one string.
/// </summary>
public sealed class JsonRpcParseGuard(RequestDelegate next, Hosting.RevOpsOptions options,
    Microsoft.Extensions.Options.IOptions<ModelContextProtocol.Server.McpServerOptions> mcp, ILogger<JsonRpcParseGuard> log)
{
    readonly string _tooLarge = $"Request too large: send at most {options.MaxRequestBytes:N0} bytes per message (bulk_write: split the records over several calls).";

    public const int MaxDepth = 32;
    public const int MaxStringBytes = 512 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        long maxBody = options.MaxRequestBytes;
        string tooLarge = _tooLarge;
        if (context.Request.ContentLength > maxBody)
        {
            await Limits.OversizedBodies.DrainAsync(context);
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, -32600, tooLarge);
            return;
        }
        byte[] validated;
        try
        {
            validated = context.Request.ContentLength is { } length
                ? await ReadExactlyAsync(context, (int)length)
                : await ReadChunkedAsync(context, maxBody, tooLarge);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own limit on a chunked body, or ours: the same answer either way.
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, -32600, tooLarge);
            return;
        }

        if (!IsJson(validated, out string? problem))
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, -32700, $"Parse error: the body is not valid JSON ({problem}). Send one JSON-RPC 2.0 message.");
            return;
        }
        // Parsed once here; the shape check, the unknown-tool check and DirectToolCalls all read this tree.
        using var document = JsonDocument.Parse(validated);
        var root = document.RootElement;
        if (JsonRpcShape.Problem(root, context.Request.Headers["MCP-Protocol-Version"] is { Count: > 0 } version ? version[0] : null) is { } shape)
        {
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, -32602, $"Invalid params: {shape}");
            return;
        }
        if (UnknownTool.Of(root, mcp.Value.ToolCollection, context.Request.Headers) is { } unknown)
        {
            // A client's mistake, not a server failure: one warning line instead of the SDK's two stack traces.
            log.LogWarning("tools/call of unknown tool '{Tool}' answered with invalid params", unknown.Name);
            await JsonRpcErrorResponse.WriteAsync(context, StatusCodes.Status200OK, -32602, unknown.Message, unknown.Id);
            return;
        }
        // Visible, so DirectToolCalls reads the validated bytes without copying them again.
        context.Request.Body = new MemoryStream(validated, 0, validated.Length, writable: false, publiclyVisible: true);
        context.Features.Set(new JsonRpcMessage(root));
        await next(context);
    }

    /// <summary>A body of declared length (at most the limit, checked before) into an array of that size: no buffer to grow, nothing to copy.</summary>
    static async ValueTask<byte[]> ReadExactlyAsync(HttpContext context, int length)
    {
        var body = new byte[length];
        int filled = 0;
        while (filled < length)
        {
            int read = await context.Request.Body.ReadAsync(body.AsMemory(filled), context.RequestAborted);
            if (read == 0) break;
            filled += read;
        }
        return filled == length ? body : body[..filled];
    }

    static async ValueTask<byte[]> ReadChunkedAsync(HttpContext context, long maxBody, string tooLarge)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        while (true)
        {
            var memory = body.GetMemory(4096);
            int read = await context.Request.Body.ReadAsync(memory, context.RequestAborted);
            if (read == 0) break;
            body.Advance(read);
            if (body.WrittenCount > maxBody)
            {
                await Limits.OversizedBodies.DrainAsync(context);
                throw new BadHttpRequestException(tooLarge, StatusCodes.Status413PayloadTooLarge);
            }
        }
        return body.WrittenMemory.ToArray();
    }

    static bool IsJson(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        if (json.IsEmpty)
        {
            problem = "empty body";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth)
                {
                    problem = $"it nests deeper than {MaxDepth} levels";
                    return false;
                }
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueSpan.Length > MaxStringBytes)
                {
                    problem = $"a string of {reader.ValueSpan.Length:N0} bytes is longer than the {MaxStringBytes:N0} allowed";
                    return false;
                }
                // JSON's grammar lets "\ud800" stand alone; no string can hold it, so the SDK would fail later with an internal error.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped) reader.GetString();
            }
            return true;
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return false;
        }
        catch (InvalidOperationException)
        {
            problem = "a string holds an unpaired UTF-16 surrogate escape such as \\ud800; send valid Unicode text";
            return false;
        }
    }
}
