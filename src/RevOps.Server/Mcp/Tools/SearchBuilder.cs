using ModelContextProtocol.Protocol;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Search;
using RevOps.Domain.Tenancy;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>
/// Turns a search tool's filter arguments into a <see cref="RecordQuery"/>, validating each
/// value against its field so a bad filter gets the same clear error a bad write would, and
/// runs it as a page (limit, cursor, fields).
/// </summary>
public sealed class SearchBuilder(ObjectMetadata obj, string tool, ToolArguments args, string orderBy, bool descending = false)
{
    readonly List<IReadOnlyList<Condition>> _conditions = [];
    CrmError? _error;

    /// <summary>limit, cursor and fields: what every list tool takes.</summary>
    public static ToolSchema PagingParams(ToolSchema schema) => schema
        .Param("limit", "integer", $"Default {RecordQuery.DefaultLimit}.", minimum: 1, maximum: RecordQuery.MaxLimit)
        .Param(PageCursor.Argument, "string", "nextCursor of the previous page (same filters).")
        .FieldsParam();

    public void Text(string argument, string field) => AnyText(argument, field);

    /// <summary>Equal to the argument in any of the fields (case-insensitive where the field is).</summary>
    public void AnyText(string argument, params string[] fields)
    {
        if (Read(argument) is not { } text) return;
        _conditions.Add(fields.Select(f => new Condition(obj.Field(f), ConditionOp.Equals, text.Trim())).ToArray());
    }

    public void Prefix(string argument, params string[] fields)
    {
        if (Read(argument) is not { } text) return;
        text = text.Trim();
        if (text.Length == 0) return;
        if (argument == NameArgument) _name = text;
        _conditions.Add(fields.Select(f => new Condition(obj.Field(f), ConditionOp.StartsWith, text)).ToArray());
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
        if (parsed.Value is { } value) _conditions.Add([new Condition(obj.Field(field), ConditionOp.Equals, value)]);
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
        if (number.Value is { } min) _conditions.Add([new Condition(obj.Field(field), ConditionOp.GreaterOrEqual, min)]);
    }

    public void Add(IReadOnlyList<Condition> anyOf) => _conditions.Add(anyOf);

    /// <summary>The owner filter every search tool takes: a User Id, or "me" for the caller's own records.</summary>
    public const string OwnerArgument = "ownerId";

    public static ToolSchema OwnerParam(ToolSchema schema) =>
        schema.Param(OwnerArgument, "string", "Owner: \"me\" or a User Id (005…).");

    bool _ownedByCaller;

    const string NameArgument = "name";

    /// <summary>The name prefix searched for, if any: what a hint is found for when nothing starts with it.</summary>
    string? _name;

    /// <summary>Reads the owner filter; "me" becomes the caller's user when the search runs.</summary>
    public void Owner()
    {
        if (Read(OwnerArgument) is not { } text || text.Trim().Length == 0) return;
        if (string.Equals(text.Trim(), "me", StringComparison.OrdinalIgnoreCase)) _ownedByCaller = true;
        else Exact(OwnerArgument, "OwnerId");
    }

    /// <param name="forgiving">When given and no record's name starts with the name sent, the answer carries search_crm's hint for it.</param>
    public async Task<CallToolResult> RunAsync(RecordService records, ObjectSchema schema, Caller caller, CancellationToken ct,
        FieldMetadata? orderField = null, bool? orderDescending = null, bool deleted = false, SearchService? forgiving = null)
    {
        var limit = args.Int("limit", RecordQuery.DefaultLimit);
        if (!limit.IsOk) return ToolResults.Error(limit.Error);
        if (_error is not null) return ToolResults.Error(_error);
        if (_ownedByCaller) _conditions.Add([new Condition(obj.Field("OwnerId"), ConditionOp.Equals, caller.ActorId)]);
        var fields = FieldSelection.Read(args, schema);
        if (!fields.IsOk) return ToolResults.Error(fields.Error);
        string fingerprint = PageCursor.Fingerprint(tool, args);
        var cursor = PageCursor.Decode(args.String(PageCursor.Argument) is { IsOk: true } c ? c.Value : null, fingerprint);
        if (!cursor.IsOk) return ToolResults.Error(cursor.Error);

        var query = new RecordQuery(_conditions, orderField ?? obj.Field(orderBy), orderDescending ?? descending, limit.Value)
        {
            Offset = cursor.Value.Offset,
            Deleted = deleted,
        };
        var found = await records.QueryAsync(caller, obj, query, ct, cursor.Value.Total);
        if (!found.IsOk) return ToolResults.Error(found.Error);
        if (found.Value.TotalSize == 0 && _name is not null && forgiving is not null && await HintAsync(forgiving, caller, _name, ct) is { } hint)
            return ToolResults.FromJson(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("totalSize", 0);
                w.WriteNumber("count", 0);
                w.WriteBoolean("hasMore", false);
                w.WriteStartArray("records");
                w.WriteEndArray();
                SearchTools.WriteHint(w, hint, name => $"{tool} {NameArgument}='{name}'");
                w.WriteEndObject();
            });
        string? next = found.Value.NextOffset is { } offset ? PageCursor.Encode(offset, found.Value.TotalSize, fingerprint) : null;
        return ToolResults.Page(found.Value, next, fields.Value);
    }

    /// <summary>
    /// What search_crm makes of the name in this object: the names it finds (typos and extra words
    /// such as "Corporation" forgiven), or its hint; null when the name is no search text.
    /// </summary>
    async Task<SearchHint?> HintAsync(SearchService search, Caller caller, string name, CancellationToken ct)
    {
        var found = await search.SearchAsync(caller, name, [obj.Name], HintNames, ct);
        if (!found.IsOk) return null;
        if (found.Value.Hint is { } hint) return hint;
        var names = found.Value.Records.Select(r => r.Hit.Name).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Take(HintNames).ToArray();
        var terms = SearchTerms.Parse(name);
        return new SearchHint(terms.IsOk ? terms.Value.Typed : [name], names);
    }

    const int HintNames = 3;

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
