using System.Buffers;
using System.Text.Json;
using RevOps.Domain.Records;

namespace RevOps.Server.Console;

/// <summary>Form values as a record input: each value a JSON string (the field rules parse numbers, dates and checkboxes from text), empty as null.</summary>
public static class ConsoleInput
{
    public static RecordInput From(IEnumerable<KeyValuePair<string, string?>> values) =>
        RecordInput.From(values.Select(v => new KeyValuePair<string, JsonElement>(v.Key, Element(v.Value))).ToArray());

    public static JsonElement Element(string? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (string.IsNullOrEmpty(value)) writer.WriteNullValue();
            else writer.WriteStringValue(value);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
