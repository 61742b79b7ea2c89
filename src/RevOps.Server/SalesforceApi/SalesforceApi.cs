using System.Diagnostics;
using RevOps.Server.Auth;
using RevOps.Server.Usage;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// The Salesforce-compatible REST API at /services: existing jsforce and simple-salesforce code
/// reaches the same data as MCP, with Salesforce's paths, shapes and status codes.
/// </summary>
public static class SalesforceApi
{
    /// <summary>Before routing: simple-salesforce puts a trailing slash on many paths; Salesforce accepts both forms.</summary>
    public static IApplicationBuilder UseSalesforcePaths(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var path = http.Request.Path.Value;
        if (path is { Length: > 1 } && path.EndsWith('/') && (path.StartsWith("/services/", StringComparison.Ordinal) || path.StartsWith("/id/", StringComparison.Ordinal)))
            http.Request.Path = path.TrimEnd('/');
        return next(http);
    });

    public static IEndpointRouteBuilder MapSalesforceApi(this IEndpointRouteBuilder app)
    {
        DiscoveryEndpoints.MapPublic(app);
        SoapEndpoint.Map(app);
        var data = app.MapGroup("/services/data/{version}").RequireAuthorization();
        DiscoveryEndpoints.MapAuthenticated(data, app);
        SObjectEndpoints.Map(data);
        ContentVersionEndpoints.Map(data);
        ReplicationEndpoints.Map(data);
        CollectionEndpoints.Map(data);
        CompositeEndpoint.Map(data);
        CompositeTreeEndpoint.Map(data);
        QueryEndpoints.Map(data);
        BulkIngestEndpoints.Map(data);
        BulkQueryEndpoints.Map(data);
        GraphApi.GraphEndpoint.Map(data);
        return app;
    }

    /// <summary>
    /// Salesforce clients parse only JSON arrays of errors: an unknown path, a wrong verb or a
    /// missing token under /services gets one instead of an empty body.
    /// </summary>
    public static IApplicationBuilder UseSalesforceErrorBodies(this IApplicationBuilder app) => app.UseWhen(
        http => http.Request.Path.StartsWithSegments("/services") || http.Request.Path.StartsWithSegments("/id"),
        branch => branch.Use(async (http, next) =>
        {
            long maxBody = BulkIngestEndpoints.IsUpload(http.Request) ? Domain.BulkJobs.BulkJobs.MaxUploadBytes
                : ContentVersionEndpoints.UploadLimit(http.Request) ?? http.RequestServices.GetRequiredService<Hosting.RevOpsOptions>().MaxRequestBytes;
            if (http.Request.ContentLength > maxBody)
            {
                await Limits.OversizedBodies.DrainAsync(http);
                await SfJson.Errors([TooLarge(maxBody)], StatusCodes.Status413PayloadTooLarge).ExecuteAsync(http);
                return;
            }
            Limits.OversizedBodies.LimitTo(http, maxBody);
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted && e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await SfJson.Errors([TooLarge(maxBody)], StatusCodes.Status413PayloadTooLarge).ExecuteAsync(http);
                return;
            }
            catch (Exception e) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // A bug of ours, not the client's: still a JSON array, with an id that finds the logged exception.
                string errorId = Guid.NewGuid().ToString("N")[..12];
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("RevOps.SalesforceApi")
                    .LogError(e, "Unhandled exception {ErrorId} on {Method} {Path}", errorId, http.Request.Method, http.Request.Path);
                http.Response.Clear();
                await SfJson.Errors([new SfError(500, "UNKNOWN_EXCEPTION", $"An unexpected error occurred. Please include this ErrorId if you contact support: {errorId}")], 500).ExecuteAsync(http);
                return;
            }
            if (http.Response.HasStarted || http.Response.ContentLength is > 0 || http.Response.ContentType is not null) return;
            SfError? error = http.Response.StatusCode switch
            {
                StatusCodes.Status401Unauthorized => SfError.InvalidSession(),
                StatusCodes.Status404NotFound => SfError.NotFound(),
                StatusCodes.Status405MethodNotAllowed => SfError.MethodNotAllowed(http.Request.Method, http.Response.Headers.Allow.ToString().Replace(", ", ",", StringComparison.Ordinal)),
                StatusCodes.Status415UnsupportedMediaType => SfError.JsonParser("Send the body as application/json."),
                _ => null,
            };
            if (error is not null) await SfJson.Errors([error], error.Status).ExecuteAsync(http);
        }));

    static SfError TooLarge(long maxBody) =>
        new(StatusCodes.Status413PayloadTooLarge, "REQUEST_ENTITY_TOO_LARGE", $"The request body is larger than the {maxBody:N0} bytes allowed. Send fewer records per request.");

    /// <summary>Counts every REST call per tenant, endpoint, outcome and latency, as MCP tool calls are counted.</summary>
    public static IApplicationBuilder UseSalesforceMetering(this IApplicationBuilder app) => app.UseWhen(
        http => http.Request.Path.StartsWithSegments("/services/data"),
        branch => branch.Use(async (http, next) =>
        {
            long started = Stopwatch.GetTimestamp();
            await next(http);
            if (CallerClaims.FromPrincipal(http.User, SfRequest.Channel) is not { } caller) return;
            string route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.Replace("/services/data/{version}", "", StringComparison.Ordinal) ?? "?";
            http.RequestServices.GetRequiredService<UsageMeter>()
                .Record(caller, $"rest {http.Request.Method} {(route.Length == 0 ? "/" : route)}", http.Response.StatusCode < 400, Stopwatch.GetElapsedTime(started));
        }));
}
