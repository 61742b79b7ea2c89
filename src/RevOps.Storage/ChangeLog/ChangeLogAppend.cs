using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.ChangeLog;

/// <summary>
/// Appends changes inside the caller's write transaction. The per-tenant sequence is a counter on the
/// tenant row: taking a block of numbers from it locks the row until COMMIT (on PostgreSQL; SQLite's one
/// writer already serializes), so one tenant's writes commit one at a time, its sequence is gap-free
/// and strictly increasing, and the unique-value checks made after it cannot race.
/// </summary>
internal static class ChangeLogAppend
{
    const string NextSequences = "UPDATE tenants SET change_seq = change_seq + @count WHERE id = @tenant RETURNING change_seq";

    const string Append = """
        INSERT INTO change_log (tenant_id, seq, object, record_id, operation, changes, actor_id, actor_name, key_id, channel, request_id, created_at)
        VALUES (@tenant, @seq, @object, @record, @operation, @changes, @actor, @actor_name, @key, @channel, @request, @at)
        """;

    /// <summary><see cref="Append"/> after <see cref="NextSequences"/> in the same transaction: the number <c>@back</c> before the last one taken.</summary>
    const string AppendTaken = """
        INSERT INTO change_log (tenant_id, seq, object, record_id, operation, changes, actor_id, actor_name, key_id, channel, request_id, created_at)
        VALUES (@tenant, (SELECT change_seq FROM tenants WHERE id = @tenant) - @back, @object, @record, @operation, @changes, @actor, @actor_name, @key, @channel, @request, @at)
        """;

    /// <summary>Takes <paramref name="count"/> sequence numbers; returns the first.</summary>
    public static async Task<long> TakeSequencesAsync(SqlSession session, TenantId tenant, int count, CancellationToken ct)
    {
        var next = session.Command(NextSequences);
        session.Dialect.AddTenant(next, tenant);
        session.Dialect.AddLong(next, "@count", count);
        long last = await next.ExecuteScalarAsync(ct) is long seq ? seq : throw new InvalidOperationException($"Tenant {tenant} does not exist.");
        return last - count + 1;
    }

    /// <param name="changesJson">The change's fields as <see cref="ChangeJson.Serialize"/> writes them, made before the transaction.</param>
    public static async Task WriteAsync(SqlSession session, TenantId tenant, long seq, ChangeEntry change, string changesJson, CancellationToken ct)
    {
        var append = session.Command(Append);
        Bind(session.Dialect, append, tenant, change, changesJson, seq);
        await append.ExecuteNonQueryAsync(ct);
        session.ChangeAppended = true;
    }

    /// <summary>
    /// The statements that take the sequence numbers of <paramref name="changes"/> and append them, to be sent together
    /// (<see cref="SqlSession.ExecuteEachAsync"/>: on PostgreSQL one round trip, so the tenant row is locked for that round
    /// trip and COMMIT only), after statements that return no row; <see cref="Appended"/> reads the first number from what
    /// they return. Each row reads its number back from the tenant row its transaction just moved on, which no other
    /// transaction can move until COMMIT.
    /// </summary>
    public static SqlStatements TakeAndWrite(SqlSession session, TenantId tenant, IReadOnlyList<ChangeEntry> changes, IReadOnlyList<string> changesJson)
    {
        var d = session.Dialect;
        int count = changes.Count;
        return new SqlStatements(count + 1, i => i == 0 ? NextSequences : AppendTaken, (command, i) =>
        {
            if (i == 0)
            {
                d.AddTenant(command, tenant);
                d.AddLong(command, "@count", count);
            }
            else
            {
                Bind(d, command, tenant, change: changes[i - 1], changesJson: changesJson[i - 1]);
                d.AddLong(command, "@back", count - i);
            }
        });
    }

    /// <summary>After <see cref="TakeAndWrite"/>'s statements ran: the first number they took, from the value they returned.</summary>
    public static long Appended(SqlSession session, TenantId tenant, object? returned, int count)
    {
        if (returned is not long last) throw new InvalidOperationException($"Tenant {tenant} does not exist.");
        session.ChangeAppended = true;
        return last - count + 1;
    }

    static void Bind(SqlDialect d, System.Data.Common.DbCommand append, TenantId tenant, ChangeEntry change, string changesJson, long? seq = null)
    {
        d.AddTenant(append, tenant);
        if (seq is { } number) d.AddLong(append, "@seq", number);
        d.AddText(append, "@object", change.Object);
        d.AddText(append, "@record", change.RecordId);
        d.AddText(append, "@operation", change.Operation);
        d.AddText(append, "@changes", changesJson);
        d.AddText(append, "@actor", change.ActorId);
        d.AddText(append, "@actor_name", change.ActorName);
        d.AddText(append, "@key", change.KeyId);
        d.AddText(append, "@channel", change.Channel);
        d.AddText(append, "@request", change.RequestId);
        d.AddTime(append, "@at", change.At);
    }
}
