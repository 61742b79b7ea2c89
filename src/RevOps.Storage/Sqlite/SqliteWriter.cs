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

    static readonly System.Diagnostics.Metrics.InstrumentAdvice<double> PhaseBuckets = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    };
    static readonly System.Diagnostics.Metrics.Histogram<double> RunDurations = Domain.Telemetry.RevOpsMeters.Meter.CreateHistogram<double>(
        "revops.write.run.duration", "s", "Time the single writer spent running one batch's statements, before COMMIT.", advice: PhaseBuckets);
    static readonly System.Diagnostics.Metrics.Histogram<double> CommitDurations = Domain.Telemetry.RevOpsMeters.Meter.CreateHistogram<double>(
        "revops.write.commit.duration", "s", "Time one COMMIT took, its fsync included.", advice: PhaseBuckets);

    static SqliteWriter() =>
        Domain.Telemetry.RevOpsMeters.Meter.CreateObservableGauge("revops.write.queue_depth", () => Interlocked.Read(ref s_queued), "{write}",
            "Writes waiting for the single writer.");
    readonly Channel<IWriteRequest> _queue = Channel.CreateUnbounded<IWriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    readonly SqliteSession _session;
    readonly SqliteFullTextQueue _fullText = new();
    readonly Thread _thread;
    volatile bool _restartWal;

    public SqliteWriter(string connectionString)
    {
        var connection = new SqliteConnection();
        // The WAL's frames go to the file in one write per commit (SqliteWalAppends), which needs synchronous=FULL, set below.
        var settings = new SqliteConnectionStringBuilder(connectionString);
        settings.DataSource = SqliteWalAppends.DataSource(settings.DataSource);
        connection.ConnectionString = settings.ConnectionString;
        connection.Open();
        _session = new SqliteSession(connection);
        // page_size 2048, for a new file only (an existing file keeps its own; only a VACUUM could change it): a create
        // dirties some 30 pages across its B-trees, so its commit writes and syncs about half the WAL bytes it did with
        // 4 KiB pages (bench/results/2026-12-07-round-7.md: creates and small commits faster, full scans and bulk imports
        // a little slower).
        // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss.
        // temp_store MEMORY: each request's savepoint journals the pages it first touches; on disk
        // that was hundreds of pwrite calls per commit to a throw-away file.
        // wal_autocheckpoint 0: the SqliteWalCheckpointer copies pages back on its own connection, outside any commit;
        // journal_size_limit keeps the WAL file from staying at its high-water mark once it restarts.
        _session.Execute("PRAGMA page_size = 2048; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; " +
            "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;");
        // Its own thread, not the pool's: a commit blocks in fsync for a millisecond or more, and on a
        // two-core machine the pool has two threads to run every request with.
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite writer" };
        _thread.Start();
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

    void Run()
    {
        var batch = new List<IWriteRequest>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.TryPeek(out _) || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var request)) batch.Add(request);
            if (batch.Count == 0) continue;
            Interlocked.Add(ref s_queued, -batch.Count);
            Sql.WriteBatches.Sizes.Record(batch.Count);
            Commit(batch);
            batch.Clear();
            if (_restartWal) CatchUpCheckpoint();
        }
    }

    /// <summary>Asks for <see cref="CatchUpCheckpoint"/> after the current batch (<see cref="SqliteWalCheckpointer"/>).</summary>
    public void RequestWalRestart() => _restartWal = true;

    /// <summary>
    /// A PASSIVE checkpoint between two batches, when no frame can arrive while it copies: it catches up with everything
    /// committed, so the next commit restarts the WAL from its beginning (unless a reader still holds an older snapshot;
    /// then a later round asks again). A commit that overwrites WAL blocks syncs faster than one that extends the file
    /// (no size change for the file system to journal), and the WAL stays a few MiB instead of growing for as long as
    /// writes keep coming. Busy (the background round is copying) is left to the next request.
    /// </summary>
    void CatchUpCheckpoint()
    {
        _restartWal = false;
        try
        {
            using var result = _session.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteReader();
            while (result.Read()) { }
        }
        catch (SqliteException)
        {
            // Locked (the file closing, another process checkpointing): the background round asks again.
        }
    }

    void Commit(List<IWriteRequest> batch)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        _session.ChangeAppended = false;
        try
        {
            Control("BEGIN IMMEDIATE");
        }
        catch (Exception e)
        {
            foreach (var request in batch) request.Fail(e);
            return;
        }

        if (batch.Count == 1)
        {
            CommitAlone(batch[0], started);
            return;
        }
        var succeeded = new List<IWriteRequest>(batch.Count);
        var failed = new List<(IWriteRequest Request, Exception Error)>();
        foreach (var request in batch)
        {
            Control("SAVEPOINT w");
            try
            {
                request.Run(_session);
                Control("RELEASE w");
                succeeded.Add(request);
            }
            catch (Exception e)
            {
                Control("ROLLBACK TO w");
                Control("RELEASE w");
                failed.Add((request, e));
            }
        }

        long ran;
        try
        {
            // Part of the run (the statements' work), not of the commit's: the queued documents' full-text terms.
            _fullText.Flush(_session);
            ran = System.Diagnostics.Stopwatch.GetTimestamp();
            Control("COMMIT");
        }
        catch (Exception e)
        {
            // A failed COMMIT may already have rolled back; a second ROLLBACK then reports "no transaction".
            try { _session.Execute("ROLLBACK"); } catch (SqliteException) { }
            foreach (var request in succeeded) request.Fail(e);
            foreach (var (request, error) in failed) request.Fail(error);
            return;
        }
        RunDurations.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started, ran).TotalSeconds);
        CommitDurations.Record(System.Diagnostics.Stopwatch.GetElapsedTime(ran).TotalSeconds);
        if (_session.ChangeAppended && succeeded.Count > 0) Changes.Pulse();
        foreach (var request in succeeded) request.Complete();
        // Failures are reported after the commit: a request that lost to another in the same batch
        // (a taken idempotency key, a unique value) then reads the winner's committed state.
        foreach (var (request, error) in failed) request.Fail(error);
    }

    /// <summary>
    /// A request alone in its transaction runs without a savepoint: its failure rolls the whole transaction back. Inside a
    /// savepoint SQLite truncates its in-memory sub-journal back to the savepoint's start after every statement, walking the
    /// journal from its first page; a request of thousands of rows (an import's batch) then spent most of its time there,
    /// quadratic in the pages it had written.
    /// </summary>
    void CommitAlone(IWriteRequest request, long started)
    {
        try
        {
            request.Run(_session);
        }
        catch (Exception e)
        {
            try { Control("ROLLBACK"); } catch (SqliteException) { }
            request.Fail(e);
            return;
        }
        long ran;
        try
        {
            // Part of the run (the statements' work), not of the commit's: the queued documents' full-text terms.
            _fullText.Flush(_session);
            ran = System.Diagnostics.Stopwatch.GetTimestamp();
            Control("COMMIT");
        }
        catch (Exception e)
        {
            try { _session.Execute("ROLLBACK"); } catch (SqliteException) { }
            request.Fail(e);
            return;
        }
        RunDurations.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started, ran).TotalSeconds);
        CommitDurations.Record(System.Diagnostics.Stopwatch.GetElapsedTime(ran).TotalSeconds);
        if (_session.ChangeAppended) Changes.Pulse();
        request.Complete();
    }

    /// <summary>Transaction control through the session's prepared statements: parsed once, not per request.</summary>
    void Control(string sql) => _session.Command(sql).ExecuteNonQuery();

    public ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
        _session.Dispose();
        return ValueTask.CompletedTask;
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
