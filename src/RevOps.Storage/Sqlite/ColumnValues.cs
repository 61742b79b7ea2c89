using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Typed field values to and from SQLite columns. Dates and datetimes are stored as ISO text
/// that sorts in time order ("2026-11-25", "2026-11-25T09:43:53.123Z").
/// </summary>
internal static class ColumnValues
{
    const string DateTimeStorageFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static object ToColumn(object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => FormatDateTime(time),
        _ => value,
    };

    public static string FormatDateTime(DateTime time) =>
        time.ToUniversalTime().ToString(DateTimeStorageFormat, CultureInfo.InvariantCulture);

    public static object? FromColumn(SqliteDataReader reader, int ordinal, StorageKind kind)
    {
        if (reader.IsDBNull(ordinal)) return null;
        return kind switch
        {
            StorageKind.Text => reader.GetString(ordinal),
            StorageKind.Integer => reader.GetInt64(ordinal),
            StorageKind.Real => reader.GetDouble(ordinal),
            StorageKind.Boolean => reader.GetInt64(ordinal) != 0,
            StorageKind.Date => DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            StorageKind.DateTime => DateTime.ParseExact(reader.GetString(ordinal), DateTimeStorageFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            _ => throw new InvalidOperationException($"Unknown storage kind {kind}."),
        };
    }

    public static object CustomToColumn(SortedDictionary<string, JsonElement> custom)
    {
        if (custom.Count == 0) return DBNull.Value;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in custom)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static SortedDictionary<string, JsonElement> CustomFromColumn(SqliteDataReader reader, int ordinal)
    {
        var custom = new SortedDictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (reader.IsDBNull(ordinal)) return custom;
        using var document = JsonDocument.Parse(reader.GetString(ordinal));
        foreach (var property in document.RootElement.EnumerateObject()) custom[property.Name] = property.Value.Clone();
        return custom;
    }
}
