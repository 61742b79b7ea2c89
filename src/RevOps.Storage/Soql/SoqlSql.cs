using System.Text;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Soql;

/// <summary>A parameter's value and the type of what it is compared with (PostgreSQL types every parameter).</summary>
internal readonly record struct SoqlValue(object Value, StorageKind Kind);

/// <summary>
/// The SQL of one <see cref="SoqlPlan"/>, in a <see cref="SqlDialect"/>. Table and column names
/// come from the plan's metadata (custom fields as the dialect's expression of their validated
/// name, the expression their index uses); every value is a parameter: tenant, p0…, and the
/// paging parameters. Every table in the statement, joined parents and semi-join subqueries
/// included, is filtered on the tenant.
/// </summary>
internal sealed class SoqlSql
{
    readonly List<SoqlValue> _values = [];
    readonly bool _includeDeleted;
    readonly SqlDialect _dialect;
    readonly string _tenant;

    SoqlSql(SoqlPlan plan, bool includeDeleted, bool children, SqlDialect dialect)
    {
        _includeDeleted = includeDeleted;
        _dialect = dialect;
        _tenant = dialect.Parameter("tenant");
        var select = new StringBuilder();
        Reader = new List<SoqlReadNode>();
        int ordinal = 0;
        if (children) Append(select, ref ordinal, Column(plan.Root, plan.ParentKey!));
        if (!plan.IsAggregate) Append(select, ref ordinal, Column(plan.Root, plan.Root.Object.Field("Id")));
        Columns(plan.Outputs, select, ref ordinal, Reader);

        string from = FromWhere(plan);
        if (children) from += " AND " + dialect.InParents(Column(plan.Root, plan.ParentKey!));
        var tail = new StringBuilder();
        if (plan.GroupBy.Count > 0) tail.Append(" GROUP BY ").AppendJoin(", ", plan.GroupBy.Select(Expr));
        if (plan.Having is not null)
        {
            tail.Append(" HAVING ");
            Filter(tail, plan.Having);
        }
        var order = plan.OrderBy.Select(o => $"{Expr(o.Expr)}{Collate(o.Expr)} {(o.Descending ? "DESC" : "ASC")} NULLS {(o.NullsFirst ? "FIRST" : "LAST")}").ToList();
        // A total order, so consecutive pages never skip or repeat a row.
        if (plan.IsAggregate) order.AddRange(plan.GroupBy.Select(g => Expr(g) + Collate(g)));
        else order.Add(dialect.IdOrder(Column(plan.Root, plan.Root.Object.Field("Id")), filtered: plan.Where is not null || children));
        if (order.Count > 0) tail.Append(" ORDER BY ").AppendJoin(", ", order);

        Count = dialect.CountAfterLimit(from);
        Select = children
            ? $"SELECT {select} {from}{tail}"
            : plan.IsAggregate
                ? $"SELECT {select} {from}{tail} LIMIT {dialect.Parameter("limit")} OFFSET {dialect.Parameter("offset")}"
                : $"SELECT {select} {from}{tail} LIMIT {dialect.Parameter("take")} OFFSET {dialect.Parameter("skip")}";
    }

    public static SoqlSql For(SoqlPlan plan, bool includeDeleted, SqlDialect dialect) => new(plan, includeDeleted, children: false, dialect);

    /// <summary>A child subquery for a page of parents (the "parents" parameter holds their Ids); the first column is the parent's Id.</summary>
    public static SoqlSql ForChildren(SoqlPlan plan, bool includeDeleted, SqlDialect dialect) => new(plan, includeDeleted, children: true, dialect);

    /// <summary>SELECT COUNT(*) of the rows after the query's LIMIT (limit) and OFFSET (offset).</summary>
    public string Count { get; }

    /// <summary>The rows: LIMIT take OFFSET skip for a page, limit/offset for aggregates, every row for children.</summary>
    public string Select { get; }

    /// <summary>Values of p0, p1, … in order.</summary>
    public IReadOnlyList<SoqlValue> Values => _values;

    /// <summary>How to turn each result row back into fields, in SELECT order.</summary>
    public List<SoqlReadNode> Reader { get; }

