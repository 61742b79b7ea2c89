using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using static RevOps.Domain.Soql.SoqlSyntax;

namespace RevOps.Domain.Soql;

/// <summary>
/// Checks a parsed query against a tenant's schema and turns it into a <see cref="SoqlPlan"/>:
/// names resolved case-insensitively to their canonical spelling, parent paths to joins,
/// literals to typed values (Ids to 18 characters, date literals to ranges for "today").
/// </summary>
public sealed class SoqlPlanner
{
    public const int MaxRelationshipDepth = 5;
    public const int FieldsAllMaxLimit = 200;

    readonly string _soql;
    readonly TenantSchema _schema;
    readonly DateOnly _today;
    int _nextAlias;

    SoqlPlanner(string soql, TenantSchema schema, DateOnly today)
    {
        _soql = soql;
        _schema = schema;
        _today = today;
    }

    /// <summary>Parses and plans <paramref name="soql"/>; date literals are computed for <paramref name="today"/> (UTC).</summary>
    /// <param name="userId">The caller's User Id, which USING SCOPE mine keeps records owned by.</param>
    public static CrmResult<SoqlPlan> Plan(string soql, TenantSchema schema, DateOnly today, string? userId = null)
    {
        if (string.IsNullOrWhiteSpace(soql))
            return new CrmError(ErrorCodes.MalformedQuery, "The query is empty. Send a SOQL statement such as SELECT Id, Name FROM Account LIMIT 10.");
        var parsed = SoqlParser.Parse(soql);
        if (!parsed.IsOk) return parsed.Error;
        return new SoqlPlanner(soql, schema, today).PlanQuery(Mine(parsed.Value, userId), null);
    }

    /// <summary>
    /// Plans a query given as a syntax tree rather than text (GraphQL translates into one): values stay
    /// typed nodes, so nothing a caller sends is ever parsed as SOQL. Errors carry no position.
    /// </summary>
    public static CrmResult<SoqlPlan> Plan(Query query, TenantSchema schema, DateOnly today) =>
        new SoqlPlanner("", schema, today).PlanQuery(query, null);

    /// <summary>USING SCOPE mine as the filter it means: OwnerId = the caller's user, joined to the query's own WHERE.</summary>
    static Query Mine(Query query, string? userId)
    {
        if (!string.Equals(query.FilterScope, "mine", StringComparison.OrdinalIgnoreCase) || userId is null) return query;
        if (!StandardObjects.TryGet(query.From, out var obj) || !obj.TryGetField("OwnerId", out _)) return query;
        var owner = new Comparison(new Operand(new SoqlSyntax.Path(["OwnerId"], query.FromPosition), null), "=", new StringValue(userId, userId, query.FromPosition), query.FromPosition);
        return query with { Where = query.Where is null ? owner : new And([query.Where, owner], query.Where.Position) };
    }

    enum Kind
    {
        Root,
        Child,
        SemiJoin,
    }

    sealed class Scope(SoqlSource root, Kind kind)
    {
        public SoqlSource Root { get; } = root;
        public Kind Kind { get; } = kind;
        public List<SoqlSource> Joins { get; } = [];
        public Dictionary<(int, string, string), SoqlSource> JoinCache { get; } = [];
        public HashSet<string> GroupKeys { get; } = [];
    }

    sealed record ResolvedPath(IReadOnlyList<(string Name, IReadOnlyList<SoqlSource> Sources)> Hops, SoqlField Field);

    CrmError Error(int position, string code, string message, string? field = null) => SoqlErrors.At(_soql, position, code, message, field);

