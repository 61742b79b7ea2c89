using System.Threading.Channels;
using Npgsql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Notices between the nodes of one PostgreSQL database through LISTEN/NOTIFY, for deployments without
/// Redis: a node hears another's commit at once instead of at its next poll. Sending goes through a
/// queue drained by one loop, so a burst of commits becomes a few round trips and a write never waits
/// for it. Listening holds one connection of its own, outside the pool: a pooled connection is never
/// reset on return (see <see cref="PostgresDatabase.Open"/>), so it must never carry a LISTEN.
/// </summary>
internal sealed class PostgresNoticeLink(NpgsqlDataSource pool, string connectionString) : INodeNoticeLink
{
    public const string Channel = "revops_notices";

    /// <summary>PostgreSQL refuses a payload of 8000 bytes or more; ours are a few dozen.</summary>
    const int MaxPayload = 7_999;

    /// <summary>Notices sent in one round trip at most.</summary>
    const int MaxPerTrip = 64;

    /// <summary>Bounded: while the database is unreachable the oldest notices go first, and they were only hints.</summary>
    readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    int _sending;
    volatile bool _listening;

    public string Kind => "PostgreSQL";

    public bool IsListening => _listening;

    public void Publish(string message)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(message) > MaxPayload) return;
        _outbox.Writer.TryWrite(message);
        if (Interlocked.Exchange(ref _sending, 1) == 0) _ = Task.Run(SendLoopAsync);
    }

    async Task SendLoopAsync()
    {
        var batch = new List<string>(MaxPerTrip);
        while (await _outbox.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxPerTrip && _outbox.Reader.TryRead(out var message))
                if (!batch.Contains(message)) batch.Add(message);
            try
            {
                await using var connection = await pool.OpenConnectionAsync();
                await using var notify = connection.CreateCommand();
                notify.CommandText = "SELECT " + string.Join(", ", batch.Select((_, i) => $"pg_notify('{Channel}', @m{i})"));
                for (int i = 0; i < batch.Count; i++) notify.Parameters.AddWithValue("m" + i, batch[i]);
                await notify.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Dropped: each receiver still sees the change at its own next poll.
            }
        }
    }

    /// <summary>Ends the sending loop once what is queued has gone.</summary>
    public void Stop() => _outbox.Writer.TryComplete();

    public void Listen(Action<string> received, Action<Exception?> linkChanged, CancellationToken stopping) =>
        _ = Task.Run(() => ListenLoopAsync(received, linkChanged, stopping), CancellationToken.None);

    async Task ListenLoopAsync(Action<string> received, Action<Exception?> linkChanged, CancellationToken stopping)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15, ApplicationName = "revops-notices" };
        var delay = TimeSpan.FromMilliseconds(250);
        bool down = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, e) => received(e.Payload);
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = "LISTEN " + Channel;
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                _listening = true;
                down = false;
                linkChanged(null);
                delay = TimeSpan.FromMilliseconds(250);
                while (!stopping.IsCancellationRequested) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                _listening = false;
                if (!down) linkChanged(e);
                down = true;
                try { await Task.Delay(delay, stopping); } catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        _listening = false;
    }
}
