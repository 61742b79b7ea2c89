using System.Globalization;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Typed field values to and from SQLite columns. Dates and datetimes are stored as ISO text
/// that sorts in time order ("2026-11-25", "2026-11-25T09:43:53.123Z").
/// </summary>
internal static class SqliteValues
{
    public static object ToColumn(object? value) => value switch
    {
        null => DBNull.Value,
        bool b => b ? 1L : 0L,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => TextTime.Format(time),
        _ => value,
    };

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
            StorageKind.DateTime => TextTime.Parse(reader.GetString(ordinal)),
            _ => throw new InvalidOperationException($"Unknown storage kind {kind}."),
        };
    }
}
