using System.Data.Common;
using Npgsql;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// A pooled connection in its open transaction; the commands it made are disposed with it (Npgsql prepares repeated
/// statements per connection itself). In a tenant transaction (<paramref name="tenant"/> given, the connection already
/// revops_tenant) the first command also enters the tenant, ahead of its own statement in the same round trip. A read
/// outside any transaction (<paramref name="enterEveryStatement"/>) enters it ahead of every statement, as each runs in a
/// transaction of its own; a setting one statement makes with set_config(…, true) is then gone for the next.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection, TenantId? tenant = null, bool enterEveryStatement = false)
    : SqlSession, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Sets revops.tenant for the transaction (migration 0042): an INSERT of no rows, so it answers nothing, and a planned
    /// statement prepared once per connection where a CALL was a utility statement built and planned anew each time.
    /// </summary>
    const string EnterTenantStatement = "INSERT INTO revops_tenant_entry SELECT WHERE set_config('revops.tenant', @entered_tenant::text, true) IS NULL";

    const string EnterTenant = EnterTenantStatement + ";\n";

    readonly List<NpgsqlCommand> _commands = [];
    bool _entered = tenant is null;

    /// <summary>For what only Npgsql offers (batches of inserts), after a first command has entered the tenant; commands go through <see cref="Command"/>.</summary>
    public NpgsqlConnection Connection => _entered && !enterEveryStatement ? connection
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
            _entered = !enterEveryStatement;
        }
        _commands.Add(command);
        return command;
    }

    /// <summary>
    /// Statements per <see cref="NpgsqlBatch"/>: the server answers each while the rest are still being sent, so a batch
    /// without bound could fill both sockets' buffers; 1,000 answers are some 25 KB.
    /// </summary>
    const int MaxBatchStatements = 1000;

    /// <summary>The statements in <see cref="NpgsqlBatch"/>es of up to <see cref="MaxBatchStatements"/>: one round trip each, each statement still prepared once per connection.</summary>
    public override async Task<object?> ExecuteEachAsync(int count, Func<int, string> sql, Action<DbCommand, int> bind, CancellationToken ct)
    {
        object? first = null;
        using var binder = new NpgsqlCommand();
        for (int start = 0; start < count; start += MaxBatchStatements)
        {
            Domain.Telemetry.SqlStatements.Count();
            await using var batch = new NpgsqlBatch(connection);
            if (!_entered)
            {
                var enter = new NpgsqlBatchCommand(EnterTenantStatement);
                enter.Parameters.Add(new NpgsqlParameter("entered_tenant", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = tenant!.Value.Value });
                batch.BatchCommands.Add(enter);
                _entered = !enterEveryStatement;
            }
            for (int i = start; i < Math.Min(count, start + MaxBatchStatements); i++)
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
            // The reader passes over statements that answer no rows (the tenant's entry, INSERTs): the first row is the first statement's when it returns one.
            if (start == 0 && await reader.ReadAsync(ct)) first = reader.GetValue(0);
            // Read to the end, so a later statement's error surfaces here and not at COMMIT.
            while (await reader.NextResultAsync(ct)) { }
        }
        return first;
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
