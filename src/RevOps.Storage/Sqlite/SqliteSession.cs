using Microsoft.Data.Sqlite;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// One open connection with its prepared statements kept for reuse: the same SQL text gets the
/// same prepared command every time, so hot queries are parsed once per connection.
/// </summary>
internal sealed class SqliteSession : SqlSession, IDisposable
{
    const int MaxCachedStatements = 512;
    readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    public override SqlDialect Dialect => SqliteDialect.Instance;

    /// <summary>The prepared command for <paramref name="sql"/>, with no parameters bound.</summary>
    public override SqliteCommand Command(string sql)
    {
        Domain.Telemetry.SqlStatements.Count();
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }
        if (_commands.Count >= MaxCachedStatements) ClearCache();
        command = Connection.CreateCommand();
        command.CommandText = sql;
        // Without Prepare, Microsoft.Data.Sqlite keeps the compiled statement only when a run reads
        // its command to the end; a reader closed after its rows recompiled the SQL every time.
        command.Prepare();
        _commands[sql] = command;
        return command;
    }

    public void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    void ClearCache()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }

    public void Dispose()
    {
        ClearCache();
        Connection.Dispose();
    }
}
