namespace RevOps.Server.Observability;

/// <summary>
/// The id that ties a request to the change-log rows it wrote: the caller's X-Request-Id when it
/// sent a usable one (so its own logs line up with ours), else ASP.NET's trace identifier; over
/// stdio, where there is no HTTP request, a fresh id per call. Every HTTP response echoes it.
/// </summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";
    const int MaxLength = 128;

    public static string Of(HttpContext http)
    {
        if (http.Items.TryGetValue(Header, out var known) && known is string id) return id;
        string? sent = http.Request.Headers[Header].ToString();
        id = IsUsable(sent) ? sent : http.TraceIdentifier;
        http.Items[Header] = id;
        return id;
    }

    /// <summary>The current HTTP request's id, or a new one for a call that came without HTTP.</summary>
    public static string Current(IServiceProvider services) =>
        services.GetService<IHttpContextAccessor>()?.HttpContext is { } http ? Of(http) : "local-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>
    /// Echoes the request id on every response, before anything writes the body, and makes it the
    /// trace identifier so logs, change-log and audit rows all carry the same id.
    /// </summary>
    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.TraceIdentifier = Of(http);
        http.Response.Headers[Header] = http.TraceIdentifier;
        return next(http);
    });

    // Letters, digits and - _ . : only: the id goes back out in a header and into log lines and audit rows, so it cannot forge either.
    static bool IsUsable(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