    CrmResult<SoqlPlan> PlanQuery(Query query, SoqlRelationships.Child? child, bool semiJoin = false)
    {
        ObjectMetadata obj;
        if (child is not null) obj = child.Object;
        else if (!_schema.TryGetObject(query.From, out obj))
            return Error(query.FromPosition, ErrorCodes.InvalidType,
                $"sObject type '{query.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
                + (Rules.Suggestions.ObjectSynonym(query.From) is { } meant ? $" Did you mean {meant}?" : ""));
        var scope = new Scope(new SoqlSource(_nextAlias++, obj), child is not null ? Kind.Child : semiJoin ? Kind.SemiJoin : Kind.Root);

        // COUNT() alone only counts rows; any other aggregate (or GROUP BY) makes AggregateResult rows.
        bool aggregate = query.GroupBy.Count > 0 || query.Select.Any(s => s is AggregateItem { Aggregate: var a } && !(a.Function == "COUNT" && a.Argument is null));
        var groupBy = new List<SoqlExpr>();
        foreach (var path in query.GroupBy)
        {
            var resolved = ResolvePath(scope, path);
            if (!resolved.IsOk) return resolved.Error;
            groupBy.Add(new SoqlExpr(resolved.Value.Field));
            scope.GroupKeys.Add(Key(resolved.Value.Field));
        }
        if (aggregate && scope.Kind != Kind.Root)
            return Error(query.Position, ErrorCodes.MalformedQuery, "Aggregate functions and GROUP BY are not supported in subqueries.");

        var outputs = new List<SoqlOutput>();
        bool countOnly = false;
        int unnamed = 0;
        foreach (var item in query.Select)
        {
            switch (item)
            {
                case FieldItem field:
                {
                    var resolved = ResolvePath(scope, field.Path);
                    if (!resolved.IsOk) return resolved.Error;
                    if (aggregate)
                    {
                        if (!scope.GroupKeys.Contains(Key(resolved.Value.Field)))
                            return Error(field.Position, ErrorCodes.MalformedQuery, $"Field must be grouped or aggregated: {resolved.Value.Field.Field.Name}");
                        AddUnique(outputs, new SoqlValueOutput(resolved.Value.Field.Field.Name, new SoqlExpr(resolved.Value.Field)));
                    }
                    else AddField(outputs, resolved.Value);
                    break;
                }
                case FieldsItem fields:
                {
                    if (aggregate) return Error(fields.Position, ErrorCodes.MalformedQuery, "FIELDS() cannot be used in an aggregate query.");
                    if (fields.Kind != "STANDARD" && (query.Limit is null || query.Limit > FieldsAllMaxLimit))
                        return Error(fields.Position, ErrorCodes.MalformedQuery, $"The SOQL FIELDS function must have a LIMIT of at most {FieldsAllMaxLimit}");
                    var schema = _schema.For(obj);
                    IEnumerable<FieldMetadata> chosen = fields.Kind switch
                    {
                        "STANDARD" => obj.Fields,
                        "CUSTOM" => schema.CustomFields,
                        _ => schema.AllFields,
                    };
                    foreach (var f in chosen)
                        AddField(outputs, new ResolvedPath([], new SoqlField(f, [new SoqlColumn(scope.Root, f)])));
                    break;
                }
                case AggregateItem agg:
                {
                    if (agg.Aggregate.Function == "COUNT" && agg.Aggregate.Argument is null)
                    {
                        if (query.Select.Count > 1 || query.GroupBy.Count > 0)
                            return Error(agg.Position, ErrorCodes.MalformedQuery, "COUNT() must be the only element in the SELECT list and cannot be used with GROUP BY.");
                        countOnly = true;
                        break;
                    }
                    var expr = BindAggregate(scope, agg.Aggregate);
                    if (!expr.IsOk) return expr.Error;
                    string name = agg.Alias ?? $"expr{unnamed++}";
                    if (outputs.Any(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)))
                        return Error(agg.Position, ErrorCodes.MalformedQuery, $"duplicate alias: {name}");
                    outputs.Add(new SoqlValueOutput(name, expr.Value));
                    break;
                }
                case SubqueryItem sub:
                {
                    if (scope.Kind != Kind.Root || aggregate)
                        return Error(sub.Position, ErrorCodes.MalformedQuery, "Nested queries are only allowed in the SELECT list of a non-aggregate top-level query.");
                    var relationship = _schema.FindChild(obj, sub.Query.From);
                    if (relationship is null)
                        return Error(sub.Query.FromPosition, ErrorCodes.InvalidType,
                            $"Didn't understand relationship '{sub.Query.From}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
                    var childPlan = PlanQuery(sub.Query, relationship);
                    if (!childPlan.IsOk) return childPlan.Error;
                    AddUnique(outputs, new SoqlChildOutput(relationship.Name, childPlan.Value));
                    break;
                }
            }
        }
        if (scope.Kind == Kind.SemiJoin && (outputs.Count != 1 || outputs[0] is not SoqlValueOutput { Expr.Field.Field.Type: FieldType.Id or FieldType.Reference }))
            return Error(query.Position, ErrorCodes.MalformedQuery, "A semi-join subquery selects exactly one Id or reference field, e.g. (SELECT AccountId FROM Contact WHERE …).");

        SoqlFilter? where = null;
        if (query.Where is not null)
        {
            var bound = BindCondition(scope, query.Where, having: false);
            if (!bound.IsOk) return bound.Error;
            where = bound.Value;
        }
        SoqlFilter? having = null;
        if (query.Having is not null)
        {
            if (!aggregate) return Error(query.Having.Position, ErrorCodes.MalformedQuery, "HAVING needs GROUP BY or an aggregate function in the SELECT list.");
            var bound = BindCondition(scope, query.Having, having: true);
            if (!bound.IsOk) return bound.Error;
            having = bound.Value;
        }

        var orderBy = new List<SoqlOrder>();
        foreach (var order in query.OrderBy)
        {
            SoqlExpr expr;
            if (order.Target.Aggregate is { } agg)
            {
                if (!aggregate) return Error(agg.Position, ErrorCodes.MalformedQuery, "Aggregate functions in ORDER BY need an aggregate query.");
                var bound = BindAggregate(scope, agg);
                if (!bound.IsOk) return bound.Error;
                expr = bound.Value;
            }
            else
            {
                var resolved = ResolvePath(scope, order.Target.Path!);
                if (!resolved.IsOk) return resolved.Error;
                var field = resolved.Value.Field.Field;
                if (!field.Sortable)
                    return Error(order.Target.Position, ErrorCodes.InvalidField, $"field '{field.Name}' can not be sorted in a query call", field.Name);
                if (aggregate && !scope.GroupKeys.Contains(Key(resolved.Value.Field)))
                    return Error(order.Target.Position, ErrorCodes.MalformedQuery, $"Ordered field must be grouped or aggregated: {field.Name}");
                expr = new SoqlExpr(resolved.Value.Field);
            }
            orderBy.Add(new SoqlOrder(expr, order.Descending, order.NullsFirst ?? !order.Descending));
        }

        return new SoqlPlan
        {
            Root = scope.Root,
            Joins = scope.Joins,
            Outputs = outputs,
            Where = where,
            GroupBy = groupBy,
            Having = having,
            OrderBy = orderBy,
            Limit = query.Limit,
            Offset = query.Offset ?? 0,
            IsAggregate = aggregate,
            IsCountOnly = countOnly,
            ParentKey = child?.ForeignKey,
        };
    }

