using System.Globalization;
using System.Text.Json;

namespace RevOps.Domain.Records;

/// <summary>Writes typed field values in Salesforce's JSON shapes.</summary>
public static class ValueJson
{
    /// <summary>Salesforce's datetime shape: always UTC, milliseconds, offset without colon.</summary>
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'";
    public const string DateFormat = "yyyy-MM-dd";

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case DateOnly date: writer.WriteStringValue(date.ToString(DateFormat, CultureInfo.InvariantCulture)); break;
            case DateTime time: writer.WriteStringValue(FormatDateTime(time)); break;
            case JsonElement element: element.WriteTo(writer); break;
            default: throw new ArgumentException($"Unsupported field value type {value.GetType()}.", nameof(value));
        }
    }

    /// <summary>Field changes as {"Field": {"before": …, "after": …}, …}: the change log's shape, also shown by dry runs.</summary>
    public static void WriteChanges(Utf8JsonWriter writer, IEnumerable<FieldChange> changes)
    {
        writer.WriteStartObject();
        foreach (var change in changes)
        {
            writer.WriteStartObject(change.Field);
            writer.WritePropertyName("before");
            Write(writer, change.Before);
            writer.WritePropertyName("after");
            Write(writer, change.After);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    public static string FormatDateTime(DateTime time) =>
        time.ToUniversalTime().ToString(DateTimeFormat, CultureInfo.InvariantCulture);
}
