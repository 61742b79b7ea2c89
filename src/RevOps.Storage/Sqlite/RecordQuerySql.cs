using System.Text;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// The WHERE and ORDER BY of a <see cref="RecordQuery"/>. Column names come from the tenant's
/// schema (standard columns, or json_extract of a validated custom field name, which matches
/// the custom field's expression index); every value is a parameter ($p0, $p1, …).
/// </summary>
internal sealed class RecordQuerySql
{
    public RecordQuerySql(ObjectMetadata obj, RecordQuery query)
    {
        var where = new StringBuilder($"FROM {obj.Table} WHERE tenant_id = $tenant AND IsDeleted = {(query.Deleted ? 1 : 0)}");
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
        string direction = query.Descending ? "DESC" : "ASC";
        OrderBy = $"ORDER BY {Column(query.OrderBy)} {direction}, Id {direction}";
    }

    /// <summary>"FROM table WHERE …", for SELECT and COUNT alike.</summary>
    public string From { get; }
    public string OrderBy { get; }
    public List<object> Values { get; } = [];

    /// <summary>Below SQLite's SQLITE_MAX_LIKE_PATTERN_LENGTH (50,000 bytes), with room for escapes.</summary>
    const int MaxLikePatternBytes = 20_000;

    public static string Column(FieldMetadata field) =>
        field.Custom ? $"json_extract(custom_fields, '$.{field.Name}')" : field.Name;

    void AppendCondition(Condition condition, StringBuilder text)
    {
        string column = Column(condition.Field);
        string parameter = $"$p{Values.Count}";
        if (condition.Value is null)
        {
            text.Append(condition.Op == ConditionOp.NotEquals ? $"{column} IS NOT NULL" : $"{column} IS NULL");
            return;
        }
        switch (condition.Op)
        {
            case ConditionOp.StartsWith when System.Text.Encoding.UTF8.GetByteCount((string)condition.Value) > MaxLikePatternBytes:
                // SQLite refuses LIKE patterns over 50,000 bytes ("pattern too complex"); compare the prefix instead.
                text.Append($"substr({column}, 1, length({parameter})) = {parameter} COLLATE NOCASE");
                Values.Add((string)condition.Value);
                return;
            case ConditionOp.StartsWith:
                // LIKE on a NOCASE column with a constant-prefix pattern is answered from the index.
                text.Append($"{column} LIKE {parameter} ESCAPE '\\'");
                Values.Add(EscapeLike((string)condition.Value) + "%");
                return;
            case ConditionOp.Includes:
                text.Append($"(';' || {column} || ';') LIKE {parameter} ESCAPE '\\'");
                Values.Add("%;" + EscapeLike((string)condition.Value) + ";%");
                return;
        }
        string op = condition.Op switch
        {
            ConditionOp.Equals => "=",
            ConditionOp.NotEquals => "IS NOT",
            ConditionOp.Greater => ">",
            ConditionOp.GreaterOrEqual => ">=",
            ConditionOp.Less => "<",
            ConditionOp.LessOrEqual => "<=",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Op, "Unknown condition."),
        };
        text.Append($"{column} {op} {parameter}");
        Values.Add(condition.Field.Custom ? CustomValue(condition.Value) : ColumnValues.ToColumn(condition.Value));
    }

    /// <summary>Custom values are compared as json_extract returns them: dates and datetimes as the text the JSON holds.</summary>
    static object CustomValue(object value) => value switch
    {
        DateTime time => ValueJson.FormatDateTime(time),
        _ => ColumnValues.ToColumn(value),
    };

    static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
