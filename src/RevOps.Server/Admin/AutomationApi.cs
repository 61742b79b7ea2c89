using System.Text.Json;
using RevOps.Domain.Automation;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Automation;
using RevOps.Server.Json;

namespace RevOps.Server.Admin;

/// <summary>
/// /api/automation: a tenant's automation rules (the body of create and update is the rule's JSON), dry runs
/// and the execution log. Errors are {"error", "message"} with 400, 403, 404 or 409.
/// </summary>
public static class AutomationApi
{
    public const string Channel = "rest";

    public static RouteGroupBuilder MapAutomationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/automation").RequireAuthorization();
        api.MapPost("/", CreateAsync);
        api.MapGet("/", ListAsync);
        api.MapGet("/runs", RunsAsync);
        api.MapPost("/test", TestAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPut("/{id}", UpdateAsync);
        api.MapPost("/{id}/enable", (string id, HttpContext http, AutomationService automation, CancellationToken ct) => SetEnabledAsync(id, true, http, automation, ct));
        api.MapPost("/{id}/disable", (string id, HttpContext http, AutomationService automation, CancellationToken ct) => SetEnabledAsync(id, false, http, automation, ct));
        api.MapDelete("/{id}", DeleteAsync);
        return api;
    }

    static async Task<IResult> CreateAsync(HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var body = await BodyAsync(http, ct);
        if (!body.IsOk) return Error(body.Error!);
        var created = await automation.CreateAsync(Caller(http), body.Value, ct);
        return created.IsOk ? Json(w => AutomationJson.WriteRule(w, created.Value), StatusCodes.Status201Created) : Error(created.Error);
    }

    static async Task<IResult> ListAsync(HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var listed = await automation.ListAsync(Caller(http), ct);
        return listed.IsOk ? Json(w => AutomationJson.WriteRules(w, listed.Value)) : Error(listed.Error);
    }

    static async Task<IResult> GetAsync(string id, HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var rule = await automation.GetAsync(Caller(http), id, ct);
        return rule.IsOk ? Json(w => AutomationJson.WriteRule(w, rule.Value)) : Error(rule.Error);
    }

    static async Task<IResult> UpdateAsync(string id, HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var body = await BodyAsync(http, ct);
        if (!body.IsOk) return Error(body.Error!);
        var updated = await automation.UpdateAsync(Caller(http), id, body.Value, ct);
        return updated.IsOk ? Json(w => AutomationJson.WriteRule(w, updated.Value)) : Error(updated.Error);
    }

    static async Task<IResult> SetEnabledAsync(string id, bool enabled, HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var rule = await automation.SetEnabledAsync(Caller(http), id, enabled, ct);
        return rule.IsOk ? Json(w => AutomationJson.WriteRule(w, rule.Value)) : Error(rule.Error);
    }

    static async Task<IResult> DeleteAsync(string id, HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var deleted = await automation.DeleteAsync(Caller(http), id, ct);
        return deleted.IsOk ? TypedResults.NoContent() : Error(deleted.Error);
    }

    static async Task<IResult> RunsAsync(string? rule_id, string? status, int? limit, HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var runs = await automation.RunsAsync(Caller(http), rule_id, status, limit ?? 50, ct);
        return runs.IsOk ? Json(w => AutomationJson.WriteRuns(w, runs.Value)) : Error(runs.Error);
    }

    /// <summary>Body {"rule": {…}} or {"rule_id": "…"}, with "limit" (recent changes, default 10).</summary>
    static async Task<IResult> TestAsync(HttpContext http, AutomationService automation, CancellationToken ct)
    {
        var body = await BodyAsync(http, ct);
        if (!body.IsOk) return Error(body.Error!);
        var json = body.Value;
        JsonElement? rule = json.TryGetProperty("rule", out var r) && r.ValueKind == JsonValueKind.Object ? r : null;
        string? id = json.TryGetProperty("rule_id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        int limit = json.TryGetProperty("limit", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) ? n : 10;
        if (rule is null && id is null)
            return Error(new CrmError(ErrorCodes.RequiredFieldMissing, "The body must be {\"rule\": {…}} (a rule to try) or {\"rule_id\": \"rule_…\"} (a stored one), with an optional \"limit\"."));
        var report = await automation.TestAsync(Caller(http), id, rule, limit, ct);
        return report.IsOk ? Json(w => AutomationJson.WriteTest(w, report.Value)) : Error(report.Error);
    }

    static async Task<CrmResult<JsonElement>> BodyAsync(HttpContext http, CancellationToken ct)
    {
        try
        {
            var body = await http.Request.ReadFromJsonAsync(ServerJson.Default.JsonElement, ct);
            if (body.ValueKind == JsonValueKind.Object) return body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return new CrmError(ErrorCodes.InvalidArgument, $"The body is not JSON ({e.Message.Split('\n')[0]}). Send the rule as a JSON object; docs/automation.md has examples.");
        }
        return new CrmError(ErrorCodes.InvalidArgument, "The body must be a JSON object: the rule, e.g. {\"name\": \"Won\", \"object\": \"Opportunity\", \"trigger\": {\"on\": \"updated\"}, \"actions\": […]}.");
    }

    static Caller Caller(HttpContext http) =>
        CallerClaims.FromPrincipal(http.User, Channel) ?? throw new InvalidOperationException("/api/automation requires authentication.");

    static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) => ApiJson.Ok(write, status);

    static IResult Error(CrmError error) => ApiJson.Error(error);
}
