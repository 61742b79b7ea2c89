using RevOps.Domain.Audit;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Audit;

/// <summary>
/// Appends an audit row inside the caller's tenant transaction, numbered after the tenant's last.
/// The tenant row is locked first (PostgreSQL, where nodes write in parallel: two admin changes of one
/// tenant then number their rows one after the other instead of both taking the same seq; SQLite's one
/// writer already serializes, and its dialect locks nothing).
/// </summary>
internal static class AuditAppend
{
    static string Insert(SqlDialect d) => $"""
        SELECT 1 FROM tenants WHERE id = @tenant{d.ForUpdate};
        INSERT INTO audit_log (tenant_id, seq, created_at, actor_id, channel, action, target, details, request_id, key_id)
        SELECT @tenant, COALESCE(MAX(seq), 0) + 1, @at, @actor, @channel, @action, @target, @details, @request, @key
        FROM audit_log WHERE tenant_id = @tenant
        """;

    public static async Task AppendAsync(SqlSession session, AuditEntry entry, CancellationToken ct)
    {
        var d = session.Dialect;
        var command = session.Command(Insert(d));
        d.AddTenant(command, entry.Tenant);
        d.AddTime(command, "@at", entry.At);
        d.AddText(command, "@actor", entry.ActorId);
        d.AddText(command, "@channel", entry.Channel);
        d.AddText(command, "@action", entry.Action);
        d.AddText(command, "@target", entry.Target);
        d.AddText(command, "@details", entry.Details);
        d.AddText(command, "@request", entry.RequestId);
        d.AddText(command, "@key", entry.KeyId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
