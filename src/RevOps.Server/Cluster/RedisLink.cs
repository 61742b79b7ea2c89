using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace RevOps.Server.Cluster;

/// <summary>
/// This node's connection to the deployment's Redis (--redis). Redis helps the nodes agree; it is
/// never what keeps one serving: the connection is made in the background and remade by the
/// client library, commands fail at once instead of queueing while it is down, and every user
/// falls back to what one node can do alone (its own rate buckets, cache entries that expire by
/// themselves). Each outage is logged once when it starts and once when it ends.
/// </summary>
public sealed partial class RedisLink : IAsyncDisposable
{
    readonly Task<ConnectionMultiplexer> _connecting;
    readonly ILogger<RedisLink> _logger;
    readonly string _endpoint;
    int _down;

    public RedisLink(string configuration, ILogger<RedisLink> logger)
    {
        _logger = logger;
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = 2_000;
        options.AsyncTimeout = 1_000;
        options.SyncTimeout = 1_000;
        options.ClientName ??= "revops";
        _endpoint = string.Join(",", options.EndPoints.Select(e => e.ToString()));
        _connecting = ConnectAsync(options);
        RevOps.Domain.Telemetry.RevOpsMeters.Meter.CreateObservableGauge("revops.redis.connected", () => IsConnected ? 1 : 0, "{connection}",
            "1 while this node reaches Redis; 0 while rate limits are counted per node and cache invalidations wait for expiry.");
    }

    /// <summary>Why --redis cannot be used as given, or null when it parses.</summary>
    public static string? Problem(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count == 0
                ? $"--redis '{configuration}' names no server; give host:port, e.g. localhost:6379 (options after a comma, e.g. localhost:6379,password=…)."
                : null;
        }
        catch (ArgumentException e)
        {
            return $"--redis '{configuration}' is not a Redis configuration ({e.Message}); give host:port, e.g. localhost:6379.";
        }
    }

    async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions options)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(options);
        redis.ConnectionFailed += (_, e) => MarkDown(e.FailureType + (e.Exception is { } x ? ": " + x.Message : ""));
        redis.ConnectionRestored += (_, _) => MarkUp();
        if (redis.IsConnected) LogConnected(_endpoint);
        else MarkDown("no answer at start-up");
        return redis;
    }

    /// <summary>The connection when it is up now; null while Redis is unreachable or still being reached.</summary>
    public IConnectionMultiplexer? Connection =>
        _connecting.IsCompletedSuccessfully && _connecting.Result.IsConnected ? _connecting.Result : null;

    public bool IsConnected => Connection is not null;

    /// <summary>Completes when the first connection attempt has ended, whatever its outcome.</summary>
    public Task<ConnectionMultiplexer> Started => _connecting;

    /// <summary>A command failed although the link looked up: counts as the start of an outage.</summary>
    public void Failed(Exception error) => MarkDown(error.Message);

    void MarkDown(string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0) LogDown(_endpoint, reason);
    }

    void MarkUp()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1) LogUp(_endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connecting.IsCompletedSuccessfully) await _connecting.Result.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoint} connected: rate limits are counted across nodes and cache invalidations reach every node")]
    partial void LogConnected(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint} is unreachable ({Reason}); serving on: rate limits are counted per node and other nodes' key revocations and schema changes are seen when cache entries expire (1-5 s), until it is back")]
    partial void LogDown(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoint} is reachable again: rate limits and cache invalidations are shared across nodes again")]
    partial void LogUp(string endpoint);
}
