using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using static RevOps.Domain.Soql.SoqlSyntax;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>
/// where and orderBy as SOQL syntax nodes. Values become typed literal nodes (never SOQL text),
/// which the SOQL planner checks against the field's type and storage binds as parameters.
/// </summary>
public static class GraphFilters
{
    public static CrmResult<Condition?> Where(ObjectMetadata obj, TenantSchema schema, IDictionary<string, object?>? filter) =>
        Bind(obj, schema, filter, [], 0);

    static CrmResult<Condition?> Bind(ObjectMetadata obj, TenantSchema schema, IDictionary<string, object?>? filter, string[] prefix, int depth)
    {
        if (filter is null) return CrmResult<Condition?>.Ok(null);
        if (depth > GraphLimits.MaxFilterDepth)
            return Invalid($"where nests and/or/not and relationships more than {GraphLimits.MaxFilterDepth} levels deep; flatten the filter.");
        var items = new List<Condition>();
        foreach (var (key, value) in filter)
        {
            switch (key)
            {
                case "and" or "or":
                {
                    var list = value as IEnumerable<object?> ?? [];
                    var parts = new List<Condition>();
                    foreach (var item in list)
                    {
                        var part = Bind(obj, schema, item as IDictionary<string, object?>, prefix, depth + 1);
                        if (!part.IsOk) return part.Error;
                        if (part.Value is not null) parts.Add(part.Value);
                    }
                    if (parts.Count == 0)
                    {
                        if (key == "or") return Invalid("or needs at least one filter, e.g. or: [{ Name: { eq: \"Acme\" } }, { Industry: { eq: \"Energy\" } }].");
                        break;
                    }
                    items.Add(parts.Count == 1 ? parts[0] : key == "and" ? new And(parts, 0) : new Or(parts, 0));
                    break;
                }
                case "not":
                {
                    var inner = Bind(obj, schema, value as IDictionary<string, object?>, prefix, depth + 1);
                    if (!inner.IsOk) return inner.Error;
                    if (inner.Value is not null) items.Add(new Not(inner.Value, 0));
                    break;
                }
                default:
                {
                    if (value is null) break;
                    if (GraphRelationships.Parent(obj, schema, key) is { } parent)
                    {
                        var inner = Bind(parent, schema, value as IDictionary<string, object?>, [.. prefix, key], depth + 1);
                        if (!inner.IsOk) return inner.Error;
                        if (inner.Value is not null) items.Add(inner.Value);
                        break;
                    }
                    if (!schema.For(obj).TryGetField(key, out var field) || value is not IDictionary<string, object?> operators)
                        return new CrmError(ErrorCodes.InvalidField, $"{key} cannot be filtered on {obj.Name}.", key);
                    foreach (var (op, operand) in operators)
                    {
                        var comparison = Compare(field, new SoqlSyntax.Path([.. prefix, field.Name], 0), op, operand);
                        if (!comparison.IsOk) return comparison.Error;
                        items.Add(comparison.Value);
                    }
                    break;
                }
            }
        }
        return items.Count switch
        {
            0 => CrmResult<Condition?>.Ok(null),
            1 => items[0],
            _ => new And(items, 0),
        };
    }

    static CrmResult<Condition> Compare(FieldMetadata field, SoqlSyntax.Path path, string op, object? operand)
    {
        string? soqlOp = op switch
        {
            "eq" => "=",
            "ne" => "!=",
            "gt" => ">",
            "gte" => ">=",
            "lt" => "<",
            "lte" => "<=",
            "like" => "LIKE",
            "in" => "IN",
            "nin" => "NOT IN",
            "includes" => "INCLUDES",
            "excludes" => "EXCLUDES",
            _ => null,
        };
        if (soqlOp is null) return Invalid($"'{op}' is not an operator.");
        var left = new Operand(path, null);
        if (soqlOp is "IN" or "NOT IN" or "INCLUDES" or "EXCLUDES")
        {
            var list = (operand as IEnumerable<object?>)?.ToList();
            if (list is null || list.Count == 0) return Invalid($"{field.Name}: {op} needs a list of at least one value.", field.Name);
            if (list.Count > GraphLimits.MaxListValues) return Invalid($"{field.Name}: {op} takes at most {GraphLimits.MaxListValues} values; got {list.Count}. Split the query.", field.Name);
            var values = new List<Value>();
            foreach (var item in list)
            {
                var value = Literal(field, item, like: false);
                if (!value.IsOk) return value.Error;
                values.Add(value.Value);
            }
            return new Comparison(left, soqlOp, new ListValue(values, 0), 0);
        }
        var single = Literal(field, operand, like: soqlOp == "LIKE");
        if (!single.IsOk) return single.Error;
        return new Comparison(left, soqlOp, single.Value, 0);
    }

