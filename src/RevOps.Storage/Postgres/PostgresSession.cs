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
/// transaction of its own; a setting one statement makes with set_config(…, true) is then gone for the next. A write of a
/// group-commit batch (<see cref="BeginWrite"/>) has its savepoint lead its first statement the same way, behind the entry.
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

    /// <summary>The savepoint of ours that exists on the server: the last write's whose lead was sent.</summary>
    string? _established;

    /// <summary>The savepoint the current write's first statement is to carry; null once it went with one (or outside a batch).</summary>
    string? _pending;

    /// <summary>For what only Npgsql offers (batches of inserts), after a first command has entered the tenant and set the write's savepoint; commands go through <see cref="Command"/>.</summary>
    public NpgsqlConnection Connection => _entered && !enterEveryStatement && _pending is null ? connection
        : throw new InvalidOperationException("A tenant transaction's first statement, and a batched write's, goes through Command, which enters the tenant and sets the savepoint.");

    /// <summary>
    /// The next write of a group-commit batch starts: its first statement will be led by a savepoint of its own, and by the
    /// release of the one before (so one savepoint of the batch exists at a time). Two names alternate: a write's savepoint
    /// is never the name of the one still standing, so rolling back to a savepoint whose lead did not reach the server fails
    /// the batch (the transaction is then never committed) instead of undoing the write before it. Two names are six
    /// statement texts (SAVEPOINT, RELEASE, ROLLBACK TO) in Npgsql's per-connection prepared-statement cache, where a name per
    /// write would be up to 120 in a batch of 60.
    /// </summary>
    public void BeginWrite() => _pending = _established == "w0" ? "w1" : "w0";

    /// <summary>
    /// The current write ended; returns its savepoint if its lead went to the server with its first statement, else null:
    /// nothing of the write was sent, there is nothing to roll back, and the savepoint before it still stands.
    /// </summary>
    public string? EndWrite()
    {
        string? sent = _pending is null ? _established : null;
        _pending = null;
        return sent;
    }

    /// <summary>
    /// The statements that lead the next one, each answering nothing: the tenant's entry (it comes first, outside the
    /// savepoint, so rolling back a write never undoes it for the batch's later ones), the last write's release, the
    /// write's savepoint. Taking them counts them as sent: the caller sends them next, in front of its own statement.
    /// </summary>
    Leads TakeLeads()
    {
        bool entering = !_entered;
        if (entering) _entered = !enterEveryStatement;
        if (_pending is not { } savepoint) return new Leads(entering, null, null);
        string? release = _established is { } previous ? "RELEASE SAVEPOINT " + previous : null;
        _established = savepoint;
        _pending = null;
        return new Leads(entering, release, "SAVEPOINT " + savepoint);
    }

    /// <summary>What leads the next statement, in this order; a read's is its entry alone, sent without building a list.</summary>
    readonly record struct Leads(bool Entering, string? Release, string? Savepoint)
    {
        public IEnumerable<string> Statements()
        {
            if (Entering) yield return EnterTenantStatement;
            if (Release is not null) yield return Release;
            if (Savepoint is not null) yield return Savepoint;
        }
    }

    NpgsqlParameter EnteredTenant() => new("entered_tenant", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = tenant!.Value.Value };

    public override SqlDialect Dialect => PostgresDialect.Instance;

    public override NpgsqlCommand Command(string sql)
    {
        Domain.Telemetry.SqlStatements.Count();
        NpgsqlCommand command;
        if (_entered && _pending is null)
        {
            command = new NpgsqlCommand(sql, connection);
        }
        else
        {
            // Statements that answer nothing lead: readers, scalars and row counts see only the caller's statement. Npgsql
            // splits the text at its semicolons and prepares each statement by its own text, so the caller's keeps one.
            var leads = TakeLeads();
            string led = leads is { Release: null, Savepoint: null } ? EnterTenant + sql : string.Concat(leads.Statements().Select(lead => lead + ";\n")) + sql;
            command = new NpgsqlCommand(led, connection);
            if (leads.Entering) command.Parameters.Add(EnteredTenant());
        }
        _commands.Add(command);
        return command;
    }

    /// <summary>
    /// Statements per <see cref="NpgsqlBatch"/>: the server answers each while the rest are still being sent, so a batch
    /// without bound could fill both sockets' buffers; 1,000 answers are some 25 KB.
    /// </summary>
    public const int MaxBatchStatements = 1000;

    /// <summary>The statements in <see cref="NpgsqlBatch"/>es of up to <see cref="MaxBatchStatements"/>: one round trip each, each statement still prepared once per connection.</summary>
    public override async Task<object?> ExecuteEachAsync(SqlStatements statements, CancellationToken ct)
    {
        object? first = null;
        int count = statements.Count;
        for (int start = 0; start < count; start += MaxBatchStatements)
        {
            Domain.Telemetry.SqlStatements.Count();
            await using var batch = new NpgsqlBatch(connection);
            var statementsBound = Bound(statements, start, Math.Min(count, start + MaxBatchStatements));
            // The leads go in front once the batch is whole, right before it is sent, so a bind that throws leaves them pending.
            if (!_entered || _pending is not null) foreach (var lead in LeadCommands(TakeLeads())) batch.BatchCommands.Add(lead);
            foreach (var statement in statementsBound) batch.BatchCommands.Add(statement);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            // The reader passes over statements that answer no rows (the leads, INSERTs): its first row is the first row any statement returned.
            if (first is null && await reader.ReadAsync(ct)) first = reader.GetValue(0);
            // Read to the end, so a later statement's error surfaces here and not at COMMIT.
            while (await reader.NextResultAsync(ct)) { }
        }
        return first;
    }

    /// <summary>Statements <paramref name="from"/> to <paramref name="to"/> (exclusive) as batch commands, bound.</summary>
    public static List<NpgsqlBatchCommand> Bound(SqlStatements statements, int from = 0, int to = -1)
    {
        if (to < 0) to = statements.Count;
        var bound = new List<NpgsqlBatchCommand>(to - from);
        using var binder = new NpgsqlCommand();
        for (int i = from; i < to; i++)
        {
            // The dialect binds through a command; its parameters then move to the batch's statement.
            statements.Bind(binder, i);
            var statement = new NpgsqlBatchCommand(statements.Sql(i));
            var parameters = binder.Parameters.ToArray();
            binder.Parameters.Clear();
            foreach (var parameter in parameters) statement.Parameters.Add(parameter);
            bound.Add(statement);
        }
        return bound;
    }

    IEnumerable<NpgsqlBatchCommand> LeadCommands(Leads leads) => leads.Statements().Select(lead =>
    {
        var statement = new NpgsqlBatchCommand(lead);
        if (lead == EnterTenantStatement) statement.Parameters.Add(EnteredTenant());
        return statement;
    });

    /// <summary>What <see cref="ExecuteWritesAsync"/> ran: the first value of each write before the one that failed, and its error.</summary>
    public readonly record struct WritesRun(IReadOnlyList<object?> Values, PostgresException? Failure);

    /// <summary>
    /// Several writes of a group-commit batch in one round trip (each bound by <see cref="Bound"/>, each returning exactly one
    /// row set), each led by its own savepoint and the release of the one before, as <see cref="BeginWrite"/> would lead them
    /// one by one. The server runs them in order and skips the rest of the round trip once a statement fails; the failed
    /// write's savepoint is then rolled back to, so the writes before it stand and the transaction goes on. Returns the first
    /// value of each write that ran, in order, and the failure that stopped them, if one did.
    /// </summary>
    public async Task<WritesRun> ExecuteWritesAsync(IReadOnlyList<List<NpgsqlBatchCommand>> writes)
    {
        Domain.Telemetry.SqlStatements.Count();
        await using var batch = new NpgsqlBatch(connection);
        var owners = new List<int>();
        var savepoints = new string[writes.Count];
        for (int w = 0; w < writes.Count; w++)
        {
            BeginWrite();
            foreach (var lead in LeadCommands(TakeLeads()))
            {
                batch.BatchCommands.Add(lead);
                owners.Add(-1);
            }
            savepoints[w] = _established!;
            foreach (var statement in writes[w])
            {
                batch.BatchCommands.Add(statement);
                owners.Add(w);
            }
        }
        var values = new List<object?>(writes.Count);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync();
            // The reader passes over statements that answer no rows, so each row set read is the next write's.
            if (reader.FieldCount > 0)
            {
                do values.Add(await reader.ReadAsync() ? reader.GetValue(0) : null);
                while (await reader.NextResultAsync());
            }
        }
        catch (PostgresException e) when (e.BatchCommand is { } statement && batch.BatchCommands.IndexOf(statement) is >= 0 and var at && owners[at] >= 0)
        {
            // A failed lead (the entry, a savepoint) leaves nothing to roll back to: that fails the whole batch, uncommitted.
            int failed = owners[at];
            if (values.Count > failed) values.RemoveRange(failed, values.Count - failed);
            if (values.Count != failed) throw new InvalidOperationException($"Write {failed} of a pipelined group commit failed, but only {values.Count} writes before it answered.", e);
            _established = savepoints[failed];
            await Command("ROLLBACK TO SAVEPOINT " + savepoints[failed]).ExecuteNonQueryAsync();
            return new WritesRun(values, e);
        }
        if (values.Count != writes.Count) throw new InvalidOperationException($"A pipelined group commit of {writes.Count} writes answered {values.Count} row sets; each write must return exactly one.");
        return new WritesRun(values, null);
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
