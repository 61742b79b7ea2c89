using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// Answers the most common MCP request, one stateless <c>tools/call</c> of a <see cref="CrmTool"/>, without
/// building the SDK's per-request server, transport and JSON tree. The call goes through the same
/// <see cref="ToolCallPipeline.RunAsync"/> (checks, metering) and the answer is the SDK's own bytes: the SDK's
/// protocol types and serializer, the SDK's event framing and headers, then the relaxed encoding
/// <see cref="RelaxedSseStream"/> would apply (a test compares both paths byte for byte). Anything else,
/// or anything unusual about this request (a session, a protocol revision with per-request metadata, a
/// long-running tool, routing headers, another member), goes on to the SDK untouched.
/// </summary>
public sealed class DirectToolCalls(IOptions<McpServerOptions> mcp, ToolCallPipeline pipeline, ILogger<DirectToolCalls> log) : IMiddleware
{
    long _answered;

    /// <summary>Calls this server answered on the direct path (the metric counts every server in the process).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Sent by a caller that wants the SDK's path for this request: how the comparison test and a suspicious operator get it.</summary>
    public const string SdkPathHeader = "X-RevOps-Mcp-Path";

    static readonly Counter<long> Calls = Domain.Telemetry.RevOpsMeters.Meter.CreateCounter<long>("revops.mcp.direct_calls", "{call}",
        "MCP tools/call requests answered without the SDK's per-request server.");

