using System.Globalization;
using System.Text.Json;
using RevOps.Server.Auth;

namespace RevOps.Server.Limits;

/// <summary>
/// Per-tenant rate limits on MCP, the Salesforce REST API and /api: a refused REST call is a 429
/// with Retry-After and Salesforce's REQUEST_LIMIT_EXCEEDED body; a refused MCP call is a 429
/// whose body is a JSON-RPC error saying when to retry. REST answers carry Sforce-Limit-Info.
/// </summary>
public static class RateLimitMiddleware
{
    public const int JsonRpcRateLimited = -32029;

    public static IApplicationBuilder UseTenantRateLimits(this IApplicationBuilder app) => app.UseWhen(
        http => http.Request.Path.StartsWithSegments("/mcp") || http.Request.Path.StartsWithSegments("/services/data") || http.Request.Path.StartsWithSegments("/api"),
        branch => branch.Use(async (http, next) =>
        {
            if (CallerClaims.FromPrincipal(http.User, CallerResolver.McpChannel) is not { } caller)
            {
                await next(http);
                return;
            }
            var decision = await http.RequestServices.GetRequiredService<TenantRateLimiter>().TryAcquireAsync(caller.Tenant, http.RequestAborted);
            bool rest = http.Request.Path.StartsWithSegments("/services/data");
            if (!decision.Allowed)
            {
                Observability.RequestMetrics.Refused(decision.Tier);
                http.RequestServices.GetRequiredService<Usage.UsageMeter>().RecordRateLimited(caller.Tenant,
                    rest ? "rest" : http.Request.Path.StartsWithSegments("/mcp") ? "mcp" : "api");
                await RefuseAsync(http, decision, rest);
                return;
            }
            if (rest)
            {
                long used = await http.RequestServices.GetRequiredService<DailyRequestCount>().CountAsync(caller.Tenant, http.RequestAborted);
                http.Response.Headers["Sforce-Limit-Info"] = string.Create(CultureInfo.InvariantCulture, $"api-usage={used}/{decision.Limit.Daily}");
            }
            await next(http);
        }));

    static async Task RefuseAsync(HttpContext http, TenantRateLimiter.Decision decision, bool rest)
    {
        double seconds = Math.Max(decision.RetryAfter.TotalSeconds, 0.1);
        string message = string.Create(CultureInfo.InvariantCulture,
            $"Rate limit exceeded: the {decision.Tier} tier allows {decision.Limit.PerSecond} requests per second (bursts of {decision.Limit.Burst}). Retry after {seconds:0.##} s.");
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        if (rest)
        {
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteString("errorCode", "REQUEST_LIMIT_EXCEEDED");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            await WriteRequestIdAsync(http, writer);
            writer.WriteStartObject("error");
            writer.WriteNumber("code", JsonRpcRateLimited);
            writer.WriteString("message", message);
            writer.WriteStartObject("data");
            writer.WriteNumber("retryAfterMs", (long)Math.Ceiling(seconds * 1000));
            writer.WriteString("tier", decision.Tier);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        await writer.FlushAsync(http.RequestAborted);
    }

    /// <summary>The refused request's JSON-RPC id, so the client can match the error to its call (null when it has none).</summary>
    static async Task WriteRequestIdAsync(HttpContext http, Utf8JsonWriter writer)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                id.WriteTo(writer);
                return;
            }
        }
        catch (JsonException)
        {
        }
        writer.WriteNullValue();
    }
}