    static string Key(SoqlField field) => string.Join(',', field.Columns.Select(c => $"{c.Source.Alias}.{c.Field.Name}"));

    static void AddUnique(List<SoqlOutput> outputs, SoqlOutput output)
    {
        if (!outputs.Any(o => string.Equals(o.Name, output.Name, StringComparison.OrdinalIgnoreCase))) outputs.Add(output);
    }

    /// <summary>Adds a (possibly nested) field to the outputs, creating each parent object at its first mention.</summary>
    static void AddField(List<SoqlOutput> outputs, ResolvedPath path)
    {
        var level = outputs;
        foreach (var (name, sources) in path.Hops)
        {
            if (level.FirstOrDefault(o => o.Name == name) is not SoqlParentOutput parent)
            {
                parent = new SoqlParentOutput(name, sources, []);
                level.Add(parent);
            }
            level = parent.Items;
        }
        AddUnique(level, new SoqlValueOutput(path.Field.Field.Name, new SoqlExpr(path.Field)));
    }

    CrmResult<ResolvedPath> ResolvePath(Scope scope, SoqlSyntax.Path path)
    {
        IReadOnlyList<SoqlSource> current = [scope.Root];
        var hops = new List<(string, IReadOnlyList<SoqlSource>)>();
        for (int i = 0; i < path.Parts.Count - 1; i++)
        {
            string part = path.Parts[i];
            var from = current[0];
            var lookup = current.Count == 1 ? _schema.FindParent(from.Object, part) : null;
            if (lookup is null) return SoqlErrors.NoSuchRelationship(_soql, path.Position, part, from.Object.Name);
            if (hops.Count == MaxRelationshipDepth)
                return Error(path.Position, ErrorCodes.MalformedQuery, $"A field path can follow at most {MaxRelationshipDepth} relationships: {path}");
            var sources = lookup.ReferenceTo.Select(target => Join(scope, from, lookup, Object(target))).ToArray();
            hops.Add((SoqlRelationships.NameOf(lookup), sources));
            current = sources;
        }
        string name = path.Parts[^1];
        var columns = new List<SoqlColumn>();
        foreach (var source in current)
            if (_schema.For(source.Object).TryGetField(name, out var field)) columns.Add(new SoqlColumn(source, field));
        if (columns.Count == 0) return SoqlErrors.NoSuchColumn(_soql, path.Position, name, current[0].Object.Name);
        return new ResolvedPath(hops, new SoqlField(columns[0].Field, columns));
    }