    static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo ResultType = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolResult));
    static readonly byte[] EventPrefix = "event: message\ndata: "u8.ToArray();
    static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>The revisions whose stateless tools/call the SDK answers without per-request metadata (an absent header is 2025-03-26).</summary>
    static readonly HashSet<string> PlainRevisions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/mcp" || !PlainHeaders(request, out bool eventStream)
            || request.Body is not MemoryStream requestBody || !requestBody.TryGetBuffer(out var bytes)
            // Bytes that are not UTF-8 cannot be read as text; the SDK answers them as it always has.
            || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            await next(context);
            return;
        }

        if (context.Features.Get<JsonRpcMessage>() is not { } message || Call.Of(message.Root, mcp.Value.ToolCollection) is not { } call)
        {
            await next(context);
            return;
        }

        Calls.Add(1);
        Interlocked.Increment(ref _answered);
        var result = await RunAsync(call, context);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = eventStream ? "text/event-stream" : "application/json";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.ContentEncoding = "identity";
        response.Headers["X-Accel-Buffering"] = "no";
        // Straight into the response's pipe: nothing is sent before the flush below, so the answer still goes out whole.
        var body = response.BodyWriter;
        if (eventStream) body.Write(EventPrefix);
        WriteAnswer(body, result, call.Id);
        if (eventStream) body.Write(EventEnd);
        await body.FlushAsync(context.RequestAborted);
    }

    static void WriteAnswer(IBufferWriter<byte> body, CallToolResult result, JsonElement id)
    {
        var writer = s_writer ?? new Utf8JsonWriter(body, Relaxed);
        s_writer = null;
        writer.Reset(body);
        try
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result"u8);
            if (!TryWritePlain(writer, result)) JsonSerializer.Serialize(writer, result, ResultType);
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            // Detached from this response before another request on the thread takes it.
            writer.Reset(Stream.Null);
            s_writer = writer;
        }
    }

    /// <summary>
    /// The common result, one text block with structured content or none and no error flag or metadata, written as the
    /// SDK's serializer writes it (the byte-for-byte test covers it) without the serializer's per-call frames; anything else is left to the serializer.
    /// </summary>
    static bool TryWritePlain(Utf8JsonWriter writer, CallToolResult result)
    {
        if (result is not { Meta: null, ResultType: null, IsError: null, Content: [TextContentBlock { Annotations: null, Meta: null } block] }) return false;
        writer.WriteStartObject();
        writer.WriteStartArray("content"u8);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, block.Text);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (result.StructuredContent is { } structured)
        {
            writer.WritePropertyName("structuredContent"u8);
            structured.WriteTo(writer);
        }
        writer.WriteEndObject();
        return true;
    }

    /// <summary>The answer's writer, reused per thread (WriteAnswer never awaits, so one thread never needs two).</summary>
    [ThreadStatic] static Utf8JsonWriter? s_writer;

    async ValueTask<CallToolResult> RunAsync(Call call, HttpContext context)
    {
        var ct = context.RequestAborted;
        try
        {
            // Without per-request metadata no client can be asked (no MRTR), so a question never goes out: confirm is always "go on".
            return await pipeline.RunAsync(call.Tool, ToolCallPipeline.CallerOf(context.User, context), call.Arguments,
                static (_, _) => ValueTask.FromResult<CallToolResult?>(null), toolCall => call.Tool.InvokeDirectAsync(toolCall, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // What the SDK answers when a tool throws: an error result naming the tool, the exception only in the log.
            log.LogError(e, "tools/call {Tool} failed", call.Tool.ProtocolTool.Name);
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"An error occurred invoking '{call.Tool.ProtocolTool.Name}'." }] };
        }
    }

    /// <summary>
    /// True when the headers are ones the SDK answers plainly: JSON sent, no session, a revision without per-request
    /// metadata, no routing headers, no request for the SDK's path; <paramref name="eventStream"/> says how to answer
    /// (the SDK's single event, or the plain JSON <see cref="PlainJsonMcpMiddleware"/> makes of it).
    /// </summary>
    static bool PlainHeaders(HttpRequest request, out bool eventStream)
    {
        eventStream = false;
        var headers = request.Headers;
        if (headers.ContainsKey(SdkPathHeader) || headers.ContainsKey("Mcp-Session-Id") || headers.ContainsKey("Mcp-Method") || headers.ContainsKey("Mcp-Name")
            || headers.ContainsKey("Last-Event-ID"))
            return false;
        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)) return false;
        if (headers.TryGetValue("MCP-Protocol-Version", out var version) && (version.Count != 1 || !PlainRevisions.Contains(version[0]!))) return false;
        string accept = headers.Accept.ToString();
        bool json = accept.Contains("application/json", StringComparison.OrdinalIgnoreCase);
        eventStream = accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
        // Both: the SDK's event. No event stream: the plain JSON answer. Only the event stream: the SDK's 406, left to it.
        return json || !eventStream;
    }

    /// <summary>A plain tools/call of a CrmTool that needs nothing of the SDK's request context.</summary>
    sealed record Call(JsonElement Id, CrmTool Tool, Dictionary<string, JsonElement>? Arguments)
    {
        public static Call? Of(JsonElement root, McpServerPrimitiveCollection<McpServerTool>? tools)
        {
            if (tools is null || root.ValueKind != JsonValueKind.Object) return null;
            JsonElement? id = null;
            JsonElement parameters = default;
            bool isCall = false, isJsonRpc = false;
            // NameEquals compares the UTF-8 in place: no string per member name.
            foreach (var member in root.EnumerateObject())
            {
                if (member.NameEquals("jsonrpc"u8)) isJsonRpc = member.Value.ValueKind == JsonValueKind.String && member.Value.ValueEquals("2.0"u8);
                else if (member.NameEquals("method"u8)) isCall = member.Value.ValueKind == JsonValueKind.String && member.Value.ValueEquals("tools/call"u8);
                else if (member.NameEquals("id"u8)) id = member.Value;
                else if (member.NameEquals("params"u8)) parameters = member.Value;
                else return null;
            }
            if (!isJsonRpc || !isCall || id is not { } requestId || !PlainId(requestId) || parameters.ValueKind != JsonValueKind.Object) return null;

            string? name = null;
            Dictionary<string, JsonElement>? arguments = null;
            foreach (var member in parameters.EnumerateObject())
            {
                var value = member.Value;
                if (member.NameEquals("name"u8) && value.ValueKind == JsonValueKind.String) name = value.GetString();
                else if (member.NameEquals("arguments"u8) && value.ValueKind == JsonValueKind.Object)
                {
                    arguments = [];
                    foreach (var argument in value.EnumerateObject()) arguments[argument.Name] = argument.Value;
                }
                else if (member.NameEquals("arguments"u8) && value.ValueKind == JsonValueKind.Null) { }
                // A progress token is the only metadata a short call may carry: the SDK ignores it for a tool that reports none.
                else if (member.NameEquals("_meta"u8) && OnlyProgressToken(value)) { }
                else return null;
            }
            return name is not null && tools.TryGetPrimitive(name, out var tool) && tool is CrmTool { LongRunning: false } crmTool
                ? new Call(requestId, crmTool, arguments)
                : null;
        }

        /// <summary>Ids the SDK echoes as they came: strings, and integers it reads as a long.</summary>
        static bool PlainId(JsonElement id) =>
            id.ValueKind == JsonValueKind.String || id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out long n) && SameAsWritten(id, n);

        /// <summary>Whether the id's own text is how the SDK writes the long back (1e3, 1.0 or -0 would come back otherwise), compared in place without two strings.</summary>
        static bool SameAsWritten(JsonElement id, long n)
        {
            Span<byte> written = stackalloc byte[20];
            return n.TryFormat(written, out int length, default, System.Globalization.CultureInfo.InvariantCulture)
                && System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(id).SequenceEqual(written[..length]);
        }

        static bool OnlyProgressToken(JsonElement meta)
        {
            if (meta.ValueKind != JsonValueKind.Object) return false;
            foreach (var member in meta.EnumerateObject())
                if (!member.NameEquals("progressToken"u8)) return false;
            return true;
        }
    }
}