    static CrmResult<Value> Literal(FieldMetadata field, object? operand, bool like)
    {
        switch (operand)
        {
            case null:
                return new NullValue(0);
            case IDictionary<string, object?> date:
                if (date.TryGetValue("literal", out var literal) && literal is string name) return new DateLiteralValue(name, null, 0);
                if (!date.TryGetValue("value", out var text) || text is not string iso)
                    return Invalid($"{field.Name}: give a date as {{ value: \"2026-01-31\" }} or {{ literal: TODAY }}.", field.Name);
                if (field.Type == FieldType.Date)
                    return DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                        ? new DateValue(day, 0)
                        : Invalid($"{field.Name}: '{iso}' is not a date; use yyyy-MM-dd, e.g. 2026-01-31.", field.Name);
                return DateTime.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
                    ? new DateTimeValue(DateTime.SpecifyKind(time, DateTimeKind.Utc), 0)
                    : Invalid($"{field.Name}: '{iso}' is not a date and time; use ISO 8601, e.g. 2026-01-31T09:30:00Z.", field.Name);
            case string s when s.Contains('\0', StringComparison.Ordinal):
                return Invalid($"{field.Name}: a filter value cannot hold the NUL character (U+0000); no stored text holds it.", field.Name);
            case string s:
                return new StringValue(s, like ? LikePattern(s) : s, 0);
            case bool b:
                return new BooleanValue(b, 0);
            case int or long or short or byte or sbyte or uint or ulong or ushort:
                return new NumberValue(Convert.ToDecimal(operand, CultureInfo.InvariantCulture), true, 0);
            case double or float or decimal:
            {
                double d = Convert.ToDouble(operand, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || Math.Abs(d) > 1e28)
                    return new CrmError(ErrorCodes.NumberOutsideValidRange, $"{field.Name}: {d.ToString(CultureInfo.InvariantCulture)} is outside the numbers a filter can compare.", field.Name);
                decimal number = (decimal)d;
                return new NumberValue(number, decimal.Truncate(number) == number, 0);
            }
            case System.Numerics.BigInteger:
                return new CrmError(ErrorCodes.NumberOutsideValidRange, $"{field.Name}: {operand} is outside the numbers a filter can compare.", field.Name);
            default:
                return Invalid($"{field.Name}: a value of type {operand.GetType().Name} cannot be compared.", field.Name);
        }
    }

    /// <summary>%, _ are wildcards as in SOQL; \%, \_ and \\ stay literal; any other backslash is itself.</summary>
    static string LikePattern(string text)
    {
        var pattern = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '%' or '_' or '\\')
            {
                pattern.Append('\\').Append(text[++i]);
                continue;
            }
            pattern.Append(c == '\\' ? "\\\\" : c.ToString());
        }
        return pattern.ToString();
    }

    /// <summary>orderBy in the order its fields are written, then Id so pages never overlap.</summary>
    public static CrmResult<List<Order>> OrderBy(ObjectMetadata obj, TenantSchema schema, IDictionary<string, object?>? orderBy)
    {
        var orders = new List<Order>();
        var added = Collect(obj, schema, orderBy, [], orders, 0);
        if (!added.IsOk) return added.Error;
        if (!orders.Any(o => o.Target.Path!.Parts is ["Id"])) orders.Add(new Order(new Operand(new SoqlSyntax.Path(["Id"], 0), null), false, null));
        return orders;
    }

    static CrmResult<bool> Collect(ObjectMetadata obj, TenantSchema schema, IDictionary<string, object?>? orderBy, string[] prefix, List<Order> orders, int depth)
    {
        if (orderBy is null) return true;
        if (depth > GraphLimits.MaxFilterDepth) return Invalid("orderBy follows too many relationships.");
        foreach (var (key, value) in orderBy)
        {
            if (value is not IDictionary<string, object?> inner) continue;
            if (GraphRelationships.Parent(obj, schema, key) is { } parent)
            {
                var nested = Collect(parent, schema, inner, [.. prefix, key], orders, depth + 1);
                if (!nested.IsOk) return nested.Error;
                continue;
            }
            if (!schema.For(obj).TryGetField(key, out var field)) return new CrmError(ErrorCodes.InvalidField, $"{key} cannot order {obj.Name}.", key);
            bool descending = inner.TryGetValue("order", out var order) && order is "DESC";
            bool? nullsFirst = inner.TryGetValue("nulls", out var nulls) && nulls is string n ? n == "FIRST" : null;
            orders.Add(new Order(new Operand(new SoqlSyntax.Path([.. prefix, field.Name], 0), null), descending, nullsFirst));
        }
        return true;
    }

    static CrmError Invalid(string message, string? field = null) => new(ErrorCodes.InvalidArgument, message, field);
}