    ObjectMetadata Object(string name) => _schema.TryGetObject(name, out var obj) ? obj : throw new InvalidOperationException($"Unknown object {name}.");

    SoqlSource Join(Scope scope, SoqlSource from, FieldMetadata lookup, ObjectMetadata target)
    {
        var key = (from.Alias, lookup.Name, target.Name);
        if (!scope.JoinCache.TryGetValue(key, out var source))
        {
            source = new SoqlSource(_nextAlias++, target, from, lookup);
            scope.JoinCache[key] = source;
            scope.Joins.Add(source);
        }
        return source;
    }

    CrmResult<SoqlExpr> BindAggregate(Scope scope, Aggregate aggregate)
    {
        var function = aggregate.Function switch
        {
            "COUNT" => SoqlAggregate.Count,
            "COUNT_DISTINCT" => SoqlAggregate.CountDistinct,
            "SUM" => SoqlAggregate.Sum,
            "AVG" => SoqlAggregate.Avg,
            "MIN" => SoqlAggregate.Min,
            _ => SoqlAggregate.Max,
        };
        if (aggregate.Argument is null) return new SoqlExpr(null, SoqlAggregate.Count);
        var resolved = ResolvePath(scope, aggregate.Argument);
        if (!resolved.IsOk) return resolved.Error;
        var field = resolved.Value.Field.Field;
        var storage = field.Storage;
        bool numeric = storage is StorageKind.Integer or StorageKind.Real;
        bool ok = function switch
        {
            SoqlAggregate.Sum or SoqlAggregate.Avg => numeric,
            SoqlAggregate.Min or SoqlAggregate.Max => field.Type is not (FieldType.Boolean or FieldType.TextArea or FieldType.MultiPicklist),
            _ => field.Type is not FieldType.TextArea,
        };
        if (!ok)
            return Error(aggregate.Argument.Position, ErrorCodes.MalformedQuery, $"field {field.Name} does not support aggregate operator {aggregate.Function}");
        return new SoqlExpr(resolved.Value.Field, function);
    }

