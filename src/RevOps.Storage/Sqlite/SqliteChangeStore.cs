using System.Text.Json;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Changes;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>Reads the change log on the reader pool; every statement is keyed on the tenant first.</summary>
public sealed class SqliteChangeStore(SqliteDatabase db) : IChangeStore
{
    const string Columns = "seq, created_at, object, record_id, operation, changes, actor_id, channel, request_id";

    // Optional filters are NULL-able parameters, so each shape is one constant statement.
    const string Filters = $"""
        AND ($since IS NULL OR created_at >= $since)
        AND ($object IS NULL OR object = $object)
        AND ($operation IS NULL OR operation = $operation)
        ORDER BY seq {SqlitePaging.Limit}
        """;

    const string ListAll = $"SELECT {Columns} FROM change_log WHERE tenant_id = $tenant AND seq > $after {Filters}";

    // A record's rows come from ix_change_log_record (tenant_id, record_id, seq).
    const string ListRecord = $"SELECT {Columns} FROM change_log WHERE tenant_id = $tenant AND record_id = $record AND seq > $after {Filters}";

    const string One = $"SELECT {Columns} FROM change_log WHERE tenant_id = $tenant AND seq = $seq";

    const string Latest = "SELECT change_seq FROM tenants WHERE id = $tenant";

    public Task<IReadOnlyList<ChangeRow>> ListAsync(TenantId tenant, ChangeFilter filter, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var command = session.Command(filter.RecordId is null ? ListAll : ListRecord);
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            command.Parameters.AddWithValue("$after", filter.AfterSeq);
            command.Parameters.AddWithValue("$since", filter.Since is { } since ? SqliteValues.FormatDateTime(since) : DBNull.Value);
            command.Parameters.AddWithValue("$object", (object?)filter.Object ?? DBNull.Value);
            command.Parameters.AddWithValue("$operation", (object?)filter.Operation ?? DBNull.Value);
            command.Parameters.AddWithValue("$limit", filter.Limit);
            if (filter.RecordId is not null) command.Parameters.AddWithValue("$record", filter.RecordId);
            return ReadAll(command);
        }));

    public Task<ChangeRow?> GetAsync(TenantId tenant, long seq, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var command = session.Command(One);
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            command.Parameters.AddWithValue("$seq", seq);
            return ReadAll(command) is [var row] ? row : null;
        }));

    public Task<IReadOnlyList<ChangeRow>> HistoryAsync(TenantId tenant, string recordId, CancellationToken ct) =>
        ListAsync(tenant, new ChangeFilter(0, int.MaxValue, RecordId: recordId), ct);

    public Task<long> LatestSeqAsync(TenantId tenant, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var command = session.Command(Latest);
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            return command.ExecuteScalar() is long seq ? seq : 0L;
        }));

    public Task WaitForChangeAsync(TenantId tenant, long afterSeq, TimeSpan maxWait, CancellationToken ct) =>
        db.TenantChanges.WaitAsync(tenant, afterSeq, maxWait, ct);

    static IReadOnlyList<ChangeRow> ReadAll(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<ChangeRow>();
        while (reader.Read())
            rows.Add(new ChangeRow(
                reader.GetInt64(0),
                (DateTime)SqliteValues.FromColumn(reader, 1, Domain.Metadata.StorageKind.DateTime)!,
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonElement.Parse(reader.GetString(5)),
                reader.GetString(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        return rows;
    }
}