    static void Append(StringBuilder select, ref int ordinal, string expression)
    {
        if (select.Length > 0) select.Append(", ");
        select.Append(expression);
        ordinal++;
    }

    void Columns(IReadOnlyList<SoqlOutput> outputs, StringBuilder select, ref int ordinal, List<SoqlReadNode> nodes)
    {
        foreach (var output in outputs)
        {
            switch (output)
            {
                case SoqlValueOutput value:
                    nodes.Add(new SoqlReadNode.Value(value.Name, ordinal, value.Expr));
                    Append(select, ref ordinal, Expr(value.Expr));
                    break;
                case SoqlParentOutput parent:
                {
                    var ids = new List<(int, ObjectMetadata)>();
                    foreach (var source in parent.Sources)
                    {
                        ids.Add((ordinal, source.Object));
                        Append(select, ref ordinal, Column(source, source.Object.Field("Id")));
                    }
                    var items = new List<SoqlReadNode>();
                    Columns(parent.Items, select, ref ordinal, items);
                    nodes.Add(new SoqlReadNode.Parent(parent.Name, ids, items));
                    break;
                }
                case SoqlChildOutput child:
                    nodes.Add(new SoqlReadNode.Children(child.Name, child.Plan));
                    break;
            }
        }
    }

    string FromWhere(SoqlPlan plan)
    {
        var text = new StringBuilder($"FROM {plan.Root.Object.Table} t{plan.Root.Alias}");
        foreach (var join in plan.Joins)
            text.Append($" LEFT JOIN {join.Object.Table} t{join.Alias} ON t{join.Alias}.tenant_id = {_tenant} AND t{join.Alias}.Id = {Column(join.Parent!, join.Via!)}{Records.ObjectRows.Filter(join.Object, $"t{join.Alias}")}");
        text.Append($" WHERE t{plan.Root.Alias}.tenant_id = {_tenant}").Append(Records.ObjectRows.Filter(plan.Root.Object, $"t{plan.Root.Alias}"));
        if (!_includeDeleted) text.Append(" AND ").Append(_dialect.NotDeleted($"t{plan.Root.Alias}"));
        if (plan.Where is not null)
        {
            text.Append(" AND ");
            Filter(text, plan.Where);
        }
        return text.ToString();
    }

    string Column(SoqlSource source, FieldMetadata field) =>
        field.Custom ? _dialect.CustomColumn($"t{source.Alias}", field) : $"t{source.Alias}.{field.Name}";

    string Field(SoqlField field) =>
        field.Columns.Count == 1 ? Column(field.Columns[0].Source, field.Columns[0].Field) : $"COALESCE({string.Join(", ", field.Columns.Select(c => Column(c.Source, c.Field)))})";

    string Expr(SoqlExpr expr) => expr.Aggregate switch
    {
        null => Field(expr.Field!),
        SoqlAggregate.Count => expr.Field is null ? "COUNT(*)" : $"COUNT({Field(expr.Field)})",
        SoqlAggregate.CountDistinct => $"COUNT(DISTINCT {Field(expr.Field!)})",
        SoqlAggregate.Sum => _dialect.Sum(Field(expr.Field!)),
        SoqlAggregate.Avg => _dialect.Avg(Field(expr.Field!)),
        SoqlAggregate.Min => $"MIN({Field(expr.Field!)})",
        _ => $"MAX({Field(expr.Field!)})",
    };

    static bool IsText(FieldType type) =>
        type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.MultiPicklist;

    /// <summary>
    /// Text compares and sorts case-insensitively. Ids and references are exact (literals are
    /// normalised to 18 characters), and restricted picklists store their defined spelling, which
    /// the planner gives literals too, so equality on them stays exact and keeps its index.
    /// </summary>
    string Collate(SoqlExpr expr, bool exactMatch = false, IEnumerable<object>? values = null)
    {
        if (expr.Aggregate is not (null or SoqlAggregate.Min or SoqlAggregate.Max)) return "";
        var field = expr.Field!.Field;
        if (!IsText(field.Type)) return "";
        if (exactMatch && field.Type is FieldType.Picklist or FieldType.MultiPicklist && field.RestrictedPicklist) return "";
        // NOCASE folds only ASCII letters: a value without any (a phone number, digits) compares the
        // same either way, and without COLLATE the column's own index serves the comparison.
        if (exactMatch && values is not null && values.All(v => v is string text && !text.Any(char.IsAsciiLetter))) return "";
        return _dialect.NoCase;
    }

