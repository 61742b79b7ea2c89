using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.ChangeLog;

/// <summary>
/// Appends a change inside the caller's write transaction. The per-tenant sequence is a
/// counter on the tenant row, so it is gap-free and strictly increasing per tenant.
/// </summary>
internal static class SqliteChangeLog
{
    const string NextSequence = "UPDATE tenants SET change_seq = change_seq + 1 WHERE id = $tenant RETURNING change_seq";

    const string Append = """
        INSERT INTO change_log (tenant_id, seq, object, record_id, operation, changes, actor_id, channel, request_id, created_at)
        VALUES ($tenant, $seq, $object, $record, $operation, $changes, $actor, $channel, $request, $at)
        """;

    /// <param name="changesJson">The change's fields as <see cref="ChangeJson.Serialize"/> writes them, made before the writer's turn.</param>
    public static long Write(SqliteSession session, TenantId tenant, ChangeEntry change, string changesJson)
    {
        string tenantText = tenant.ToString();
        var next = session.Command(NextSequence);
        next.Parameters.AddWithValue("$tenant", tenantText);
        var seq = next.ExecuteScalar() ?? throw new InvalidOperationException($"Tenant {tenant} does not exist.");

        var append = session.Command(Append);
        append.Parameters.AddWithValue("$tenant", tenantText);
        append.Parameters.AddWithValue("$seq", seq);
        append.Parameters.AddWithValue("$object", change.Object);
        append.Parameters.AddWithValue("$record", change.RecordId);
        append.Parameters.AddWithValue("$operation", change.Operation);
        append.Parameters.AddWithValue("$changes", changesJson);
        append.Parameters.AddWithValue("$actor", change.ActorId);
        append.Parameters.AddWithValue("$channel", change.Channel);
        append.Parameters.AddWithValue("$request", (object?)change.RequestId ?? DBNull.Value);
        append.Parameters.AddWithValue("$at", ColumnValues.FormatDateTime(change.At));
        append.ExecuteNonQuery();
        session.ChangeAppended = true;
        return (long)seq;
    }
}
