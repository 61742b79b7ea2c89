using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// The one connection that writes. Concurrent write requests queue here; the writer takes all
/// that are waiting, runs each inside its own savepoint in one transaction and commits once
/// (group commit: one fsync for many writes). A request's task completes only after the
/// commit is durable, so nothing acknowledged is lost; a request that fails rolls back alone.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    const int MaxBatch = 512;
    static long s_queued;
    static readonly System.Diagnostics.Metrics.Histogram<int> BatchSizes = Domain.Telemetry.RevOpsMeters.Meter.CreateHistogram<int>(
        "revops.write.batch_size", "{write}", "Writes committed together in one transaction (one fsync).",
        advice: new System.Diagnostics.Metrics.InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    static SqliteWriter() =>
        Domain.Telemetry.RevOpsMeters.Meter.CreateObservableGauge("revops.write.queue_depth", () => Interlocked.Read(ref s_queued), "{write}",
            "Writes waiting for the single writer.");
    readonly Channel<IWriteRequest> _queue = Channel.CreateUnbounded<IWriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    readonly SqliteSession _session;
    readonly Task _loop;

    public SqliteWriter(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        _session = new SqliteSession(connection);
        // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss.
        // temp_store MEMORY: each request's savepoint journals the pages it first touches; on disk
        // that was hundreds of pwrite calls per commit to a throw-away file.
        _session.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;");
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Pulsed after each commit that appended to the change log.</summary>
    public ChangeSignal Changes { get; } = new();

    /// <summary>Used before the loop runs any request (migrations at start-up).</summary>
    public SqliteConnection Connection => _session.Connection;

    public Task<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken ct)
    {
        var request = new WriteRequest<T>(work);
        if (!_queue.Writer.TryWrite(request))
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteWriter), "The database is closing."));
        Interlocked.Increment(ref s_queued);
        return request.Task.WaitAsync(ct);
    }

    async Task RunAsync()
    {
        var batch = new List<IWriteRequest>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var request)) batch.Add(request);
            if (batch.Count == 0) continue;
            Interlocked.Add(ref s_queued, -batch.Count);
            BatchSizes.Record(batch.Count);
            Commit(batch);
            batch.Clear();
        }
    }

    void Commit(List<IWriteRequest> batch)
    {
        _session.ChangeAppended = false;
        try
        {
            _session.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception e)
        {
            foreach (var request in batch) request.Fail(e);
            return;
        }

        var succeeded = new List<IWriteRequest>(batch.Count);
        var failed = new List<(IWriteRequest Request, Exception Error)>();
        foreach (var request in batch)
        {
            _session.Execute("SAVEPOINT w");
            try
            {
                request.Run(_session);
                _session.Execute("RELEASE w");
                succeeded.Add(request);
            }
            catch (Exception e)
            {
                _session.Execute("ROLLBACK TO w; RELEASE w");
                failed.Add((request, e));
            }
        }

        try
        {
            _session.Execute("COMMIT");
        }
        catch (Exception e)
        {
            // A failed COMMIT may already have rolled back; a second ROLLBACK then reports "no transaction".
            try { _session.Execute("ROLLBACK"); } catch (SqliteException) { }
            foreach (var request in succeeded) request.Fail(e);
            foreach (var (request, error) in failed) request.Fail(error);
            return;
        }
        if (_session.ChangeAppended && succeeded.Count > 0) Changes.Pulse();
        foreach (var request in succeeded) request.Complete();
        // Failures are reported after the commit: a request that lost to another in the same batch
        // (a taken idempotency key, a unique value) then reads the winner's committed state.
        foreach (var (request, error) in failed) request.Fail(error);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _session.Dispose();
    }

    interface IWriteRequest
    {
        void Run(SqliteSession session);
        void Complete();
        void Fail(Exception error);
    }

    sealed class WriteRequest<T>(Func<SqliteSession, T> work) : IWriteRequest
    {
        readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T? _result;

        public Task<T> Task => _done.Task;

        public void Run(SqliteSession session) => _result = work(session);

        public void Complete() => _done.TrySetResult(_result!);

        public void Fail(Exception error) => _done.TrySetException(error);
    }
}
