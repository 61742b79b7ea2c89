using System.Data.Common;
using System.Text;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Records;

/// <summary>
/// The WHERE and ORDER BY of a <see cref="RecordQuery"/>, meaning the same on every engine: LIKE
/// folds ASCII case, NOCASE columns compare case-insensitively, NULLs sort first ascending. Column
/// names come from the tenant's schema (standard columns, or the custom field's expression, which
/// matches its index); every value is a typed parameter (@p0, @p1, …).
/// </summary>
internal sealed class RecordQuerySql
{
    readonly SqlDialect _dialect;
    readonly List<(object? Value, StorageKind Kind)> _values = [];

    public RecordQuerySql(ObjectMetadata obj, RecordQuery query, SqlDialect dialect)
    {
        _dialect = dialect;
        var where = new StringBuilder($"FROM {obj.Table} WHERE tenant_id = @tenant AND IsDeleted = {(query.Deleted ? dialect.True : dialect.False)}{ObjectRows.Filter(obj)}");
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
        string direction = dialect.Direction(query.Descending);
        OrderBy = $"ORDER BY {dialect.Column(query.OrderBy)} {direction}, Id {direction}";
    }

    /// <summary>"FROM table WHERE …", for SELECT and COUNT alike.</summary>
    public string From { get; }
    public string OrderBy { get; }

    /// <summary>Binds the tenant and every value of the WHERE.</summary>
    public void Bind(DbCommand command, Domain.Tenancy.TenantId tenant)
    {
        _dialect.AddTenant(command, tenant);
        for (int i = 0; i < _values.Count; i++) _dialect.Add(command, $"@p{i}", _values[i].Value, _values[i].Kind);
    }

    string Parameter(object value, StorageKind kind)
    {
        _values.Add((value, kind));
        return $"@p{_values.Count - 1}";
    }

    void AppendCondition(Condition condition, StringBuilder text)
    {
        string column = _dialect.Column(condition.Field);
        if (condition.Value is null)
        {
            text.Append(condition.Op == ConditionOp.NotEquals ? $"{column} IS NOT NULL" : $"{column} IS NULL");
            return;
        }
        if (_dialect.Special(condition, column, Parameter) is { } special)
        {
            text.Append(special);
            return;
        }
        switch (condition.Op)
        {
            case ConditionOp.StartsWith:
                text.Append(_dialect.Like(column, Parameter(SqlDialect.EscapeLike((string)condition.Value) + "%", StorageKind.Text)));
                return;
            case ConditionOp.Includes:
                text.Append(_dialect.Like($"(';' || {column} || ';')", Parameter("%;" + SqlDialect.EscapeLike((string)condition.Value) + ";%", StorageKind.Text)));
                return;
        }
        string op = condition.Op switch
        {
            ConditionOp.Equals => "=",
            ConditionOp.NotEquals => _dialect.DistinctFrom,
            ConditionOp.Greater => ">",
            ConditionOp.GreaterOrEqual => ">=",
            ConditionOp.Less => "<",
            ConditionOp.LessOrEqual => "<=",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.Op, "Unknown condition."),
        };
        bool custom = condition.Field.Custom;
        text.Append($"{column} {op} {Parameter(_dialect.Value(condition.Value, custom), _dialect.ParameterKind(condition.Field, custom))}");
    }
}
