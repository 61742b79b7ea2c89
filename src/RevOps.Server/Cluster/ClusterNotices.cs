using System.Globalization;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage;
using StackExchange.Redis;

namespace RevOps.Server.Cluster;

/// <summary>
/// Tells the other nodes, through Redis pub/sub, what a write on this one made stale in theirs: a
/// revoked API key (dropped from their key caches at once instead of within a second), a tenant's
/// changed schema (instead of within five seconds), and a tenant's new changes (their change
/// streams and webhook dispatchers wake at once instead of at their next poll). Every record read
/// goes to the shared database, so no notice is needed for a record to be read back on another
/// node. A notice lost while Redis is down costs only that wait.
/// </summary>
public sealed partial class ClusterNotices(RedisLink redis, TenantService tenants, SchemaService schemas, StorageBackend storage, ILogger<ClusterNotices> logger) : IHostedService
{
    static readonly RedisChannel Channel = RedisChannel.Literal("revops:notices");
    // Each process's own notices come back to it from Redis; the origin lets it skip them.
    readonly string _origin = Guid.NewGuid().ToString("N");

    const string KeyRevoked = "key";
    const string SchemaChanged = "schema";
    const string ChangesCommitted = "changes";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        tenants.KeyRevoked += OnKeyRevoked;
        schemas.Changed += OnSchemaChanged;
        storage.ChangesCommitted += OnChangesCommitted;
        _ = redis.Started.ContinueWith(started =>
        {
            var connection = started.Result;
            connection.ConnectionRestored += (_, _) => Subscribe(connection);
            Subscribe(connection);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    int _subscribed;

    /// <summary>Subscribes once, when Redis first answers; after that the client library subscribes again after every reconnect.</summary>
    void Subscribe(ConnectionMultiplexer connection)
    {
        if (!connection.IsConnected || Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0) return;
        try
        {
            connection.GetSubscriber().Subscribe(Channel, (_, message) => Receive(message));
        }
        catch (RedisException e)
        {
            Volatile.Write(ref _subscribed, 0);
            redis.Failed(e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tenants.KeyRevoked -= OnKeyRevoked;
        schemas.Changed -= OnSchemaChanged;
        storage.ChangesCommitted -= OnChangesCommitted;
        return Task.CompletedTask;
    }

    void OnKeyRevoked(string hash) => Publish(KeyRevoked, hash, null);

    void OnSchemaChanged(TenantId tenant) => Publish(SchemaChanged, tenant.ToString(), null);

    void OnChangesCommitted(TenantId tenant, long latestSeq) => Publish(ChangesCommitted, tenant.ToString(), latestSeq.ToString(CultureInfo.InvariantCulture));

    void Publish(string kind, string subject, string? detail)
    {
        if (redis.Connection is not { } connection) return;
        string message = detail is null ? $"{_origin}|{kind}|{subject}" : $"{_origin}|{kind}|{subject}|{detail}";
        try
        {
            // Fire and forget: a commit never waits for Redis.
            connection.GetSubscriber().Publish(Channel, message, CommandFlags.FireAndForget);
        }
        catch (Exception e)
        {
            // Raised on a write's path after its commit: whatever Redis's client throws (a dropped link, a
            // connection disposed at shutdown), the write stays acknowledged and only the notice is lost.
            redis.Failed(e);
        }
    }

    void Receive(RedisValue value)
    {
        var parts = ((string?)value ?? "").Split('|');
        if (parts.Length < 3 || parts[0] == _origin) return;
        switch (parts[1])
        {
            case KeyRevoked:
                tenants.ForgetKey(parts[2]);
                break;
            case SchemaChanged when TenantId.TryParse(parts[2], out var tenant):
                schemas.Forget(tenant);
                break;
            case ChangesCommitted when parts.Length == 4 && TenantId.TryParse(parts[2], out var tenant)
                                       && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out long seq):
                storage.WakeForCommitElsewhere(tenant, seq);
                break;
            default:
                LogUnknown(parts[1]);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a cluster notice of kind '{Kind}' (from a newer or older version?)")]
    partial void LogUnknown(string kind);
}
