using Npgsql;
using NpgsqlTypes;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Typed field values to and from PostgreSQL columns. Every parameter carries its type, so a null
/// is as well typed as a value. Times are truncated to milliseconds, the precision SQLite's text
/// keeps, so a value reads back the same on either backend.
/// </summary>
internal static class PostgresValues
{
    /// <summary>information_schema's data_type for a field of this storage kind.</summary>
    public static string ColumnType(StorageKind kind) => kind switch
    {
        StorageKind.Text => "text",
        StorageKind.Integer => "bigint",
        StorageKind.Real => "double precision",
        StorageKind.Boolean => "boolean",
        StorageKind.Date => "date",
        StorageKind.DateTime => "timestamp with time zone",
        _ => throw new InvalidOperationException($"Unknown storage kind {kind}."),
    };

    public static NpgsqlDbType DbType(StorageKind kind) => kind switch
    {
        StorageKind.Text => NpgsqlDbType.Text,
        StorageKind.Integer => NpgsqlDbType.Bigint,
        StorageKind.Real => NpgsqlDbType.Double,
        StorageKind.Boolean => NpgsqlDbType.Boolean,
        StorageKind.Date => NpgsqlDbType.Date,
        StorageKind.DateTime => NpgsqlDbType.TimestampTz,
        _ => throw new InvalidOperationException($"Unknown storage kind {kind}."),
    };

    public static void Add(NpgsqlParameterCollection parameters, string name, object? value, StorageKind kind) =>
        parameters.Add(new NpgsqlParameter(name, DbType(kind)) { Value = ToColumn(value, kind) });

    public static void Add(NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    public static void Add(NpgsqlParameterCollection parameters, string name, DateTime? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = value is { } t ? Time(t) : DBNull.Value });

    public static void Add(NpgsqlParameterCollection parameters, string name, long? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = (object?)value ?? DBNull.Value });

    public static void AddTenant(NpgsqlParameterCollection parameters, Domain.Tenancy.TenantId tenant) =>
        parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Uuid) { Value = tenant.Value });

    public static object ToColumn(object? value, StorageKind kind) => value switch
    {
        null => DBNull.Value,
        DateTime time => Time(time),
        _ when kind == StorageKind.Integer => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        _ when kind == StorageKind.Real => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>UTC, truncated to the millisecond.</summary>
    public static DateTime Time(DateTime time)
    {
        var utc = time.ToUniversalTime();
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    public static object? FromColumn(NpgsqlDataReader reader, int ordinal, StorageKind kind)
    {
        if (reader.IsDBNull(ordinal)) return null;
        return kind switch
        {
            StorageKind.Text => reader.GetString(ordinal),
            StorageKind.Integer => reader.GetInt64(ordinal),
            StorageKind.Real => reader.GetDouble(ordinal),
            StorageKind.Boolean => reader.GetBoolean(ordinal),
            StorageKind.Date => reader.GetFieldValue<DateOnly>(ordinal),
            StorageKind.DateTime => reader.GetFieldValue<DateTime>(ordinal),
            _ => throw new InvalidOperationException($"Unknown storage kind {kind}."),
        };
    }
}
