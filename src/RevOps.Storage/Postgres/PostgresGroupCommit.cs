using System.Collections.Concurrent;
using Npgsql;
using RevOps.Domain.Tenancy;

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

    public Task<T> WriteAsync<T>(TenantId tenant, Func<PostgresSession, Task<T>> work, CancellationToken ct)
    {
        var request = new WriteRequest<T>(work, ct);
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
                foreach (var request in batch)
                {
                    // The write's savepoint (and the last one's release) leads its first statement: no round trip of its own.
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

    sealed class WriteRequest<T>(Func<PostgresSession, Task<T>> work, CancellationToken ct) : IWriteRequest
    {
        readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T? _result;

        public Task<T> Task => _done.Task;

        public async Task RunAsync(PostgresSession session) => _result = await work(session);

        public bool GiveUpIfCancelled()
        {
            if (!ct.IsCancellationRequested) return false;
            _done.TrySetCanceled(ct);
            return true;
        }

        public void Complete() => _done.TrySetResult(_result!);

        public void Fail(Exception error) => _done.TrySetException(error);
    }
}