    CrmResult<SoqlFilter> BindCondition(Scope scope, Condition condition, bool having)
    {
        switch (condition)
        {
            case And and:
            case Or:
            {
                var items = new List<SoqlFilter>();
                foreach (var inner in condition is And a ? a.Items : ((Or)condition).Items)
                {
                    var bound = BindCondition(scope, inner, having);
                    if (!bound.IsOk) return bound.Error;
                    items.Add(bound.Value);
                }
                return condition is And ? new SoqlFilter.AllOf(items) : new SoqlFilter.AnyOf(items);
            }
            case Not not:
            {
                var bound = BindCondition(scope, not.Inner, having);
                return bound.IsOk ? new SoqlFilter.Not(bound.Value) : bound.Error;
            }
            default:
                return BindComparison(scope, (Comparison)condition, having);
        }
    }

    CrmResult<SoqlFilter> BindComparison(Scope scope, Comparison comparison, bool having)
    {
        SoqlExpr left;
        FieldMetadata field;
        if (comparison.Left.Aggregate is { } agg)
        {
            if (!having) return Error(agg.Position, ErrorCodes.MalformedQuery, "Aggregate functions are not allowed in WHERE; use HAVING.");
            var bound = BindAggregate(scope, agg);
            if (!bound.IsOk) return bound.Error;
            left = bound.Value;
            field = left.Aggregate is SoqlAggregate.Min or SoqlAggregate.Max
                ? left.Field!.Field
                : new FieldMetadata { Name = agg.ToString(), Label = agg.ToString(), Type = left.Type };
        }
        else
        {
            var resolved = ResolvePath(scope, comparison.Left.Path!);
            if (!resolved.IsOk) return resolved.Error;
            field = resolved.Value.Field.Field;
            if (having && !scope.GroupKeys.Contains(Key(resolved.Value.Field)))
                return Error(comparison.Position, ErrorCodes.MalformedQuery, $"Field must be grouped or aggregated: {field.Name}");
            if (!field.Filterable)
                return Error(comparison.Position, ErrorCodes.InvalidField, $"field '{field.Name}' can not be filtered in a query call", field.Name);
            left = new SoqlExpr(resolved.Value.Field);
        }

        string op = comparison.Op;
        var right = comparison.Right;
        switch (op)
        {
            case "IN" or "NOT IN":
            {
                CrmResult<SoqlFilter> positive = right is SubqueryValue sub ? BindSemiJoin(left, field, sub, comparison) : BindIn(left, field, (ListValue)right);
                if (!positive.IsOk) return positive.Error;
                return op == "IN" ? positive : new SoqlFilter.Not(positive.Value);
            }
            case "INCLUDES" or "EXCLUDES":
            {
                if (field.Type != FieldType.MultiPicklist)
                    return Error(comparison.Position, ErrorCodes.InvalidQueryFilterOperator, $"{op} can only be used on a multi-select picklist; {field.Name} is not one.", field.Name);
                var sets = new List<IReadOnlyList<string>>();
                foreach (var item in ((ListValue)right).Items)
                {
                    if (item is not StringValue text) return WrongType(field, item);
                    sets.Add(text.Text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Canonical(field, v)).ToArray());
                }
                var includes = new SoqlFilter.Includes(left, sets);
                return op == "INCLUDES" ? includes : new SoqlFilter.Not(includes);
            }
            case "LIKE":
            {
                if (!IsText(field.Type) || field.Type == FieldType.MultiPicklist)
                    return Error(comparison.Position, ErrorCodes.InvalidQueryFilterOperator, $"invalid operator on field: LIKE can only be used on text fields; {field.Name} is not one.", field.Name);
                if (right is not StringValue pattern) return WrongType(field, right);
                return new SoqlFilter.Like(left, pattern.LikePattern);
            }
        }

