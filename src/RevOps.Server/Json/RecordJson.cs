using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Server.Json;

/// <summary>Records as JSON with Salesforce field names, written straight from the typed values.</summary>
public static class RecordJson
{
    /// <summary>Agents read this text: keep '+', quotes and non-ASCII letters as they are.</summary>
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Every field with a value, in metadata order, then the custom fields. Nulls and the audit fields
    /// (CreatedDate, SystemModstamp…) are left out to save agents' tokens unless <paramref name="only"/> names them.
    /// </summary>
    public static void WriteCompact(Utf8JsonWriter writer, Record record, IReadOnlySet<string>? only = null)
    {
        writer.WriteStartObject();
        WriteFields(writer, record, only);
        writer.WriteEndObject();
    }

    /// <summary>The record's fields with a value (or just <paramref name="only"/>) into an object already started.</summary>
    public static void WriteFields(Utf8JsonWriter writer, Record record, IReadOnlySet<string>? only = null)
    {
        var fields = record.Object.Fields;
        for (int i = 0; i < fields.Count; i++)
        {
            if (record.Values[i] is not { } value) continue;
            if (only is null ? Unasked(fields[i].Name, value) : !only.Contains(fields[i].Name)) continue;
            writer.WritePropertyName(fields[i].Name);
            ValueJson.Write(writer, value);
        }
        foreach (var (name, value) in record.Custom)
        {
            if (only is not null && !only.Contains(name)) continue;
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    /// <summary>An audit field nobody asked for; IsDeleted stays when true, since a record in the recycle bin should say so.</summary>
    static bool Unasked(string field, object value) =>
        StandardObjects.AuditFields.Contains(field) && !(field == "IsDeleted" && value is true);

    /// <summary>Runs <paramref name="write"/> into this thread's reused buffer and returns the parsed element and its text.</summary>
    public static (JsonElement Element, string Text) Build(Action<Utf8JsonWriter> write) =>
        Writer.Write(write, static json => (JsonElement.Parse(json), System.Text.Encoding.UTF8.GetString(json)));

    static readonly ReusedJsonWriter Writer = new(WriterOptions, initialBytes: 4096);
}
