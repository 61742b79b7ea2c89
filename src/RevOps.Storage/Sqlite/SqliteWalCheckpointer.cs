using Microsoft.Data.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Copies committed WAL pages into the database file on its own connection and thread, so the
/// writer never does it inside a commit. SQLite's automatic checkpoint runs in the COMMIT that
/// crosses 1,000 pages: up to 4 MB of page writes and a second fsync, paid by the batch of
/// requests that happened to be waiting. PASSIVE never blocks the writer or readers; under FULL
/// it syncs the WAL before copying and the database after, so a crash mid-checkpoint loses nothing.
/// </summary>
internal sealed class SqliteWalCheckpointer : IDisposable
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    readonly SqliteSession _session;
    readonly CancellationTokenSource _stop = new();
    readonly Thread _thread;

    public SqliteWalCheckpointer(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        _session = new SqliteSession(connection);
        _session.Execute("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 100;");
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
                _session.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteNonQuery();
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
