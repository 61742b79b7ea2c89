using System.Text.Json;
using RevOps.Domain.Duplicates;
using RevOps.Domain.Errors;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>
/// A tenant's duplicate rules, read and set with one of its admin keys: GET lists every rule with its action
/// (off, report or block) and the objects it checks; PUT {"phone": "block", "website": "off"} sets those rules.
/// </summary>
public static class DuplicateRulesApi
{
    const string Example = "{\"phone\": \"block\", \"website\": \"off\"}";
    /// <summary>More entries than rules exist is no real request.</summary>
    const int MaxEntries = 16;

    public static RouteGroupBuilder MapDuplicateRulesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/duplicate-rules").RequireAuthorization();
        api.MapGet("", GetAsync);
        api.MapPut("", PutAsync);
        return api;
    }

    static async Task<IResult> GetAsync(HttpContext http, DuplicateService duplicates, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Reading duplicate rules");
        if (caller is null) return refusal!;
        return Answer(await duplicates.RulesAsync(caller.Tenant, ct));
    }

    static async Task<IResult> PutAsync(HttpContext http, DuplicateService duplicates, CancellationToken ct)
    {
        var (caller, refusal) = ApiCaller.Admin(http, "Changing duplicate rules");
        if (caller is null) return refusal!;
        var changes = new List<KeyValuePair<string?, string?>>();
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
                return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"The body must be a JSON object of rules and actions, like {Example}."));
            if (!JsonText.IsDecodable(body.RootElement))
                return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"The body holds text that is not valid Unicode. Send JSON like {Example}."));
            foreach (var property in body.RootElement.EnumerateObject())
            {
                if (changes.Count == MaxEntries)
                    return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"Send at most {MaxEntries} rules; there are {DuplicateRule.All.Count}: {string.Join(", ", DuplicateRule.All)}."));
                if (property.Value.ValueKind != JsonValueKind.String)
                    return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"The action of '{Clip(property.Name)}' must be \"off\", \"report\" or \"block\" (a string).", "action"));
                changes.Add(new(property.Name, property.Value.GetString()));
            }
        }
        catch (JsonException)
        {
            return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"The body must be JSON like {Example}."));
        }
        var set = await duplicates.SetAsync(caller.Tenant, changes, ct);
        return set.IsOk ? Answer(set.Value) : ApiJson.Error(set.Error);
    }

    /// <summary>{"rules": [{"rule", "action", "objects"}]}</summary>
    static IResult Answer(DuplicateRuleSet rules) => ApiJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("rules");
        foreach (var rule in DuplicateRule.All)
        {
            w.WriteStartObject();
            w.WriteString("rule", rule);
            w.WriteString("action", DuplicateRule.Text(rules[rule]));
            w.WriteStartArray("objects");
            foreach (var obj in Domain.Metadata.StandardObjects.All.Where(o => DuplicateRule.Applies(rule, o))) w.WriteStringValue(obj.Name);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
