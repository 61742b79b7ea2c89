using System.Buffers;
using System.Text.Json;

namespace RevOps.Domain.Records;

/// <summary>
/// A JSON writer over a growable buffer, kept per thread and per options: the hot paths that write JSON on every call
/// (a record's answer, a change-log row's text) reuse one instead of allocating a stream and a writer each time.
/// </summary>
public sealed class ReusedJsonWriter(JsonWriterOptions options, int initialBytes)
{
    /// <summary>Reads the bytes written; they are only valid during the call.</summary>
    public delegate T Reader<out T>(ReadOnlySpan<byte> json);

    /// <summary>A huge document's buffer is not kept for the life of the thread.</summary>
    const int MaxKeptBytes = 64 * 1024;

    readonly ThreadLocal<Scratch?> _kept = new();

    public T Write<T>(Action<Utf8JsonWriter> write, Reader<T> read)
    {
        // Taken, not borrowed: a write that builds JSON of its own with this writer (nested) gets a fresh pair.
        var scratch = _kept.Value ?? new Scratch(options, initialBytes);
        _kept.Value = null;
        try
        {
            write(scratch.Writer);
            scratch.Writer.Flush();
            return read(scratch.Buffer.WrittenSpan);
        }
        finally
        {
            if (scratch.Buffer.Capacity <= MaxKeptBytes)
            {
                scratch.Buffer.ResetWrittenCount();
                scratch.Writer.Reset(scratch.Buffer);
                _kept.Value = scratch;
            }
        }
    }

    sealed class Scratch
    {
        public readonly ArrayBufferWriter<byte> Buffer;
        public readonly Utf8JsonWriter Writer;

        public Scratch(JsonWriterOptions options, int initialBytes)
        {
            Buffer = new ArrayBufferWriter<byte>(initialBytes);
            Writer = new Utf8JsonWriter(Buffer, options);
        }
    }
}
