using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of <see cref="SqlDialect"/>. Every parameter carries its type, so a null is as
/// well typed as a value (<see cref="PostgresValues"/>). NOCASE becomes revops_nocase (the ICU collation
/// the NOCASE columns have); LIKE becomes ILIKE under the "C" collation, which like SQLite's LIKE folds
/// ASCII letters only; custom fields are their typed jsonb expressions (the ones their indexes are built
/// on); NULLs sort as SQLite sorts them; rows that several nodes may claim are locked.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override void AddTenant(DbCommand command, TenantId tenant) => PostgresValues.AddTenant(((NpgsqlCommand)command).Parameters, tenant);

    public override void Add(DbCommand command, string name, object? value, StorageKind kind) =>
        PostgresValues.Add(((NpgsqlCommand)command).Parameters, name, value, kind);

    public override void AddCustom(DbCommand command, string name, SortedDictionary<string, JsonElement> custom) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = (object?)CustomJson(custom) ?? DBNull.Value });

    public override void AddParents(DbCommand command, string[] parentIds) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter("parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = parentIds });

    public override void AddOptionalLimit(DbCommand command, string name, long? limit) => Add(command, name, limit, StorageKind.Integer);

    public override object? Read(DbDataReader reader, int ordinal, StorageKind kind) => PostgresValues.FromColumn((NpgsqlDataReader)reader, ordinal, kind);

    public override TenantId ReadTenant(DbDataReader reader, int ordinal) => new(reader.GetGuid(ordinal));

    public override object? ReadPortable(DbDataReader reader, int ordinal) => PostgresPortableValues.FromColumn((NpgsqlDataReader)reader, ordinal);

    public override JsonElement ReadCustomValue(FieldMetadata field, object raw)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (raw)
            {
                case bool b: writer.WriteBooleanValue(b); break;
                case double d: writer.WriteNumberValue(d); break;
                default: writer.WriteStringValue(Convert.ToString(raw, CultureInfo.InvariantCulture)); break;
            }
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    public override Search.SearchSql Search { get; } = new PostgresSearchSql();

    // Columns the search_doc trigger fills (migration 0034), not 0017's expressions: under row-level security only a
    // leakproof condition may use an index, and = on a plain text column is one where lower() and our functions are not.
    public override IReadOnlyList<string> DuplicateKey(Domain.Duplicates.DuplicateKey key) => key switch
    {
        Domain.Duplicates.DuplicateKey.Email => ["email_key"],
        Domain.Duplicates.DuplicateKey.Name => ["name_key"],
        Domain.Duplicates.DuplicateKey.Phone => ["phone_key", "mobile_key"],
        _ => ["web_key"],
    };

    // Migration 0044's function holds the same statements (DuplicateKey's columns), run from a generic plan it keeps per
    // connection: sent as a prepared statement, PostgreSQL chose a custom plan for "= ANY($n) … LIMIT $m" on every call,
    // and planning cost four times running it.
    public override string DuplicateCandidates(Domain.Duplicates.DuplicateKey key) =>
        $"SELECT * FROM revops_duplicate_candidates(@tenant, '{key switch
        {
            Domain.Duplicates.DuplicateKey.Email => "email",
            Domain.Duplicates.DuplicateKey.Name => "name",
            Domain.Duplicates.DuplicateKey.Phone => "phone",
            _ => "website",
        }}', @parents, @limit)";

    // "C" compares bytewise, as SQLite's default BINARY does; revops_nocase is the ICU collation NOCASE maps to.
    public override string ColumnType(StorageKind kind, bool ignoreCase) =>
        kind == StorageKind.Text ? (ignoreCase ? "text COLLATE revops_nocase" : "text COLLATE \"C\"") : PostgresValues.ColumnType(kind);

    public override string TenantColumnType => "uuid";

    public override string JsonColumnType => "jsonb";

    public override string GuardTenantTable(string table) =>
        $"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n" +
        $"CREATE POLICY tenant_wall ON {table} USING (tenant_id = revops_current_tenant());\n" +
        $"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO revops_tenant;\n";

    public override bool IsUniqueViolation(System.Data.Common.DbException error) => error is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };

    public override string True => "true";

    public override string False => "false";

    public override string HasCustomValue(string name) => $"(custom_fields -> '{name}') IS NOT NULL";

    public override string WithoutCustomValue(string name) => $"custom_fields - '{name}'";

    public override string CustomColumn(string alias, FieldMetadata field) => PostgresCustomColumn.Of(field, alias.Length > 0 ? alias + "." : "");

    public override string NoCase => " COLLATE revops_nocase";

    public override string Like(string left, string pattern) => $"{left} COLLATE \"C\" ILIKE {pattern} ESCAPE '\\'";

    public override string DistinctFrom => "IS DISTINCT FROM";

    public override string Direction(bool descending) => descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";

    public override string LimitOffset => "LIMIT @limit OFFSET @offset";

    public override string Limit => "LIMIT @limit";

    public override string Not(string condition) => $"NOT COALESCE({condition}, false)";

    // SUM of bigint and AVG give numeric; the reader wants a double, as SQLite returns.
    public override string Sum(string inner) => $"SUM({inner})::double precision";

    public override string Avg(string inner) => $"AVG({inner})::double precision";

    public override string InParents(string column) => $"{column} = ANY(@parents)";

    public override string IdOrder(string idColumn, bool filtered) => idColumn;

    public override string CountAfterLimit(string from) => $"SELECT COUNT(*) FROM (SELECT 1 {from} LIMIT @limit OFFSET @offset) AS page";

    public override object Value(object value, bool custom) => custom ? PostgresCustomColumn.Value(value) : value;

    public override StorageKind ParameterKind(FieldMetadata field, bool custom) => custom ? PostgresCustomColumn.ParameterKind(field) : field.Storage;

    public override object CustomValue(FieldMetadata field, JsonElement value) => PostgresCustomColumn.Value(field, value);

    public override string? Special(Condition condition, string column, Func<object, StorageKind, string> parameter)
    {
        if (condition.Value is not string withNul || !withNul.Contains('\0')) return null;
        // PostgreSQL's text cannot hold U+0000 (nor can a parameter), so no stored value equals,
        // starts with or includes one that does: the condition's answer is known without asking.
        return condition.Op switch
        {
            ConditionOp.Equals or ConditionOp.StartsWith or ConditionOp.Includes => "false",
            ConditionOp.NotEquals => "true",
            _ => throw new ArgumentException($"A {condition.Op} comparison with text holding U+0000 cannot run on PostgreSQL.", nameof(condition)),
        };
    }

    public override string ForUpdate => " FOR UPDATE";

    public override string ForUpdateSkipLocked(string alias) => $" FOR UPDATE OF {alias} SKIP LOCKED";

    public override string Month(string dateColumn) => $"to_char({dateColumn}, 'YYYY-MM')";

    /// <summary>Two arrays of one length, name_ids (text[]) and name_ats (timestamptz[]).</summary>
    public override void AddVector(DbCommand command, string name, float[]? vector) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = (object?)vector ?? DBNull.Value });

    public override float[]? ReadVector(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<float[]>(ordinal);

    public override void AddIdTimes(DbCommand command, string name, IReadOnlyDictionary<string, DateTime> pairs)
    {
        var parameters = ((NpgsqlCommand)command).Parameters;
        string bare = name.TrimStart('@');
        parameters.Add(new NpgsqlParameter(bare + "_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = pairs.Keys.ToArray() });
        parameters.Add(new NpgsqlParameter(bare + "_ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = pairs.Values.Select(PostgresValues.Time).ToArray() });
    }

    public override string IdTimes(string name, string alias)
    {
        string bare = name.TrimStart('@');
        return $"unnest(@{bare}_ids, @{bare}_ats) AS {alias}(id, at)";
    }
}
