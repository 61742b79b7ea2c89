using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Read-only connections for parallel reads under WAL, at most <paramref name="maxOpen"/> of them. Each
/// keeps its prepared statements and its page cache, so a connection is leased for one read and handed
/// back rather than closed. A read that finds every connection busy waits for one: reads are CPU-bound,
/// so more connections than cores buy no throughput, while each one holds its own cache. Unbounded, the
/// pool followed the thread pool's growth under load (17 readers in a soak) and the server's RSS with it.
/// </summary>
internal sealed class SqliteReaderPool(string connectionString, int maxOpen) : IDisposable
{
    /// <summary>A read waits at most this long for a connection; longer means reads are stuck, which is a bug to surface.</summary>
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    readonly ConcurrentBag<SqliteSession> _idle = [];
    readonly SemaphoreSlim _slots = new(maxOpen, maxOpen);

    public Lease Rent()
    {
        if (!_slots.Wait(MaxWait))
            throw new TimeoutException($"No SQLite reader connection became free within {MaxWait.TotalSeconds:0} s ({maxOpen} open).");
        if (_idle.TryTake(out var session)) return new Lease(this, session);
        try
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            var fresh = new SqliteSession(connection);
            // A small page cache and no memory map: every connection keeps its own cache and its own mapping, so
            // 16 MiB caches and 256 MiB maps grew the server's RSS with each reader (a 1M-contact tenant's
            // searches took it past 550 MiB). Pages a cache misses are read from the OS page cache, which is
            // shared and not the server's memory; a miss costs a few microseconds.
            fresh.Execute("PRAGMA query_only = 1; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -4096; PRAGMA mmap_size = 0; PRAGMA temp_store = MEMORY;");
            return new Lease(this, fresh);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    void Return(SqliteSession session)
    {
        _idle.Add(session);
        _slots.Release();
    }

    public void Dispose()
    {
        // The semaphore stays usable: a read still running hands its connection back after this.
        while (_idle.TryTake(out var session)) session.Dispose();
    }

    public readonly struct Lease(SqliteReaderPool pool, SqliteSession session) : IDisposable
    {
        public SqliteSession Session => session;

        public void Dispose() => pool.Return(session);
    }
}
