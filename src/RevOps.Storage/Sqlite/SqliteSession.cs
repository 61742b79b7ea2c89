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

    /// <summary>The write path's statements bound by position (<see cref="SqliteStatement"/>); null for a text only a command can run.</summary>
    readonly Dictionary<string, SqliteStatement?> _statements = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Runs the statements in order, as <see cref="SqlSession.ExecuteEachAsync"/> does, each prepared once per connection and bound
    /// by position (<see cref="SqliteStatement"/>); a statement that gets a value it cannot bind runs as a command.
    /// </summary>
    public override Task<object?> ExecuteEachAsync(SqlStatements statements, CancellationToken ct)
    {
        object? first = null;
        for (int i = 0; i < statements.Count; i++)
        {
            string sql = statements.Sql(i);
            if (Statement(sql) is { } statement)
            {
                statements.Bind(statement, i);
                if (!statement.Unsupported)
                {
                    // Counted here, not before the binding: a statement that goes on to run as a command is counted by Command.
                    Domain.Telemetry.SqlStatements.Count();
                    var value = statement.Run();
                    first ??= value;
                    continue;
                }
                statement.Reset();
            }
            var command = Command(sql);
            statements.Bind(command, i);
            if (first is null) first = command.ExecuteScalar();
            else command.ExecuteNonQuery();
        }
        return Task.FromResult(first);
    }

    SqliteStatement? Statement(string sql)
    {
        if (_statements.TryGetValue(sql, out var statement)) return statement;
        if (_statements.Count >= MaxCachedStatements) ClearStatements();
        return _statements[sql] = SqliteStatement.Prepare(Connection, sql);
    }

    void ClearStatements()
    {
        foreach (var statement in _statements.Values) statement?.Dispose();
        _statements.Clear();
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
        ClearStatements();
        ClearCache();
        Connection.Dispose();
    }
}
