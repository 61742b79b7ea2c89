using ModelContextProtocol.Protocol;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Mcp;

/// <summary>
/// Turns a search tool's filter arguments into a <see cref="RecordQuery"/>, validating each
/// value against its field so a bad filter gets the same clear error a bad write would.
/// </summary>
public sealed class SearchBuilder(ObjectMetadata obj, ToolArguments args, string orderBy, bool descending = false)
{
    readonly List<IReadOnlyList<Condition>> _conditions = [];
    CrmError? _error;

    public void Text(string argument, string field) => AnyText(argument, field);

    /// <summary>Equal to the argument in any of the fields (case-insensitive where the field is).</summary>
    public void AnyText(string argument, params string[] fields)
    {
        if (Read(argument) is not { } text) return;
        _conditions.Add(fields.Select(f => new Condition(f, ConditionOp.Equals, text.Trim())).ToArray());
    }

    public void Prefix(string argument, params string[] fields)
    {
        if (Read(argument) is not { } text) return;
        text = text.Trim();
        if (text.Length == 0) return;
        _conditions.Add(fields.Select(f => new Condition(f, ConditionOp.StartsWith, text)).ToArray());
    }

    /// <summary>A picklist or reference filter: the value must be one the field accepts.</summary>
    public void Exact(string argument, string field)
    {
        if (Read(argument) is not { } text) return;
        var parsed = FieldValues.Parse(obj, obj.Field(field), System.Text.Json.JsonSerializer.SerializeToElement(text, Json.ServerJson.Default.String));
        if (!parsed.IsOk)
        {
            _error ??= parsed.Error with { Message = $"{argument}: {parsed.Error.Message}", Field = argument };
            return;
        }
        if (parsed.Value is { } value) _conditions.Add([new Condition(field, ConditionOp.Equals, value)]);
    }

    public void Reference(string argument, string field) => Exact(argument, field);

    public void Minimum(string argument, string field)
    {
        var number = args.Number(argument);
        if (!number.IsOk)
        {
            _error ??= number.Error;
            return;
        }
        if (number.Value is { } min) _conditions.Add([new Condition(field, ConditionOp.GreaterOrEqual, min)]);
    }

    public async Task<CallToolResult> RunAsync(RecordService records, Caller caller, CancellationToken ct)
    {
        var limit = args.Int("limit", SearchDefaults.Limit);
        if (!limit.IsOk) return ToolResults.Error(limit.Error);
        if (_error is not null) return ToolResults.Error(_error);
        var query = new RecordQuery(_conditions, orderBy, descending, limit.Value);
        var found = await records.QueryAsync(caller, obj, query, ct);
        return found.IsOk ? ToolResults.Page(found.Value) : ToolResults.Error(found.Error);
    }

    string? Read(string argument)
    {
        var value = args.String(argument);
        if (!value.IsOk)
        {
            _error ??= value.Error;
            return null;
        }
        return value.Value;
    }
}
