using System.Collections.Concurrent;
using Npgsql;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Group commit for one node's writes to PostgreSQL, per tenant. A tenant's writes serialize on its row anyway (the change
/// sequence is taken under that row's lock and held to COMMIT, so the change feed never skips a number); writes that queue
/// behind one another on this node therefore share a transaction and one COMMIT, each inside its own savepoint, as
/// <see cref="Sqlite.SqliteWriter"/> does for the whole SQLite file. A write alone runs without a savepoint. A request's task
/// completes only after the COMMIT returned, so nothing acknowledged is lost; a request that fails rolls back alone.
/// </summary>
internal sealed class PostgresGroupCommit(NpgsqlDataSource tenantSource, ChangeSignal changes, Action onBrokenConnection)
{
    /// <summary>
    /// Each write that changes rows gets a subtransaction id; past 64 in one transaction PostgreSQL's per-backend cache
    /// overflows and every other session's snapshot checks consult pg_subtrans on disk instead. A released savepoint's id
    /// stays in that cache until COMMIT (only a rolled-back one leaves it), so releasing them does not raise the bound.
    /// </summary>
    const int MaxBatch = 60;

    readonly ConcurrentDictionary<TenantId, TenantQueue> _queues = new();

    public Task<T> WriteAsync<T>(TenantId tenant, Func<PostgresSession, Task<T>> work, CancellationToken ct) =>
        Enqueue(tenant, new WorkWrite<T>(work, ct), ct);

    /// <summary>A write of statements known up front (<see cref="Sql.SqlDatabase.WriteStatementsAsync"/>): consecutive ones in a batch share a round trip.</summary>
    public Task<T> WriteStatementsAsync<T>(TenantId tenant, Func<SqlSession, SqlStatements> statements, Func<SqlSession, object?, T> result, CancellationToken ct) =>
        Enqueue(tenant, new StatementsWrite<T>(statements, result, ct), ct);

    Task<T> Enqueue<T>(TenantId tenant, WriteRequest<T> request, CancellationToken ct)
    {
        var queue = _queues.GetOrAdd(tenant, static t => new TenantQueue(t));
        bool lead;
        lock (queue)
        {
            queue.Pending.Add(request);
            lead = !queue.Draining;
            queue.Draining = true;
        }
        // The first writer to find the queue idle drains it until it is empty; the others wait for their commit.
        if (lead) _ = Task.Run(() => DrainAsync(queue));
        return request.Task.WaitAsync(ct);
    }

    async Task DrainAsync(TenantQueue queue)
    {
        var batch = new List<IWriteRequest>(MaxBatch);
        while (true)
        {
            lock (queue)
            {
                int take = Math.Min(MaxBatch, queue.Pending.Count);
                if (take == 0)
                {
                    queue.Draining = false;
                    return;
                }
                batch.AddRange(queue.Pending.GetRange(0, take));
                queue.Pending.RemoveRange(0, take);
            }
            // A caller that gave up before its turn is not run at all.
            batch.RemoveAll(request => request.GiveUpIfCancelled());
            if (batch.Count > 0)
            {
                Sql.WriteBatches.Sizes.Record(batch.Count);
                await CommitAsync(queue.Tenant, batch);
            }
            batch.Clear();
        }
    }

    async Task CommitAsync(TenantId tenant, List<IWriteRequest> batch)
    {
        var succeeded = new List<IWriteRequest>(batch.Count);
        var failed = new List<(IWriteRequest Request, Exception Error)>();
        try
        {
            await using var connection = await tenantSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
            await using var session = new PostgresSession(connection, tenant);
            if (batch.Count == 1)
            {
                await batch[0].RunAsync(session);
                succeeded.Add(batch[0]);
            }
            else
            {
                for (int next = 0; next < batch.Count;)
                {
                    int end = next, statements = 0;
                    while (end < batch.Count && batch[end] is IStatementsWrite write
                           && (statements += write.Count(session) + LeadsPerWrite) <= PostgresSession.MaxBatchStatements)
                        end++;
                    if (end - next >= 2) next = await RunTogetherAsync(session, batch, next, end, succeeded, failed);
                    else await RunAloneAsync(session, batch[next++], succeeded, failed);
                }
            }
            await transaction.CommitAsync();
            if (session.ChangeAppended) changes.Pulse();
        }
        catch (Exception e)
        {
            if (IsBroken(e)) onBrokenConnection();
            foreach (var (request, error) in failed) request.Fail(error);
            // The rest with this error: the writes that had run (their COMMIT did not happen), the one running when it came
            // (alone, or the connection broke under it) and those not reached. A request fails or completes once.
            foreach (var request in batch) request.Fail(e);
            return;
        }
        foreach (var request in succeeded) request.Complete();
        // Failures are reported after the commit: a write that lost to another in the same batch (a taken idempotency key,
        // a unique value) then reads the winner's committed state.
        foreach (var (request, error) in failed) request.Fail(error);
    }

    /// <summary>A write's savepoint and the release of the one before; the batch's first also enters the tenant.</summary>
    const int LeadsPerWrite = 3;

    /// <summary>A write of a batch on its own: its savepoint (and the last one's release) leads its first statement, no round trip of its own.</summary>
    static async Task RunAloneAsync(PostgresSession session, IWriteRequest request, List<IWriteRequest> succeeded, List<(IWriteRequest, Exception)> failed)
    {
        session.BeginWrite();
        try
        {
            await request.RunAsync(session);
            session.EndWrite();
            succeeded.Add(request);
        }
        catch (Exception e) when (!IsBroken(e))
        {
            failed.Add((request, e));
            // A write whose savepoint never reached the server sent nothing at all: nothing to undo, and the
            // savepoint standing is the write before's, which must not be rolled back to.
            if (session.EndWrite() is { } savepoint)
                await session.Command("ROLLBACK TO SAVEPOINT " + savepoint).ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Writes <paramref name="from"/> to <paramref name="to"/> (exclusive) of the batch, all of statements known up front, in one
    /// round trip: each queued write would otherwise wait for the round trip of the one before it, and the tenant's writes are a
    /// chain that only one connection at a time can extend. A write that fails is rolled back to its savepoint and fails alone,
    /// as <see cref="RunAloneAsync"/> would have it; those after it were not run and go on from the returned index.
    /// </summary>
    static async Task<int> RunTogetherAsync(PostgresSession session, List<IWriteRequest> batch, int from, int to, List<IWriteRequest> succeeded,
        List<(IWriteRequest, Exception)> failed)
    {
        var writes = new List<(IStatementsWrite Write, int At)>(to - from);
        var bound = new List<List<NpgsqlBatchCommand>>(to - from);
        for (int at = from; at < to; at++)
        {
            var write = (IStatementsWrite)batch[at];
            try
            {
                bound.Add(PostgresSession.Bound(write.Statements(session)));
                writes.Add((write, at));
            }
            catch (Exception e)
            {
                // Nothing of it was sent: it fails alone, as a write failing before its first statement does.
                failed.Add((write, e));
            }
        }
        if (writes.Count == 0) return to;
        var run = await session.ExecuteWritesAsync(bound);
        // Turning a value into an answer does not fail for a write that ran; if it did, its rows could not be undone alone any
        // more (the writes after it ran too), so the exception fails the whole batch, uncommitted.
        for (int i = 0; i < run.Values.Count; i++)
        {
            writes[i].Write.Ran(session, run.Values[i]);
            succeeded.Add(writes[i].Write);
        }
        if (run.Failure is null) return to;
        var (stopped, position) = writes[run.Values.Count];
        failed.Add((stopped, run.Failure));
        return position + 1;
    }

    /// <summary>
    /// The connection cannot go on. A cancelled statement (57014, a caller that gave up) is not: its savepoint is rolled back
    /// and the batch's other writes go on.
    /// </summary>
    static bool IsBroken(Exception e) =>
        PostgresDatabase.IsBrokenConnection(e) && e is not PostgresException { SqlState: PostgresErrorCodes.QueryCanceled }
        && e.InnerException is not PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };

    sealed class TenantQueue(TenantId tenant)
    {
        public TenantId Tenant { get; } = tenant;
        public List<IWriteRequest> Pending { get; } = [];
        public bool Draining;
    }

    interface IWriteRequest
    {
        Task RunAsync(PostgresSession session);
        bool GiveUpIfCancelled();
        void Complete();
        void Fail(Exception error);
    }

    /// <summary>A write whose statements are known before it runs: several of them can share one round trip.</summary>
    interface IStatementsWrite : IWriteRequest
    {
        /// <summary>Its statements, made once per request (what making them threw, thrown again).</summary>
        SqlStatements Statements(SqlSession session);

        /// <summary>How many statements it has; 0 if they cannot be made, and it then fails alone where it runs.</summary>
        int Count(SqlSession session);

        /// <summary>Its statements ran together with others' and returned <paramref name="value"/>.</summary>
        void Ran(SqlSession session, object? value);
    }

    abstract class WriteRequest<T>(CancellationToken ct) : IWriteRequest
    {
        readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        protected T? Result;
        protected CancellationToken Cancellation => ct;

        public Task<T> Task => _done.Task;

        public abstract Task RunAsync(PostgresSession session);

        public bool GiveUpIfCancelled()
        {
            if (!ct.IsCancellationRequested) return false;
            _done.TrySetCanceled(ct);
            return true;
        }

        public void Complete() => _done.TrySetResult(Result!);

        public void Fail(Exception error) => _done.TrySetException(error);
    }

    sealed class WorkWrite<T>(Func<PostgresSession, Task<T>> work, CancellationToken ct) : WriteRequest<T>(ct)
    {
        public override async Task RunAsync(PostgresSession session) => Result = await work(session);
    }

    sealed class StatementsWrite<T>(Func<SqlSession, SqlStatements> statements, Func<SqlSession, object?, T> result, CancellationToken ct)
        : WriteRequest<T>(ct), IStatementsWrite
    {
        SqlStatements? _statements;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? _unmade;

        public SqlStatements Statements(SqlSession session)
        {
            Make(session);
            _unmade?.Throw();
            return _statements!;
        }

        public int Count(SqlSession session)
        {
            Make(session);
            return _statements?.Count ?? 0;
        }

        void Make(SqlSession session)
        {
            if (_statements is not null || _unmade is not null) return;
            try { _statements = statements(session); }
            catch (Exception e) { _unmade = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
        }

        public void Ran(SqlSession session, object? value) => Result = result(session, value);

        public override async Task RunAsync(PostgresSession session) => Ran(session, await session.ExecuteEachAsync(Statements(session), Cancellation));
    }
}
