using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// <see cref="TenantCopy.TableBatch"/>'s portable values (SQLite's storage form) to and from PostgreSQL
/// columns, by the column's information_schema data type.
/// </summary>
internal static class PostgresPortableValues
{
    public static NpgsqlParameter ToParameter(object? value, string dataType, string table, string column)
    {
        var type = DbType(dataType);
        if (value is null) return new NpgsqlParameter { NpgsqlDbType = type, Value = DBNull.Value };
        try
        {
            object converted = type switch
            {
                NpgsqlDbType.Uuid => Guid.Parse(Text(value)),
                NpgsqlDbType.Bigint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                NpgsqlDbType.Integer => Convert.ToInt32(value, CultureInfo.InvariantCulture),
                NpgsqlDbType.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                NpgsqlDbType.Boolean => value is string s ? s is "1" or "true" : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
                NpgsqlDbType.Date => DateOnly.Parse(Text(value), CultureInfo.InvariantCulture),
                NpgsqlDbType.TimestampTz => PostgresValues.Time(DateTime.Parse(Text(value), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                _ => Text(value),
            };
            return new NpgsqlParameter { NpgsqlDbType = type, Value = converted };
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{table}.{column}: '{value}' is not a valid {dataType}.");
        }
    }

    public static object? FromColumn(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return null;
        return reader.GetDataTypeName(ordinal) switch
        {
            "uuid" => reader.GetGuid(ordinal).ToString("D"),
            "bigint" => reader.GetInt64(ordinal),
            "integer" => (long)reader.GetInt32(ordinal),
            "double precision" => reader.GetDouble(ordinal),
            "boolean" => reader.GetBoolean(ordinal) ? 1L : 0L,
            "date" => reader.GetFieldValue<DateOnly>(ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "timestamp with time zone" => TextTime.Format(reader.GetFieldValue<DateTime>(ordinal)),
            _ => reader.GetValue(ordinal) is var other && other is string text ? text : Convert.ToString(other, CultureInfo.InvariantCulture),
        };
    }

    static NpgsqlDbType DbType(string dataType) => dataType switch
    {
        "uuid" => NpgsqlDbType.Uuid,
        "bigint" => NpgsqlDbType.Bigint,
        "integer" => NpgsqlDbType.Integer,
        "double precision" => NpgsqlDbType.Double,
        "boolean" => NpgsqlDbType.Boolean,
        "date" => NpgsqlDbType.Date,
        "timestamp with time zone" => NpgsqlDbType.TimestampTz,
        "jsonb" => NpgsqlDbType.Jsonb,
        _ => NpgsqlDbType.Text,
    };

    static string Text(object value) => value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture)!;
}