    string Parameter(SoqlExpr expr, object value)
    {
        bool ofField = expr.Aggregate is null or SoqlAggregate.Min or SoqlAggregate.Max;
        bool custom = ofField && expr.Field!.Field.Custom;
        var kind = ofField ? _dialect.ParameterKind(expr.Field!.Field, custom) : FieldTypes.StorageOf(expr.Type);
        _values.Add(new SoqlValue(_dialect.Value(value, custom), kind));
        return _dialect.Parameter($"p{_values.Count - 1}");
    }

    string Parameter(string value)
    {
        _values.Add(new SoqlValue(value, StorageKind.Text));
        return _dialect.Parameter($"p{_values.Count - 1}");
    }

    void Filter(StringBuilder text, SoqlFilter filter)
    {
        switch (filter)
        {
            case SoqlFilter.AllOf all:
                Join(text, all.Items, " AND ");
                break;
            case SoqlFilter.AnyOf any:
                Join(text, any.Items, " OR ");
                break;
            case SoqlFilter.Not not:
                // NOT is true where the condition is false or unknown: "Name NOT LIKE 'A%'" keeps rows with no Name.
                var inner = new StringBuilder();
                Filter(inner, not.Inner);
                text.Append(_dialect.Not(inner.ToString()));
                break;
            case SoqlFilter.Compare compare:
            {
                string left = Expr(compare.Left);
                string collate = Collate(compare.Left, exactMatch: compare.Op is SoqlCompareOp.Equals or SoqlCompareOp.NotEquals, [compare.Value]);
                string parameter = Parameter(compare.Left, compare.Value);
                if (compare.Op == SoqlCompareOp.NotEquals)
                {
                    text.Append($"({left} IS NULL OR {left}{collate} <> {parameter})");
                    break;
                }
                string op = compare.Op switch
                {
                    SoqlCompareOp.Equals => "=",
                    SoqlCompareOp.Less => "<",
                    SoqlCompareOp.Greater => ">",
                    SoqlCompareOp.LessOrEqual => "<=",
                    _ => ">=",
                };
                text.Append($"{left}{collate} {op} {parameter}");
                break;
            }
            case SoqlFilter.IsNull isNull:
                text.Append($"{Expr(isNull.Left)} IS {(isNull.Negated ? "NOT " : "")}NULL");
                break;
            case SoqlFilter.In @in:
                text.Append($"{Expr(@in.Left)}{Collate(@in.Left, exactMatch: true, @in.Values)} IN (");
                text.AppendJoin(", ", @in.Values.Select(v => Parameter(@in.Left, v)));
                text.Append(')');
                break;
            case SoqlFilter.Like like:
                text.Append(_dialect.Like(Expr(like.Left), Parameter(like.Pattern)));
                break;
            case SoqlFilter.Includes includes:
            {
                string left = Expr(includes.Left);
                var sets = includes.AnyOfSets.Select(set => set.Count == 0
                    ? _dialect.False
                    : "(" + string.Join(" AND ", set.Select(v => _dialect.Like($"(';' || {left} || ';')", Parameter("%;" + EscapeLike(v) + ";%")))) + ")");
                text.Append('(').AppendJoin(" OR ", sets).Append(')');
                break;
            }
            case SoqlFilter.SemiJoin semi:
            {
                var sub = semi.Subquery;
                var output = (SoqlValueOutput)sub.Outputs[0];
                string selected = Expr(output.Expr);
                text.Append($"{Expr(semi.Left)} IN (SELECT {selected} {FromWhere(sub)} AND {selected} IS NOT NULL)");
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter.");
        }
    }

    void Join(StringBuilder text, IReadOnlyList<SoqlFilter> items, string separator)
    {
        text.Append('(');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0) text.Append(separator);
            Filter(text, items[i]);
        }
        text.Append(')');
    }

    static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
