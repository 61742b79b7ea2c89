using RevOps.Domain.Audit;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Audit;

/// <summary>The audit_log of a tenant, newest first; rows are written by <see cref="AuditAppend"/> inside the changes they record.</summary>
internal sealed class AuditStore(SqlDatabase db) : IAuditStore
{
    const string List = """
        SELECT seq, created_at, actor_id, channel, action, target, details, request_id, key_id
        FROM audit_log WHERE tenant_id = @tenant AND seq < @before ORDER BY seq DESC LIMIT @limit
        """;

    public Task<IReadOnlyList<AuditEntry>> ListAsync(TenantId tenant, long? before, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(List);
            d.AddTenant(command, tenant);
            d.AddLong(command, "@before", before ?? long.MaxValue);
            d.AddLong(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entries = new List<AuditEntry>();
            while (await reader.ReadAsync(ct))
                entries.Add(new AuditEntry(tenant, reader.GetInt64(0), d.ReadTime(reader, 1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), d.ReadNullableText(reader, 7)) { KeyId = d.ReadNullableText(reader, 8) });
            return entries;
        }, ct);
}
