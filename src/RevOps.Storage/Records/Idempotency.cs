using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Records;

/// <summary>The idempotency_keys table: written inside the write's transaction, read before a write.</summary>
internal static class Idempotency
{
    const string InsertSql = """
        INSERT INTO idempotency_keys (tenant_id, key, request_hash, object, record_id, operation, seq, created_at)
        VALUES (@tenant, @key, @hash, @object, @record, @operation, @seq, @at)
        ON CONFLICT (tenant_id, key) DO NOTHING
        """;

    const string FindSql = "SELECT key, request_hash, object, record_id, operation, created_at FROM idempotency_keys WHERE tenant_id = @tenant AND key = @key";

    const string PurgeSql = "DELETE FROM idempotency_keys WHERE tenant_id = @tenant AND created_at < @cutoff";

    /// <summary>False when another write already took the key.</summary>
    public static async Task<bool> InsertAsync(SqlSession session, TenantId tenant, IdempotencyEntry entry, long seq, CancellationToken ct)
    {
        var d = session.Dialect;
        var command = session.Command(InsertSql);
        d.AddTenant(command, tenant);
        d.AddText(command, "@key", entry.Key);
        d.AddText(command, "@hash", entry.RequestHash);
        d.AddText(command, "@object", entry.Object);
        d.AddText(command, "@record", entry.RecordId);
        d.AddText(command, "@operation", entry.Operation);
        d.AddLong(command, "@seq", seq);
        d.AddTime(command, "@at", entry.CreatedAt);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public static async Task<IdempotencyEntry?> FindAsync(SqlSession session, TenantId tenant, string key, CancellationToken ct)
    {
        var command = session.Command(FindSql);
        session.Dialect.AddTenant(command, tenant);
        session.Dialect.AddText(command, "@key", key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new IdempotencyEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            session.Dialect.ReadTime(reader, 5));
    }

    public static async Task PurgeAsync(SqlSession session, TenantId tenant, DateTime before, CancellationToken ct)
    {
        var command = session.Command(PurgeSql);
        session.Dialect.AddTenant(command, tenant);
        session.Dialect.AddTime(command, "@cutoff", before);
        await command.ExecuteNonQueryAsync(ct);
    }
}
