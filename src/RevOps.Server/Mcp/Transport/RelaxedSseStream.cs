using System.Buffers;
using System.Text.Json;

namespace RevOps.Server.Mcp.Transport;

/// <summary>
/// A response stream that passes server-sent events through whole, each "data:" line re-encoded
/// with the relaxed JSON encoder. Anything that is not an event stream (a plain JSON error, an
/// empty 202) passes through as written. Events are complete when a blank line ends them; the SDK
/// flushes after each, and so does this stream, so notifications still arrive as they happen.
/// </summary>
internal sealed class RelaxedSseStream(Stream inner, Func<string?> contentType) : Stream
{
    static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    static readonly byte[] DataPrefix = "data: "u8.ToArray();

    readonly ArrayBufferWriter<byte> _pending = new(4096);
    bool? _isEventStream;

    bool IsEventStream => _isEventStream ??= contentType()?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!IsEventStream)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }
        _pending.Write(buffer.Span);
        await WriteCompleteEventsAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await WriteCompleteEventsAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    /// <summary>Whatever is left unfinished goes out as it was written: never lose bytes of a response.</summary>
    public override async ValueTask DisposeAsync()
    {
        await WriteCompleteEventsAsync(CancellationToken.None);
        if (_pending.WrittenCount > 0)
        {
            await inner.WriteAsync(_pending.WrittenMemory);
            _pending.Clear();
        }
        await base.DisposeAsync();
    }

    async Task WriteCompleteEventsAsync(CancellationToken ct)
    {
        var written = _pending.WrittenMemory;
        int end = LastEventEnd(written.Span);
        if (end < 0) return;
        var output = new ArrayBufferWriter<byte>(end + 64);
        Rewrite(written.Span[..end], output);
        var rest = written[end..].ToArray();
        _pending.Clear();
        _pending.Write(rest);
        await inner.WriteAsync(output.WrittenMemory, ct);
    }

    /// <summary>Just past the last "\n\n" (the end of an event), or -1 when no event is complete yet.</summary>
    static int LastEventEnd(ReadOnlySpan<byte> bytes)
    {
        int at = bytes.LastIndexOf("\n\n"u8);
        return at < 0 ? -1 : at + 2;
    }

    static void Rewrite(ReadOnlySpan<byte> events, ArrayBufferWriter<byte> output)
    {
        while (events.Length > 0)
        {
            int newline = events.IndexOf((byte)'\n');
            var line = newline < 0 ? events : events[..newline];
            if (line.StartsWith(DataPrefix) && TryReencode(line[DataPrefix.Length..], output, DataPrefix)) { }
            else output.Write(line);
            if (newline < 0) break;
            output.Write("\n"u8);
            events = events[(newline + 1)..];
        }
    }

    /// <summary>The JSON value again with the relaxed encoder; false (nothing written) when it is not one JSON value.</summary>
    static bool TryReencode(ReadOnlySpan<byte> json, ArrayBufferWriter<byte> output, ReadOnlySpan<byte> prefix)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length);
        try
        {
            var reader = new Utf8JsonReader(json);
            using (var writer = new Utf8JsonWriter(buffer, Relaxed))
            {
                while (reader.Read())
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                        case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                        case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                        case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                        case JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!); break;
                        case JsonTokenType.String: writer.WriteStringValue(reader.GetString()); break;
                        case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                        case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                        case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                        case JsonTokenType.Null: writer.WriteNullValue(); break;
                        default: return false;
                    }
                }
                if (reader.BytesConsumed != json.Length && json[(int)reader.BytesConsumed..].TrimEnd("\r "u8).Length > 0) return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
        output.Write(prefix);
        output.Write(buffer.WrittenSpan);
        return true;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
