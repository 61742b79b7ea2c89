using Npgsql;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

/// <summary>The idempotency_keys table: written inside the write's transaction, read before a write.</summary>
internal static class PostgresIdempotency
{
    const string InsertSql = """
        INSERT INTO idempotency_keys (tenant_id, key, request_hash, object, record_id, operation, seq, created_at)
        VALUES (@tenant, @key, @hash, @object, @record, @operation, @seq, @at)
        ON CONFLICT (tenant_id, key) DO NOTHING
        """;

    const string FindSql = "SELECT key, request_hash, object, record_id, operation, created_at FROM idempotency_keys WHERE tenant_id = @tenant AND key = @key";

    const string PurgeSql = "DELETE FROM idempotency_keys WHERE tenant_id = @tenant AND created_at < @cutoff";

    /// <summary>False when another write already took the key.</summary>
    public static async Task<bool> InsertAsync(NpgsqlConnection connection, TenantId tenant, IdempotencyEntry entry, long seq, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        PostgresValues.Add(command.Parameters, "key", entry.Key);
        PostgresValues.Add(command.Parameters, "hash", entry.RequestHash);
        PostgresValues.Add(command.Parameters, "object", entry.Object);
        PostgresValues.Add(command.Parameters, "record", entry.RecordId);
        PostgresValues.Add(command.Parameters, "operation", entry.Operation);
        PostgresValues.Add(command.Parameters, "seq", seq);
        PostgresValues.Add(command.Parameters, "at", entry.CreatedAt);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public static async Task<IdempotencyEntry?> FindAsync(NpgsqlConnection connection, TenantId tenant, string key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(FindSql, connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        PostgresValues.Add(command.Parameters, "key", key);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new IdempotencyEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetFieldValue<DateTime>(5));
    }

    public static async Task PurgeAsync(NpgsqlConnection connection, TenantId tenant, DateTime before, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(PurgeSql, connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        PostgresValues.Add(command.Parameters, "cutoff", before);
        await command.ExecuteNonQueryAsync(ct);
    }
}
