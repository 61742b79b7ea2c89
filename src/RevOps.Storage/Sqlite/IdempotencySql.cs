using Microsoft.Data.Sqlite;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Sqlite;

/// <summary>The idempotency_keys table: written inside the write's transaction, read before a write.</summary>
internal static class IdempotencySql
{
    const string InsertSql = """
        INSERT INTO idempotency_keys (tenant_id, key, request_hash, object, record_id, operation, seq, created_at)
        VALUES ($tenant, $key, $hash, $object, $record, $operation, $seq, $at)
        """;

    const string FindSql = "SELECT key, request_hash, object, record_id, operation, created_at FROM idempotency_keys WHERE tenant_id = $tenant AND key = $key";

    const string PurgeSql = "DELETE FROM idempotency_keys WHERE tenant_id = $tenant AND created_at < $cutoff";

    public static void Insert(SqliteSession session, TenantId tenant, IdempotencyEntry entry, long seq)
    {
        var command = session.Command(InsertSql);
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$key", entry.Key);
        command.Parameters.AddWithValue("$hash", entry.RequestHash);
        command.Parameters.AddWithValue("$object", entry.Object);
        command.Parameters.AddWithValue("$record", entry.RecordId);
        command.Parameters.AddWithValue("$operation", entry.Operation);
        command.Parameters.AddWithValue("$seq", seq);
        command.Parameters.AddWithValue("$at", ColumnValues.FormatDateTime(entry.CreatedAt));
        command.ExecuteNonQuery();
    }

    public static bool IsKeyConflict(SqliteException e) => e.Message.Contains("idempotency_keys", StringComparison.Ordinal);

    public static IdempotencyEntry? Find(SqliteSession session, TenantId tenant, string key)
    {
        var command = session.Command(FindSql);
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        return new IdempotencyEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            (DateTime)ColumnValues.FromColumn(reader, 5, Domain.Metadata.StorageKind.DateTime)!);
    }

    public static void Purge(SqliteSession session, TenantId tenant, DateTime before)
    {
        var command = session.Command(PurgeSql);
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$cutoff", ColumnValues.FormatDateTime(before));
        command.ExecuteNonQuery();
    }
}
