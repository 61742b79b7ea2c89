using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// SQLite's side of <see cref="SqlDialect"/>: booleans as 0/1, dates and times as ISO text that sorts
/// in time order (<see cref="SqliteValues"/>), custom fields through json_extract (the expression
/// their indexes are built on), and no row locks (the one writer serializes every write).
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    /// <summary>Below SQLite's SQLITE_MAX_LIKE_PATTERN_LENGTH (50,000 bytes), with room for escapes.</summary>
    const int MaxLikePatternBytes = 20_000;

    public override void AddTenant(DbCommand command, TenantId tenant) => Bind(command, "@tenant", tenant.ToString());

    public override void Add(DbCommand command, string name, object? value, StorageKind kind) => Bind(command, Name(name), SqliteValues.ToColumn(value));

    public override void AddCustom(DbCommand command, string name, SortedDictionary<string, JsonElement> custom) =>
        Bind(command, Name(name), (object?)CustomJson(custom) ?? DBNull.Value);

    public override void AddParents(DbCommand command, string[] parentIds) => Bind(command, "@parents", JsonArray(parentIds));

    public override void AddOptionalLimit(DbCommand command, string name, long? limit) => Bind(command, Name(name), limit ?? -1);

    public override object? Read(DbDataReader reader, int ordinal, StorageKind kind) => SqliteValues.FromColumn((SqliteDataReader)reader, ordinal, kind);

    public override TenantId ReadTenant(DbDataReader reader, int ordinal) => new(Guid.Parse(reader.GetString(ordinal)));

    public override object? ReadPortable(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);

    /// <summary>json_extract gives checkboxes as 0/1.</summary>
    public override JsonElement ReadCustomValue(FieldMetadata field, object raw)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (raw)
            {
                case long l when field.Type == FieldType.Boolean: writer.WriteBooleanValue(l != 0); break;
                case long l: writer.WriteNumberValue(l); break;
                case double d: writer.WriteNumberValue(d); break;
                default: writer.WriteStringValue(Convert.ToString(raw, CultureInfo.InvariantCulture)); break;
            }
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    public override Search.SearchSql Search { get; } = new SqliteSearchSql();

    public override IReadOnlyList<string> DuplicateKey(Domain.Duplicates.DuplicateKey key) => key switch
    {
        Domain.Duplicates.DuplicateKey.Email => ["lower(email)"],
        Domain.Duplicates.DuplicateKey.Name => ["lower(name)"],
        Domain.Duplicates.DuplicateKey.Phone => ["substr(phone_digits, -10)", "substr(mobile_digits, -10)"],
        _ => ["web_host"],
    };

    public override string ColumnType(StorageKind kind, bool ignoreCase) => kind switch
    {
        StorageKind.Text => ignoreCase ? "TEXT COLLATE NOCASE" : "TEXT",
        StorageKind.Integer or StorageKind.Boolean => "INTEGER",
        StorageKind.Real => "REAL",
        StorageKind.Date or StorageKind.DateTime => "TEXT",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown storage kind."),
    };

    public override string TenantColumnType => "TEXT";

    public override string JsonColumnType => "TEXT";

    // Every statement filters on tenant_id itself; SQLite has no second wall to add.
    public override string GuardTenantTable(string table) => "";

    // SQLITE_CONSTRAINT; its extended code tells unique (2067) and primary key (1555) apart, both of which count.
    public override bool IsUniqueViolation(System.Data.Common.DbException error) => error is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };

    public override string True => "1";

    public override string False => "0";

    public override string HasCustomValue(string name) => $"json_type(custom_fields, '$.{name}') IS NOT NULL";

    public override string WithoutCustomValue(string name) => $"json_remove(custom_fields, '$.{name}')";

    public override string CustomColumn(string alias, FieldMetadata field) =>
        $"json_extract({(alias.Length > 0 ? alias + "." : "")}custom_fields, '$.{field.Name}')";

    public override string NoCase => " COLLATE NOCASE";

    // LIKE on a NOCASE column with a constant-prefix pattern is answered from the index.
    public override string Like(string left, string pattern) => $"{left} LIKE {pattern} ESCAPE '\\'";

    public override string DistinctFrom => "IS NOT";

    public override string Direction(bool descending) => descending ? "DESC" : "ASC";

    // SQLite plans with the value of a bound LIMIT, so it marks the statement to be compiled again whenever
    // that parameter is bound, which Microsoft.Data.Sqlite does on every execution; the unary plus makes the
    // limit an expression the planner does not read, and the prepared statement stays valid.
    // (SOQL keeps plain LIMIT parameters: there the plan that knows the limit is worth a compile.)
    public override string LimitOffset => LimitOffsetSql;

    /// <summary><see cref="LimitOffset"/> as a constant, for statements built in static initializers.</summary>
    internal const string LimitOffsetSql = "LIMIT +@limit OFFSET @offset";

    public override string Limit => "LIMIT +@limit";

    public override string Not(string condition) => $"NOT IFNULL({condition}, 0)";

    public override string Sum(string inner) => $"SUM({inner})";

    public override string Avg(string inner) => $"AVG({inner})";

    public override string InParents(string column) => $"{column} IN (SELECT value FROM json_each(@parents))";

    // With a filter, "+Id" keeps SQLite from walking the primary key in Id order (skipping
    // non-matches) instead of using the filter's index and sorting the few rows that match.
    public override string IdOrder(string idColumn, bool filtered) => (filtered ? "+" : "") + idColumn;

    public override string CountAfterLimit(string from) => $"SELECT COUNT(*) FROM (SELECT 1 {from} LIMIT @limit OFFSET @offset)";

    /// <summary>Custom values compare as json_extract returns them: dates and datetimes as the text the JSON holds.</summary>
    public override object Value(object value, bool custom) => !custom ? SqliteValues.ToColumn(value) : value switch
    {
        DateTime time => ValueJson.FormatDateTime(time),
        DateOnly date => date.ToString(ValueJson.DateFormat, CultureInfo.InvariantCulture),
        _ => SqliteValues.ToColumn(value),
    };

    public override StorageKind ParameterKind(FieldMetadata field, bool custom) => field.Storage;

    public override object CustomValue(FieldMetadata field, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : value.ToString();

    public override string? Special(Condition condition, string column, Func<object, StorageKind, string> parameter)
    {
        if (condition.Op != ConditionOp.StartsWith || condition.Value is not string prefix
            || System.Text.Encoding.UTF8.GetByteCount(prefix) <= MaxLikePatternBytes) return null;
        // SQLite refuses LIKE patterns over 50,000 bytes ("pattern too complex"); compare the prefix instead.
        string p = parameter(prefix, StorageKind.Text);
        return $"substr({column}, 1, length({p})) = {p} COLLATE NOCASE";
    }

    public override string ForUpdate => "";

    public override string ForUpdateSkipLocked(string alias) => "";

    /// <summary>Every value goes through here: to a statement of the write path bound by position, or to a command's parameters.</summary>
    static void Bind(DbCommand command, string name, object value)
    {
        if (command is SqliteStatement statement) statement.Bind(name, value);
        else ((SqliteCommand)command).Parameters.AddWithValue(name, value);
    }

    /// <summary>The parameter's name as the SQL writes it: callers pass "@name" (no allocation), "name" also works.</summary>
    static string Name(string name) => name.StartsWith('@') ? name : "@" + name;

    static string JsonArray(string[] values)
    {
        var buffer = new ArrayBufferWriter<byte>(values.Length * 21 + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values) writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Dates are "yyyy-MM-dd" text.
    public override string Month(string dateColumn) => $"substr({dateColumn}, 1, 7)";

    /// <summary>One JSON array of [id, time] pairs, the times as the ISO text the columns hold.</summary>
    public override void AddVector(DbCommand command, string name, float[]? vector) =>
        Bind(command, Name(name), vector is null ? DBNull.Value : System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());

    public override float[]? ReadVector(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(((SqliteDataReader)reader).GetFieldValue<byte[]>(ordinal)).ToArray();

    public override void AddIdTimes(DbCommand command, string name, IReadOnlyDictionary<string, DateTime> pairs)
    {
        var buffer = new ArrayBufferWriter<byte>(pairs.Count * 64 + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (id, at) in pairs)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(id);
                writer.WriteStringValue(TextTime.Format(at));
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        Bind(command, Name(name), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public override string IdTimes(string name, string alias) =>
        $"(SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS at FROM json_each({Name(name)})) AS {alias}";
}
