using System.Data.Common;
using Npgsql;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>A pooled connection in its open transaction; the commands it made are disposed with it (Npgsql prepares repeated statements per connection itself).</summary>
internal sealed class PostgresSession(NpgsqlConnection connection) : SqlSession, IAsyncDisposable, IDisposable
{
    readonly List<NpgsqlCommand> _commands = [];

    /// <summary>For what only Npgsql offers (batches of inserts); commands go through <see cref="Command"/>.</summary>
    public NpgsqlConnection Connection => connection;

    public override SqlDialect Dialect => PostgresDialect.Instance;

    public override NpgsqlCommand Command(string sql)
    {
        Domain.Telemetry.SqlStatements.Count();
        var command = new NpgsqlCommand(sql, connection);
        _commands.Add(command);
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands) command.Dispose();
        _commands.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands) await command.DisposeAsync();
        _commands.Clear();
    }
}
