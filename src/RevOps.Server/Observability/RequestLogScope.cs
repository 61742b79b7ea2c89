using RevOps.Server.Auth;

namespace RevOps.Server.Observability;

/// <summary>
/// Every log line written while serving a request carries its tenant, key (or token user) id and
/// request id, never key material or record contents. The request id is the client's X-Request-ID
/// when it sends a sane one (so its logs and ours line up), ours otherwise, and is echoed back in
/// X-Request-ID; audit-log rows carry it too.
/// </summary>
public static class RequestLogScope
{
    public const string Header = "X-Request-ID";
    const int MaxLength = 64;

    public static IApplicationBuilder UseRequestLogScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers[Header].ToString() is { Length: > 0 and <= MaxLength } presented && presented.All(IsSafe))
            http.TraceIdentifier = presented;
        http.Response.Headers[Header] = http.TraceIdentifier;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RevOps.Request");
        var caller = CallerClaims.FromPrincipal(http.User, CallerResolver.McpChannel);
        using (logger.BeginScope(new Dictionary<string, object?>
        {
            ["TenantId"] = caller?.Tenant.ToString(),
            ["KeyId"] = caller?.ActorId,
            ["RequestId"] = http.TraceIdentifier,
        }))
        {
            await next(http);
        }
    });

    /// <summary>Letters, digits and - _ . : only, so an id cannot forge log lines or headers.</summary>
    static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';
}
