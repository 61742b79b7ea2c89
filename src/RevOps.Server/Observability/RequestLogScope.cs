using RevOps.Server.Auth;

namespace RevOps.Server.Observability;

/// <summary>
/// Every log line written while serving a request carries its tenant, key (or token user) id and
/// request id (see <see cref="Observability.RequestIds"/>), never key material or record contents.
/// </summary>
public static class RequestLogScope
{
    public static IApplicationBuilder UseRequestLogScope(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RevOps.Request");
        var caller = CallerClaims.FromPrincipal(http.User, CallerResolver.McpChannel);
        using (logger.BeginScope(new Dictionary<string, object?>
        {
            ["TenantId"] = caller?.Tenant.ToString(),
            ["KeyId"] = caller?.KeyId,
            ["UserId"] = caller?.ActorId,
            ["RequestId"] = http.TraceIdentifier,
        }))
        {
            await next(http);
        }
    });
}
