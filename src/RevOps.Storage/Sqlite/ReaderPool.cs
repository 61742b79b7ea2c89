using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Read-only connections for parallel reads under WAL. Each keeps its prepared statements, so
/// a connection is leased for one read and handed back rather than closed.
/// </summary>
internal sealed class ReaderPool(string connectionString, int maxIdle) : IDisposable
{
    readonly ConcurrentBag<SqliteSession> _idle = [];
    int _idleCount;

    public Lease Rent()
    {
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, session);
        }
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var fresh = new SqliteSession(connection);
        // A small page cache and no memory map: every connection keeps its own cache and its own mapping, so
        // 16 MiB caches and 256 MiB maps grew the server's RSS with each pooled reader (a 1M-contact tenant's
        // searches took it past 550 MiB). Pages a cache misses are read from the OS page cache, which is
        // shared and not the server's memory; a miss costs a few microseconds.
        fresh.Execute("PRAGMA query_only = 1; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -4096; PRAGMA mmap_size = 0;");
        return new Lease(this, fresh);
    }

    void Return(SqliteSession session)
    {
        if (Interlocked.Increment(ref _idleCount) <= maxIdle) _idle.Add(session);
        else
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var session)) session.Dispose();
    }

    public readonly struct Lease(ReaderPool pool, SqliteSession session) : IDisposable
    {
        public SqliteSession Session => session;

        public void Dispose() => pool.Return(session);
    }
}
