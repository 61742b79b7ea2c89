using Npgsql;
using RevOps.Domain.Audit;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Appends an audit row inside the caller's tenant transaction, numbered after the tenant's last.
/// Nodes write in parallel here, so the tenant row is locked first: two admin changes of one
/// tenant then number their rows one after the other instead of both taking the same seq.
/// </summary>
internal static class PostgresAudit
{
    const string Insert = """
        SELECT 1 FROM tenants WHERE id = @tenant FOR UPDATE;
        INSERT INTO audit_log (tenant_id, seq, created_at, actor_id, channel, action, target, details, request_id)
        SELECT @tenant, COALESCE(MAX(seq), 0) + 1, @at, @actor, @channel, @action, @target, @details, @request
        FROM audit_log WHERE tenant_id = @tenant
        """;

    public static async Task AppendAsync(NpgsqlConnection connection, AuditEntry entry, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Insert, connection);
        PostgresValues.AddTenant(command.Parameters, entry.Tenant);
        PostgresValues.Add(command.Parameters, "at", entry.At);
        PostgresValues.Add(command.Parameters, "actor", entry.ActorId);
        PostgresValues.Add(command.Parameters, "channel", entry.Channel);
        PostgresValues.Add(command.Parameters, "action", entry.Action);
        PostgresValues.Add(command.Parameters, "target", entry.Target);
        PostgresValues.Add(command.Parameters, "details", entry.Details);
        PostgresValues.Add(command.Parameters, "request", entry.RequestId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
