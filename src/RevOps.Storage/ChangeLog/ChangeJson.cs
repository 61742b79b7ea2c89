using System.Buffers;
using System.Text;
using System.Text.Json;
using RevOps.Domain.Records;

namespace RevOps.Storage.ChangeLog;

/// <summary>The change log's field column: {"Field": {"before": …, "after": …}, …}.</summary>
internal static class ChangeJson
{
    public static string Serialize(IReadOnlyList<FieldChange> changes)
    {
        // Taken, not borrowed: a nested Serialize on the same thread (none today) would get its own pair.
        var scratch = s_scratch ?? new Scratch();
        s_scratch = null;
        try
        {
            ValueJson.WriteChanges(scratch.Writer, changes);
            scratch.Writer.Flush();
            return Encoding.UTF8.GetString(scratch.Buffer.WrittenSpan);
        }
        finally
        {
            // A huge change's buffer is not kept for the life of the thread.
            if (scratch.Buffer.Capacity <= Scratch.MaxKeptBytes)
            {
                scratch.Buffer.ResetWrittenCount();
                scratch.Writer.Reset(scratch.Buffer);
                s_scratch = scratch;
            }
        }
    }

    /// <summary>
    /// A buffer and a writer over it, reused per thread (every create serializes its change on the request's thread):
    /// the writer's default options, as the per-call writer over a stream had, so the text is the same.
    /// </summary>
    [ThreadStatic] static Scratch? s_scratch;

    sealed class Scratch
    {
        public const int MaxKeptBytes = 64 * 1024;
        public readonly ArrayBufferWriter<byte> Buffer = new(1024);
        public readonly Utf8JsonWriter Writer;

        public Scratch() => Writer = new Utf8JsonWriter(Buffer);
    }
}
