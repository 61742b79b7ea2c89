using System.Net;

namespace RevOps.Bench;

/// <summary>The load generator's one HTTP client: HTTP/1.1, long-lived pooled connections, nothing the server does not need.</summary>
public static class BenchHttp
{
    public static SocketsHttpHandler Handler(int maxConcurrency) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromHours(1),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = Math.Max(64, maxConcurrency * 2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ActivityHeadersPropagator = null,
    };

    public static HttpClient Client(SocketsHttpHandler handler) => new(handler, disposeHandler: false)
    {
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
}
