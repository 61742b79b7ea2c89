using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// find_records' `where`: {"Field": value} for equality, {"Field": [a, b]} for any of them,
/// {"Field": null} for empty, or {"Field": {"gte": …, "lt": …, "startsWith": …, "ne": …, "includes": …}}.
/// Every value is parsed as the field's type, so filters fail with the same clear errors as writes.
/// </summary>
public static class WhereArgument
{
    public const string Name = "where";

    static readonly Dictionary<string, ConditionOp> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eq"] = ConditionOp.Equals,
        ["ne"] = ConditionOp.NotEquals,
        ["gt"] = ConditionOp.Greater,
        ["gte"] = ConditionOp.GreaterOrEqual,
        ["lt"] = ConditionOp.Less,
        ["lte"] = ConditionOp.LessOrEqual,
        ["startsWith"] = ConditionOp.StartsWith,
        ["includes"] = ConditionOp.Includes,
    };

    public const string Help =
        "All must hold: {\"F\":v} equals, {\"F\":[a,b]} any of, {\"F\":null} empty, {\"F\":{\"gte\":1,\"lt\":9}}; also gt, lte, ne, startsWith, includes (multi-select).";

    public static CrmResult<List<IReadOnlyList<Condition>>> Parse(ObjectSchema schema, JsonElement where)
    {
        var conditions = new List<IReadOnlyList<Condition>>();
        foreach (var property in where.EnumerateObject())
        {
            var field = ResolveField(schema, property.Name);
            if (!field.IsOk) return field.Error;
            var f = field.Value;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Array:
                    var anyOf = new List<Condition>();
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        var one = Condition(schema.Object, f, DefaultOp(f), item);
                        if (!one.IsOk) return one.Error;
                        anyOf.Add(one.Value);
                    }
                    if (anyOf.Count == 0)
                        return new CrmError(ErrorCodes.InvalidArgument, $"where.{f.Name}: the list of values is empty. Send at least one value.", Name);
                    conditions.Add(anyOf);
                    break;
                case JsonValueKind.Object:
                    foreach (var op in property.Value.EnumerateObject())
                    {
                        if (!Operators.TryGetValue(op.Name, out var kind))
                            return new CrmError(ErrorCodes.InvalidArgument, $"where.{f.Name}: '{op.Name}' is not an operator. Use one of: {string.Join(", ", Operators.Keys)}.", Name);
                        var one = Condition(schema.Object, f, kind, op.Value);
                        if (!one.IsOk) return one.Error;
                        conditions.Add([one.Value]);
                    }
                    break;
                default:
                    var equals = Condition(schema.Object, f, DefaultOp(f), property.Value);
                    if (!equals.IsOk) return equals.Error;
                    conditions.Add([equals.Value]);
                    break;
            }
        }
        return conditions;
    }

    public static CrmResult<FieldMetadata> ResolveField(ObjectSchema schema, string name, string argument = Name)
    {
        if (!schema.TryGetField(name, out var field))
        {
            string? guess = Suggestions.Closest(name, schema.AllFields.Select(f => f.Name));
            return new CrmError(ErrorCodes.InvalidField,
                $"{argument}: '{name}' is not a field on {schema.Object.Name}.{(guess is null ? "" : $" Did you mean '{guess}'?")} Call describe_object with object {schema.Object.Name} for its fields.", argument);
        }
        if (!field.Filterable)
            return new CrmError(ErrorCodes.InvalidField, $"{argument}: {schema.Object.Name}.{field.Name} is long text and cannot be filtered or sorted on. Filter on another field, e.g. Name.", argument);
        return field;
    }

    static ConditionOp DefaultOp(FieldMetadata field) => field.Type == FieldType.MultiPicklist ? ConditionOp.Includes : ConditionOp.Equals;

    static CrmResult<Condition> Condition(ObjectMetadata obj, FieldMetadata field, ConditionOp op, JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Null)
            return op is ConditionOp.Equals or ConditionOp.NotEquals or ConditionOp.Includes
                ? new Condition(field, op == ConditionOp.NotEquals ? ConditionOp.NotEquals : ConditionOp.Equals, null)
                : new CrmError(ErrorCodes.InvalidArgument, $"where.{field.Name}: null only works with equals or ne.", Name);
        if (op is ConditionOp.StartsWith)
        {
            if (field.Storage != StorageKind.Text || json.ValueKind != JsonValueKind.String)
                return new CrmError(ErrorCodes.InvalidArgument, $"where.{field.Name}: startsWith takes text and works on text fields.", Name);
            return new Condition(field, op, json.GetString()!);
        }
        if (op is ConditionOp.Includes)
        {
            if (field.Type != FieldType.MultiPicklist)
                return new CrmError(ErrorCodes.InvalidArgument, $"where.{field.Name}: includes works on multi-select picklists; use a plain value for equality.", Name);
            var included = FieldValues.Parse(obj, field, json);
            if (!included.IsOk) return included.Error with { Field = Name };
            return new Condition(field, op, included.Value);
        }
        // Filters compare; they do not write: a picklist value must still be one the field knows.
        var parsed = FieldValues.Parse(obj, field with { Precision = 0 }, json);
        if (!parsed.IsOk) return parsed.Error with { Message = $"where: {parsed.Error.Message}", Field = Name };
        return new Condition(field, op, parsed.Value);
    }
}
