using Npgsql;
using RevOps.Domain.Audit;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

internal sealed class PostgresAuditStore(PostgresDatabase db) : IAuditStore
{
    const string List = """
        SELECT seq, created_at, actor_id, channel, action, target, details, request_id
        FROM audit_log WHERE tenant_id = @tenant AND seq < @before ORDER BY seq DESC LIMIT @limit
        """;

    public Task<IReadOnlyList<AuditEntry>> ListAsync(TenantId tenant, long? before, int limit, CancellationToken ct) =>
        db.InTenantAsync<IReadOnlyList<AuditEntry>>(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(List, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "before", before ?? long.MaxValue);
            PostgresValues.Add(command.Parameters, "limit", (long)limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var entries = new List<AuditEntry>();
            while (await reader.ReadAsync(ct))
                entries.Add(new AuditEntry(tenant, reader.GetInt64(0), reader.GetFieldValue<DateTime>(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetString(6), PostgresValues.NullableText(reader, 7)));
            return entries;
        }, ct);
}
