using RevOps.Storage;
using StackExchange.Redis;

namespace RevOps.Server.Cluster;

/// <summary>The nodes' notices over Redis pub/sub (--redis); <see cref="RedisLink"/> logs its outages itself.</summary>
public sealed class RedisNoticeLink(RedisLink redis) : INodeNoticeLink
{
    static readonly RedisChannel Channel = RedisChannel.Literal("revops:notices");

    int _subscribed;

    public string Kind => "Redis";

    public bool IsListening => redis.IsConnected && Volatile.Read(ref _subscribed) == 1;

    public void Publish(string message)
    {
        if (redis.Connection is not { } connection) return;
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

    public void Listen(Action<string> received, Action<Exception?> linkChanged, CancellationToken stopping) =>
        _ = redis.Started.ContinueWith(started =>
        {
            var connection = started.Result;
            connection.ConnectionRestored += (_, _) => Subscribe(connection, received);
            Subscribe(connection, received);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>Subscribes once, when Redis first answers; after that the client library subscribes again after every reconnect.</summary>
    void Subscribe(ConnectionMultiplexer connection, Action<string> received)
    {
        if (!connection.IsConnected || Interlocked.CompareExchange(ref _subscribed, 1, 0) != 0) return;
        try
        {
            connection.GetSubscriber().Subscribe(Channel, (_, message) => received((string?)message ?? ""));
        }
        catch (RedisException e)
        {
            Volatile.Write(ref _subscribed, 0);
            redis.Failed(e);
        }
    }
}