        var compareOp = op switch
        {
            "=" => SoqlCompareOp.Equals,
            "!=" => SoqlCompareOp.NotEquals,
            "<" => SoqlCompareOp.Less,
            ">" => SoqlCompareOp.Greater,
            "<=" => SoqlCompareOp.LessOrEqual,
            _ => SoqlCompareOp.GreaterOrEqual,
        };
        if (compareOp is not (SoqlCompareOp.Equals or SoqlCompareOp.NotEquals) && field.Type is FieldType.Boolean or FieldType.MultiPicklist)
            return Error(comparison.Position, ErrorCodes.InvalidQueryFilterOperator, $"invalid operator on field: {field.Name} can only be compared with = or !=.", field.Name);
        var value = Convert(field, right);
        if (!value.IsOk) return value.Error;
        return Compare(left, field, compareOp, value.Value, comparison.Position);
    }

    CrmResult<SoqlFilter> Compare(SoqlExpr left, FieldMetadata field, SoqlCompareOp op, object? value, int position)
    {
        switch (value)
        {
            case null:
                if (op is SoqlCompareOp.Equals or SoqlCompareOp.NotEquals) return new SoqlFilter.IsNull(left, op == SoqlCompareOp.NotEquals);
                return Error(position, ErrorCodes.InvalidQueryFilterOperator, $"invalid operator on null: {field.Name} can only be compared with null using = or !=.", field.Name);
            case DayRange range:
            {
                // A date literal is a range: = inside it, < before its start, > after its end.
                object start = field.Type == FieldType.DateTime ? range.First.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : range.First;
                object end = field.Type == FieldType.DateTime ? range.Last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : range.Last;
                var endOp = field.Type == FieldType.DateTime ? SoqlCompareOp.Less : SoqlCompareOp.LessOrEqual;
                var afterOp = field.Type == FieldType.DateTime ? SoqlCompareOp.GreaterOrEqual : SoqlCompareOp.Greater;
                SoqlFilter before = new SoqlFilter.Compare(left, SoqlCompareOp.Less, start);
                SoqlFilter after = new SoqlFilter.Compare(left, afterOp, end);
                SoqlFilter fromStart = new SoqlFilter.Compare(left, SoqlCompareOp.GreaterOrEqual, start);
                SoqlFilter toEnd = new SoqlFilter.Compare(left, endOp, end);
                return op switch
                {
                    SoqlCompareOp.Equals => new SoqlFilter.AllOf([fromStart, toEnd]),
                    SoqlCompareOp.NotEquals => new SoqlFilter.AnyOf([new SoqlFilter.IsNull(left, false), before, after]),
                    SoqlCompareOp.Less => before,
                    SoqlCompareOp.Greater => after,
                    SoqlCompareOp.LessOrEqual => toEnd,
                    _ => fromStart,
                };
            }
            default:
                return new SoqlFilter.Compare(left, op, value);
        }
    }

    CrmResult<SoqlFilter> BindIn(SoqlExpr left, FieldMetadata field, ListValue list)
    {
        var values = new List<object>();
        var alternatives = new List<SoqlFilter>();
        foreach (var item in list.Items)
        {
            var value = Convert(field, item);
            if (!value.IsOk) return value.Error;
            if (value.Value is null) alternatives.Add(new SoqlFilter.IsNull(left, false));
            else if (value.Value is DayRange)
            {
                var range = Compare(left, field, SoqlCompareOp.Equals, value.Value, item.Position);
                if (!range.IsOk) return range.Error;
                alternatives.Add(range.Value);
            }
            else values.Add(value.Value);
        }
        if (values.Count > 0) alternatives.Insert(0, new SoqlFilter.In(left, values));
        return alternatives.Count == 1 ? alternatives[0] : new SoqlFilter.AnyOf(alternatives);
    }

    CrmResult<SoqlFilter> BindSemiJoin(SoqlExpr left, FieldMetadata field, SubqueryValue sub, Comparison comparison)
    {
        if (field.Type is not (FieldType.Id or FieldType.Reference) || left.Aggregate is not null)
            return Error(comparison.Position, ErrorCodes.MalformedQuery, $"A semi-join compares an Id or reference field; {field.Name} is not one.");
        var plan = PlanQuery(sub.Query, null, semiJoin: true);
        if (!plan.IsOk) return plan.Error;
        return new SoqlFilter.SemiJoin(left, plan.Value);
    }

    sealed record DayRange(DateOnly First, DateOnly Last);

    static bool IsText(FieldType type) =>
        type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.MultiPicklist;

    static string TypeName(FieldMetadata field) => field.Type switch
    {
        FieldType.Id => "id",
        FieldType.Reference => "reference",
        FieldType.Int => "int",
        FieldType.Double or FieldType.Currency or FieldType.Percent => "double",
        FieldType.Boolean => "boolean",
        FieldType.Date => "date",
        FieldType.DateTime => "dateTime",
        _ => "string",
    };

    CrmError WrongType(FieldMetadata field, SoqlSyntax.Value value)
    {
        string quotes = IsText(field.Type) || field.Type is FieldType.Id or FieldType.Reference ? "should be enclosed in quotes" : "should not be enclosed in quotes";
        return Error(value.Position, ErrorCodes.InvalidField, $"value of filter criterion for field '{field.Name}' must be of type {TypeName(field)} and {quotes}", field.Name);
    }

    /// <summary>A literal as the field's typed value: null, a value, or a <see cref="DayRange"/> for a date literal.</summary>
    CrmResult<object?> Convert(FieldMetadata field, SoqlSyntax.Value value)
    {
        if (value is NullValue) return CrmResult<object?>.Ok(null);
        switch (field.Type)
        {
            case FieldType.Id or FieldType.Reference:
                if (value is not StringValue id) return WrongType(field, value);
                if (field.Type == FieldType.Reference && !field.ReferenceTo.All(t => _schema.TryGetObject(t, out _))) return id.Text;
                if (!SalesforceId.TryNormalize(id.Text, out var id18) || id.Text.Trim().Length != id.Text.Length)
                    return Error(value.Position, ErrorCodes.InvalidQueryFilterOperator, $"invalid ID field: {id.Text}", field.Name);
                return id18;
            case FieldType.Boolean:
                return value is BooleanValue flag ? flag.Flag : WrongType(field, value);
            case FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent:
                if (value is not NumberValue number) return WrongType(field, value);
                return field.Type == FieldType.Int && number.IsInteger && number.Number is >= long.MinValue and <= long.MaxValue ? (long)number.Number : (double)number.Number;
            case FieldType.Date or FieldType.DateTime:
                switch (value)
                {
                    case DateValue date when field.Type == FieldType.Date: return date.Date;
                    case DateTimeValue time when field.Type == FieldType.DateTime: return time.Utc;
                    case DateLiteralValue literal:
                        if (literal.N is > 100_000 || (literal.N is > 1000 && !literal.Name.EndsWith("DAYS", StringComparison.Ordinal) && !literal.Name.EndsWith("DAYS_AGO", StringComparison.Ordinal)))
                            return Error(value.Position, ErrorCodes.NumberOutsideValidRange, $"{literal.Name}:{literal.N} reaches outside the dates we can represent.");
                        var (first, last) = DateLiterals.Range(literal.Name, literal.N, _today);
                        return new DayRange(first, last);
                    default: return WrongType(field, value);
                }
            default:
                if (value is not StringValue text) return WrongType(field, value);
                if (field.Type == FieldType.MultiPicklist)
                {
                    var parts = text.Text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Canonical(field, v)).Distinct(StringComparer.OrdinalIgnoreCase);
                    return string.Join(';', parts.OrderBy(v => IndexOf(field, v)));
                }
                return field.Type == FieldType.Picklist ? Canonical(field, text.Text) : text.Text;
        }
    }

    /// <summary>A picklist value in its defined spelling when it is one (stored values use that spelling).</summary>
    static string Canonical(FieldMetadata field, string value) =>
        field.PicklistValues.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)) ?? value;

    static int IndexOf(FieldMetadata field, string value)
    {
        int index = -1;
        for (int i = 0; i < field.PicklistValues.Count && index < 0; i++)
            if (string.Equals(field.PicklistValues[i], value, StringComparison.OrdinalIgnoreCase)) index = i;
        return index < 0 ? int.MaxValue : index;
    }
}
