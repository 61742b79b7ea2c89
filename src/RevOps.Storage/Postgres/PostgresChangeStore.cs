using System.Text.Json;
using Npgsql;
using RevOps.Domain.Changes;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

/// <summary>Reads the change log; every statement is keyed on the tenant first.</summary>
internal sealed class PostgresChangeStore(PostgresDatabase db) : IChangeStore
{
    const string Columns = "seq, created_at, object, record_id, operation, changes, actor_id, channel, request_id";

    // Optional filters are typed NULL-able parameters, so each shape is one constant statement.
    const string Filters = """
        AND (@since::timestamptz IS NULL OR created_at >= @since)
        AND (@object::text IS NULL OR object = @object)
        AND (@operation::text IS NULL OR operation = @operation)
        ORDER BY seq LIMIT @limit
        """;

    const string ListAll = $"SELECT {Columns} FROM change_log WHERE tenant_id = @tenant AND seq > @after {Filters}";

    // A record's rows come from ix_change_log_record (tenant_id, record_id, seq).
    const string ListRecord = $"SELECT {Columns} FROM change_log WHERE tenant_id = @tenant AND record_id = @record AND seq > @after {Filters}";

    const string One = $"SELECT {Columns} FROM change_log WHERE tenant_id = @tenant AND seq = @seq";

    const string Latest = "SELECT change_seq FROM tenants WHERE id = @tenant";

    public Task<IReadOnlyList<ChangeRow>> ListAsync(TenantId tenant, ChangeFilter filter, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(filter.RecordId is null ? ListAll : ListRecord, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "after", filter.AfterSeq);
            PostgresValues.Add(command.Parameters, "since", filter.Since);
            PostgresValues.Add(command.Parameters, "object", filter.Object);
            PostgresValues.Add(command.Parameters, "operation", filter.Operation);
            PostgresValues.Add(command.Parameters, "limit", (long)filter.Limit);
            if (filter.RecordId is not null) PostgresValues.Add(command.Parameters, "record", filter.RecordId);
            return await ReadAllAsync(command, ct);
        }, ct);

    public Task<ChangeRow?> GetAsync(TenantId tenant, long seq, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(One, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "seq", seq);
            return await ReadAllAsync(command, ct) is [var row] ? row : null;
        }, ct);

    public Task<IReadOnlyList<ChangeRow>> HistoryAsync(TenantId tenant, string recordId, CancellationToken ct) =>
        ListAsync(tenant, new ChangeFilter(0, int.MaxValue, RecordId: recordId), ct);

    public Task<long> LatestSeqAsync(TenantId tenant, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(Latest, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            return await command.ExecuteScalarAsync(ct) is long seq ? seq : 0L;
        }, ct);

    public Task WaitForChangeAsync(TenantId tenant, long afterSeq, TimeSpan maxWait, CancellationToken ct) =>
        db.TenantChanges.WaitAsync(tenant, afterSeq, maxWait, ct);

    static async Task<IReadOnlyList<ChangeRow>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<ChangeRow>();
        while (await reader.ReadAsync(ct))
            rows.Add(new ChangeRow(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTime>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonElement.Parse(reader.GetString(5)),
                reader.GetString(6),
                reader.GetString(7),
                PostgresValues.NullableText(reader, 8)));
        return rows;
    }
}
