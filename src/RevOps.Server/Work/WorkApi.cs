using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Work;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Work;

/// <summary>
/// /api/work: the agents' work queue over REST, the same calls as the work_queue tool. Errors are {"error", "message"}
/// with 400, 403 (a read-only key changing the queue), 404 or 409 (the lease is not the caller's).
/// </summary>
public static class WorkApi
{
    public const string Channel = "rest";

    public static RouteGroupBuilder MapWorkApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/work").RequireAuthorization();
        api.MapGet("/", ListAsync);
        api.MapPost("/", EnqueueAsync);
        api.MapPost("/claim", ClaimAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/{id}/complete", (string id, HttpContext http, WorkQueueService work, CancellationToken ct) => FinishAsync(id, WorkEnd.Done, http, work, ct));
        api.MapPost("/{id}/fail", (string id, HttpContext http, WorkQueueService work, CancellationToken ct) => FinishAsync(id, WorkEnd.Failed, http, work, ct));
        api.MapPost("/{id}/release", (string id, HttpContext http, WorkQueueService work, CancellationToken ct) => FinishAsync(id, WorkEnd.Released, http, work, ct));
        return api;
    }

    static async Task<IResult> ListAsync(string? queue, string? state, int? limit, HttpContext http, WorkQueueService work, CancellationToken ct)
    {
        var listed = await work.ListAsync(Caller(http), queue, state, limit ?? 50, ct);
        return listed.IsOk ? ApiJson.Ok(w => WorkJson.WriteList(w, listed.Value)) : ApiJson.Error(listed.Error!);
    }

    /// <summary>Body {"queue", "prompt", "record_id"?, "type"?, "priority"?, "due"?}.</summary>
    static async Task<IResult> EnqueueAsync(HttpContext http, WorkQueueService work, CancellationToken ct)
    {
        var body = await BodyAsync(http, ct);
        if (!body.IsOk) return ApiJson.Error(body.Error!);
        var b = body.Value;
        var request = new WorkRequest(Text(b, "queue"), Text(b, "prompt"), Text(b, "record_id"), Text(b, "type"), Text(b, "priority"), Text(b, "due"));
        var queued = await work.EnqueueAsync(Caller(http), request, ct);
        return queued.IsOk ? ApiJson.Ok(w => WorkJson.WriteItem(w, queued.Value.Item), StatusCodes.Status201Created) : ApiJson.Error(queued.Error!);
    }

    /// <summary>Body {"queue"?, "type"?, "lease_seconds"?}; answers {"item": null, …} when nothing waits.</summary>
    static async Task<IResult> ClaimAsync(HttpContext http, WorkQueueService work, CancellationToken ct)
    {
        var body = await BodyAsync(http, ct, emptyIsObject: true);
        if (!body.IsOk) return ApiJson.Error(body.Error!);
        var b = body.Value;
        int? seconds = null;
        if (b.TryGetProperty("lease_seconds", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out int n))
                return ApiJson.Error(new CrmError(ErrorCodes.InvalidType, $"lease_seconds must be a whole number of seconds, {WorkQueueService.MinLeaseSeconds} to {WorkQueueService.MaxLeaseSeconds}.", "lease_seconds"));
            seconds = n;
        }
        var claim = await work.ClaimAsync(Caller(http), Text(b, "queue"), Text(b, "type"), seconds, ct);
        return claim.IsOk ? ApiJson.Ok(w => WorkJson.WriteClaim(w, claim.Value)) : ApiJson.Error(claim.Error!);
    }

    static async Task<IResult> GetAsync(string id, HttpContext http, WorkQueueService work, CancellationToken ct)
    {
        var item = await work.GetAsync(Caller(http), id, ct);
        return item.IsOk ? ApiJson.Ok(w => WorkJson.WriteItem(w, item.Value)) : ApiJson.Error(item.Error!);
    }

    /// <summary>Body {"lease", "note"?} (a note is required to fail).</summary>
    static async Task<IResult> FinishAsync(string id, WorkEnd end, HttpContext http, WorkQueueService work, CancellationToken ct)
    {
        var body = await BodyAsync(http, ct);
        if (!body.IsOk) return ApiJson.Error(body.Error!);
        var item = await work.FinishAsync(Caller(http), id, Text(body.Value, "lease"), end, Text(body.Value, "note"), ct);
        return item.IsOk ? ApiJson.Ok(w => WorkJson.WriteItem(w, item.Value)) : ApiJson.Error(item.Error!);
    }

    /// <summary>A string property, or its JSON text when it is another kind (the service then says what is wrong with it).</summary>
    static string? Text(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();

    static async Task<CrmResult<JsonElement>> BodyAsync(HttpContext http, CancellationToken ct, bool emptyIsObject = false)
    {
        if (emptyIsObject && http.Request.ContentLength is null or 0 && !http.Request.Headers.ContainsKey("Transfer-Encoding"))
            return JsonDocument.Parse("{}").RootElement.Clone();
        try
        {
            var body = await http.Request.ReadFromJsonAsync(ServerJson.Default.JsonElement, ct);
            if (body.ValueKind == JsonValueKind.Object) return body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return new CrmError(ErrorCodes.InvalidArgument, $"The body is not JSON ({e.Message.Split('\n')[0]}). Send a JSON object; docs/work-queue.md has examples.");
        }
        return new CrmError(ErrorCodes.InvalidArgument, "The body must be a JSON object, e.g. {\"queue\": \"research\", \"prompt\": \"Research Acme\"}; docs/work-queue.md has examples.");
    }

    static Caller Caller(HttpContext http) =>
        CallerClaims.FromPrincipal(http.User, Channel) ?? throw new InvalidOperationException("/api/work requires authentication.");
}
