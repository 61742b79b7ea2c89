using System.Buffers;
using System.Text.Json;

namespace RevOps.Server.Mcp.Transport;

/// <summary>A JSON-RPC error answered before the SDK sees the request (with the request's id when it is known), with the HTTP status that fits.</summary>
public static class JsonRpcErrorResponse
{
    public static Task WriteAsync(HttpContext context, int status, int code, string message, JsonElement? id = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            if (id is { } known) known.WriteTo(writer);
            else writer.WriteNullValue();
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
