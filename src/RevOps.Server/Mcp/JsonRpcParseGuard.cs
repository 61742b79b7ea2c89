using System.Buffers;
using System.Text.Json;

namespace RevOps.Server.Mcp;

/// <summary>
/// Answers a POST whose body is not JSON with JSON-RPC's parse error (-32700), as the spec
/// asks; the SDK would call it an invalid request (-32600). Validation is one forward pass of
/// Utf8JsonReader over the buffered body, which the SDK then reads again.
/// </summary>
public sealed class JsonRpcParseGuard(RequestDelegate next)
{
    const int MaxBody = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        var body = new ArrayBufferWriter<byte>(context.Request.ContentLength is > 0 and < MaxBody ? (int)context.Request.ContentLength : 1024);
        while (true)
        {
            var memory = body.GetMemory(4096);
            int read = await context.Request.Body.ReadAsync(memory, context.RequestAborted);
            if (read == 0) break;
            body.Advance(read);
            if (body.WrittenCount > MaxBody)
            {
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, -32600, $"Request too large: send at most {MaxBody / (1024 * 1024)} MiB.");
                return;
            }
        }

        if (!IsJson(body.WrittenSpan, out string? problem))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, -32700, $"Parse error: the body is not valid JSON ({problem}). Send one JSON-RPC 2.0 message.");
            return;
        }
        context.Request.Body = new MemoryStream(body.WrittenMemory.ToArray(), writable: false);
        await next(context);
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
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
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

    static Task WriteErrorAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteNull("id");
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
