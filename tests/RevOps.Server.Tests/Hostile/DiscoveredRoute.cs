using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RevOps.Server.Tests.Hostile;

/// <summary>One HTTP endpoint of the running server (pattern and method), read from its EndpointDataSource.</summary>
public sealed record DiscoveredRoute(string Method, string Pattern)
{
    /// <summary>
    /// Paths the hostile suites drive some other way (/mcp over JSON-RPC), that carry no tenant data, or
    /// that never end: the live change stream answers until the client leaves (ChangesApiTests checks
    /// that it carries only the caller's tenant). The web console (/ and /console) takes no API key, only its
    /// sign-in cookie: ConsoleHostileTests drives it as a signed-in user of another tenant.
    /// </summary>
    static readonly string[] Skipped = ["/mcp", "/health", "/ready", "/metrics", "/api/changes/stream", "/", "/console"];

    public static IReadOnlyList<DiscoveredRoute> From(CrmServerFixture server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !Skipped.Any(s => raw == s || raw.StartsWith(s + "/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new DiscoveredRoute(m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> Parameters => System.Text.RegularExpressions.Regex.Matches(Pattern, @"\{([^}:?*]+)[^}]*\}").Select(m => m.Groups[1].Value).ToList();

    /// <summary>The pattern with each {parameter} replaced by the given value (escaped), the rest as is.</summary>
    public string Fill(Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(Pattern, @"\{\*{0,2}([^}:?*]+)[^}]*\}", m => Uri.EscapeDataString(value(m.Groups[1].Value)));

    public bool IsRead => Method is "GET" or "HEAD";
}
