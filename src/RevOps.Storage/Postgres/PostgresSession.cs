using System.Data.Common;
using Npgsql;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// A pooled connection in its open transaction; the commands it made are disposed with it (Npgsql prepares repeated
/// statements per connection itself). In a tenant transaction (<paramref name="tenant"/> given, the connection already
/// revops_tenant) the first command also enters the tenant, ahead of its own statement in the same round trip.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection, TenantId? tenant = null) : SqlSession, IAsyncDisposable, IDisposable
{
    const string EnterTenant = "CALL revops_enter_tenant(@entered_tenant);\n";

    readonly List<NpgsqlCommand> _commands = [];
    bool _entered = tenant is null;

    /// <summary>For what only Npgsql offers (batches of inserts), after a first command has entered the tenant; commands go through <see cref="Command"/>.</summary>
    public NpgsqlConnection Connection => _entered ? connection
        : throw new InvalidOperationException("A tenant transaction's first statement goes through Command, which enters the tenant.");

    public override SqlDialect Dialect => PostgresDialect.Instance;

    public override NpgsqlCommand Command(string sql)
    {
        Domain.Telemetry.SqlStatements.Count();
        NpgsqlCommand command;
        if (_entered)
        {
            command = new NpgsqlCommand(sql, connection);
        }
        else
        {
            // A statement that answers nothing leads: readers, scalars and row counts see only the caller's statement.
            command = new NpgsqlCommand(EnterTenant + sql, connection);
            command.Parameters.Add(new NpgsqlParameter("entered_tenant", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = tenant!.Value.Value });
            _entered = true;
        }
        _commands.Add(command);
        return command;
    }

    /// <summary>All the statements in one <see cref="NpgsqlBatch"/>: one round trip, each statement still prepared once per connection.</summary>
    public override async Task<object?> ExecuteEachAsync(int count, Func<int, string> sql, Action<DbCommand, int> bind, CancellationToken ct)
    {
        if (count == 0) return null;
        Domain.Telemetry.SqlStatements.Count();
        await using var batch = new NpgsqlBatch(connection);
        if (!_entered)
        {
            var enter = new NpgsqlBatchCommand("CALL revops_enter_tenant(@entered_tenant)");
            enter.Parameters.Add(new NpgsqlParameter("entered_tenant", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = tenant!.Value.Value });
            batch.BatchCommands.Add(enter);
            _entered = true;
        }
        using var binder = new NpgsqlCommand();
        for (int i = 0; i < count; i++)
        {
            // The dialect binds through a command; its parameters then move to the batch's statement.
            bind(binder, i);
            var statement = new NpgsqlBatchCommand(sql(i));
            var parameters = binder.Parameters.ToArray();
            binder.Parameters.Clear();
            foreach (var parameter in parameters) statement.Parameters.Add(parameter);
            batch.BatchCommands.Add(statement);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        // The enter-tenant CALL answers no rows; the first result with a row description is the caller's first statement's.
        object? value = await reader.ReadAsync(ct) ? reader.GetValue(0) : null;
        // Read to the end, so a later statement's error surfaces here and not at COMMIT.
        while (await reader.NextResultAsync(ct)) { }
        return value;
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
