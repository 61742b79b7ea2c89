using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Copies committed WAL pages into the database file on its own connection and thread, so the
/// writer never does it inside a commit. SQLite's automatic checkpoint runs in the COMMIT that
/// crosses 1,000 pages: up to 4 MB of page writes and a second fsync, paid by the batch of
/// requests that happened to be waiting. PASSIVE never blocks the writer or readers; under FULL
/// it syncs the WAL before copying and the database after, so a crash mid-checkpoint loses nothing.
/// <para>
/// Under steady writes a PASSIVE round never catches up: the writer appends while it copies, so the WAL never restarts
/// from its beginning and grows without bound (1.5 GB in 16 s of creates), every commit extending the file. Once the WAL
/// holds <see cref="RestartBytes"/> of frames this asks the writer (<see cref="SqliteWriter.RequestWalRestart"/>) for a checkpoint of
/// its own between two batches: it copies only what arrived since this round, and with nothing written meanwhile it
/// copies everything, so the writer's next commit starts the WAL again from its beginning, over blocks the file already has.
/// </para>
/// </summary>
internal sealed class SqliteWalCheckpointer : IDisposable
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>WAL bytes that make the writer catch up: about 50 single creates, or 25 commits of 8 at full load.</summary>
    const long RestartBytes = 4 * 1024 * 1024;

    /// <summary><see cref="RestartBytes"/> in frames of this file's pages (2 KiB for files made since round 7, 4 KiB before).</summary>
    readonly long _restartFrames;

    readonly Action _restartWanted;

    readonly SqliteSession _session;
    readonly CancellationTokenSource _stop = new();
    readonly Thread _thread;

    public SqliteWalCheckpointer(string connectionString, Action restartWanted)
    {
        _restartWanted = restartWanted;
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        _session = new SqliteSession(connection);
        _session.Execute("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 100;");
        _restartFrames = RestartBytes / (long)_session.Command("PRAGMA page_size").ExecuteScalar()!;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoint" };
        _thread.Start();
    }

    void Run()
    {
        var token = _stop.Token;
        while (!token.WaitHandle.WaitOne(Interval))
        {
            try
            {
                // One row: busy, the WAL's frames, the frames now in the database.
                using var result = _session.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteReader();
                if (result.Read() && result.GetInt64(1) >= _restartFrames) _restartWanted();
            }
            catch (SqliteException)
            {
                // Busy or locked (another process checkpointing, the file closing): the next round tries again.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _session.Dispose();
        _stop.Dispose();
    }
}
