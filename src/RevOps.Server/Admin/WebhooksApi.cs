using System.Text.Json;
using System.Text.Json.Serialization;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Server.Auth;
using RevOps.Server.Json;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Admin;

public sealed record CreateWebhookRequest(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("secret")] string? Secret,
    [property: JsonPropertyName("objects")] string[]? Objects,
    [property: JsonPropertyName("operations")] string[]? Operations,
    [property: JsonPropertyName("fields")] string[]? Fields);

/// <summary>
/// /api/webhooks: a tenant manages its own subscriptions with an admin-scope key. Errors are
/// {"error", "message"} with 400, 403, 404 or 409.
/// </summary>
public static class WebhooksApi
{
    public const string Channel = "rest";

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhooks").RequireAuthorization();
        api.MapPost("/", CreateAsync);
        api.MapGet("/", ListAsync);
        api.MapDelete("/{id}", DeleteAsync);
        api.MapPost("/{id}/test", TestAsync);
        api.MapGet("/{id}/deliveries", DeliveriesAsync);
        api.MapPost("/deliveries/{id}/redeliver", RedeliverAsync);
        return api;
    }

    static async Task<IResult> CreateAsync(HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        CreateWebhookRequest? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync(ServerJson.Default.CreateWebhookRequest, ct);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Error(new CrmError(ErrorCodes.InvalidArgument,
                "The body must be JSON like {\"url\": \"https://hooks.example.com/revops\", \"objects\": [\"Contact\"], \"operations\": [\"created\", \"updated\"]}."));
        }
        var created = await webhooks.CreateAsync(Caller(http), new WebhookSpec(body?.Url, body?.Secret, body?.Objects, body?.Operations, body?.Fields), ct);
        return created.IsOk ? Json(w => WebhookJson.WriteWebhook(w, created.Value.Webhook, created.Value.Secret), StatusCodes.Status201Created) : Error(created.Error);
    }

    static async Task<IResult> ListAsync(HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        var listed = await webhooks.ListAsync(Caller(http), ct);
        return listed.IsOk ? Json(w => WebhookJson.WriteWebhooks(w, listed.Value)) : Error(listed.Error);
    }

    static async Task<IResult> DeleteAsync(string id, HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        var deleted = await webhooks.DeleteAsync(Caller(http), id, ct);
        return deleted.IsOk ? TypedResults.NoContent() : Error(deleted.Error);
    }

    static async Task<IResult> TestAsync(string id, HttpContext http, WebhookTestRun test, CancellationToken ct)
    {
        var run = await test.RunAsync(Caller(http), id, ct);
        return run.IsOk ? Json(w => WebhookJson.WriteDelivery(w, run.Value)) : Error(run.Error);
    }

    static async Task<IResult> DeliveriesAsync(string id, string? status, int? limit, HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        var listed = await webhooks.DeliveriesAsync(Caller(http), id, status, limit ?? 50, ct);
        return listed.IsOk ? Json(w => WebhookJson.WriteDeliveries(w, listed.Value)) : Error(listed.Error);
    }

    static async Task<IResult> RedeliverAsync(string id, HttpContext http, WebhookService webhooks, WebhookDispatcher dispatcher, CancellationToken ct)
    {
        var queued = await webhooks.RedeliverAsync(Caller(http), id, ct);
        if (!queued.IsOk) return Error(queued.Error);
        dispatcher.Wake();
        return Json(w => WebhookJson.WriteDelivery(w, queued.Value), StatusCodes.Status202Accepted);
    }

    static Caller Caller(HttpContext http) =>
        CallerClaims.FromPrincipal(http.User, Channel) ?? throw new InvalidOperationException("/api/webhooks requires authentication.");

    static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) => ApiJson.Ok(write, status);

    static IResult Error(CrmError error) => ApiJson.Error(error);
}
