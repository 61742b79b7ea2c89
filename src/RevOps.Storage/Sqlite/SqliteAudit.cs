using Dapper;
using RevOps.Domain.Audit;

namespace RevOps.Storage.Sqlite;

/// <summary>Appends an audit row inside the caller's write transaction, numbered after the tenant's last.</summary>
internal static class SqliteAudit
{
    const string Insert = """
        INSERT INTO audit_log (tenant_id, seq, created_at, actor_id, channel, action, target, details, request_id)
        SELECT @Tenant, COALESCE(MAX(seq), 0) + 1, @At, @Actor, @Channel, @Action, @Target, @Details, @RequestId
        FROM audit_log WHERE tenant_id = @Tenant
        """;

    public static void Append(SqliteSession session, AuditEntry entry) =>
        session.Connection.Execute(Insert, new
        {
            Tenant = entry.Tenant.ToString(),
            At = SqliteValues.FormatDateTime(entry.At),
            Actor = entry.ActorId,
            entry.Channel,
            entry.Action,
            entry.Target,
            entry.Details,
            entry.RequestId,
        });
}
