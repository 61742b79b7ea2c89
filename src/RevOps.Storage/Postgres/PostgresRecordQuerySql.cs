using System.Text;
using Npgsql;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Storage.Postgres;

/// <summary>
/// The WHERE and ORDER BY of a <see cref="RecordQuery"/> in PostgreSQL's dialect, meaning what the
/// SQLite statement means: LIKE folds ASCII case (ILIKE under the "C" collation), NOCASE columns
/// compare through revops_nocase, NULLs sort first ascending. Column names come from the tenant's
/// schema; every value is a typed parameter (@p0, @p1, …).
/// </summary>
internal sealed class PostgresRecordQuerySql
{
    readonly List<(object? Value, StorageKind Kind)> _values = [];

    public PostgresRecordQuerySql(ObjectMetadata obj, RecordQuery query)
    {
        var where = new StringBuilder($"FROM {obj.Table} WHERE tenant_id = @tenant AND {(query.Deleted ? "" : "NOT ")}IsDeleted");
        foreach (var anyOf in query.AllOf)
        {
            where.Append(" AND (");
            for (int i = 0; i < anyOf.Count; i++)
            {
                if (i > 0) where.Append(" OR ");
                AppendCondition(anyOf[i], where);
            }
            where.Append(')');
        }
        From = where.ToString();
        string direction = query.Descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";
        OrderBy = $"ORDER BY {Column(query.OrderBy)} {direction}, Id {direction}";
    }

    /// <summary>"FROM table WHERE …", for SELECT and COUNT alike.</summary>
    public string From { get; }
    public string OrderBy { get; }

    public void Bind(NpgsqlCommand command)
    {
        for (int i = 0; i < _values.Count; i++) PostgresValues.Add(command.Parameters, $"p{i}", _values[i].Value, _values[i].Kind);
    }

    public static string Column(FieldMetadata field) => field.Custom ? PostgresCustomColumn.Of(field) : field.Name;

    static StorageKind Kind(FieldMetadata field) => field.Custom ? PostgresCustomColumn.ParameterKind(field) : field.Storage;

    string Parameter(object? value, StorageKind kind)
    {
        _values.Add((value, kind));
        return $"@p{_values.Count - 1}";
    }

    void AppendCondition(Condition condition, StringBuilder text)
    {
        string column = Column(condition.Field);
        if (condition.Value is null)
        {
            text.Append(condition.Op == ConditionOp.NotEquals ? $"{column} IS NOT NULL" : $"{column} IS NULL");
            return;
        }
        if (condition.Value is string withNul && withNul.Contains('\0'))
        {
            // PostgreSQL's text cannot hold U+0000 (nor can a parameter), so no stored value equals,
            // starts with or includes one that does: the condition's answer is known without asking.
            text.Append(condition.Op switch
            {
                ConditionOp.Equals or ConditionOp.StartsWith or ConditionOp.Includes => "false",
                ConditionOp.NotEquals => "true",
                _ => throw new ArgumentException($"A {condition.Op} comparison with text holding U+0000 cannot run on PostgreSQL.", nameof(condition)),
            });
            return;
        }
        switch (condition.Op)
        {
            case ConditionOp.StartsWith:
                text.Append($"{column} COLLATE \"C\" ILIKE {Parameter(EscapeLike((string)condition.Value) + "%", StorageKind.Text)} ESCAPE '\\'");
                return;
            case ConditionOp.Includes:
                text.Append($"(';' || {column} || ';') COLLATE \"C\" ILIKE {Parameter("%;" + EscapeLike((string)condition.Value) + ";%", StorageKind.Text)} ESCAPE '\\'");
                return;
        }
        string op = condition.Op switch
        {
            ConditionOp.Equals => "=",
            ConditionOp.NotEquals => "IS DISTINCT FROM",
            ConditionOp.Greater => ">",
            ConditionOp.GreaterOrEqual => ">=",
            ConditionOp.Less => "<",
            ConditionOp.LessOrEqual => "<=",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Op, "Unknown condition."),
        };
        object value = condition.Field.Custom ? PostgresCustomColumn.Value(condition.Value) : condition.Value;
        text.Append($"{column} {op} {Parameter(value, Kind(condition.Field))}");
    }

    static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
