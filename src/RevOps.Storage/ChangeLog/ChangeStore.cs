using System.Data.Common;
using System.Text.Json;
using RevOps.Domain.Changes;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.ChangeLog;

/// <summary>Reads the change log, on either engine; every statement is keyed on the tenant first.</summary>
internal sealed class ChangeStore(SqlDatabase db) : IChangeStore
{
    const string Columns = "seq, created_at, object, record_id, operation, changes, actor_id, channel, request_id, actor_name, key_id";

    readonly string _listAll = $"SELECT {Columns} FROM change_log WHERE tenant_id = @tenant AND seq > @after {Filters(db.Dialect)}";

    // A record's rows come from ix_change_log_record (tenant_id, record_id, seq).
    readonly string _listRecord = $"SELECT {Columns} FROM change_log WHERE tenant_id = @tenant AND record_id = @record AND seq > @after {Filters(db.Dialect)}";

    const string One = $"SELECT {Columns} FROM change_log WHERE tenant_id = @tenant AND seq = @seq";

    const string Latest = "SELECT change_seq FROM tenants WHERE id = @tenant";

    // Optional filters are typed NULL-able parameters, so each shape is one constant statement.
    static string Filters(SqlDialect d) => $"""
        AND (@since IS NULL OR created_at >= @since)
        AND (@object IS NULL OR object = @object)
        AND (@operation IS NULL OR operation = @operation)
        AND (@actor IS NULL OR actor_id = @actor)
        ORDER BY seq {d.Limit}
        """;

    public Task<IReadOnlyList<ChangeRow>> ListAsync(TenantId tenant, ChangeFilter filter, CancellationToken ct) =>
        db.ReadAsync(tenant, session =>
        {
            var d = session.Dialect;
            var command = session.Command(filter.RecordId is null ? _listAll : _listRecord);
            d.AddTenant(command, tenant);
            d.AddLong(command, "@after", filter.AfterSeq);
            d.AddTime(command, "@since", filter.Since);
            d.AddText(command, "@object", filter.Object);
            d.AddText(command, "@operation", filter.Operation);
            d.AddText(command, "@actor", filter.ActorId);
            d.AddLong(command, "@limit", filter.Limit);
            if (filter.RecordId is not null) d.AddText(command, "@record", filter.RecordId);
            return ReadAllAsync(d, command, ct);
        }, ct);

    public Task<ChangeRow?> GetAsync(TenantId tenant, long seq, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(One);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddLong(command, "@seq", seq);
            return await ReadAllAsync(session.Dialect, command, ct) is [var row] ? row : null;
        }, ct);

    public Task<IReadOnlyList<ChangeRow>> HistoryAsync(TenantId tenant, string recordId, CancellationToken ct) =>
        ListAsync(tenant, new ChangeFilter(0, int.MaxValue, RecordId: recordId), ct);

    public Task<long> LatestSeqAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(Latest);
            session.Dialect.AddTenant(command, tenant);
            return await command.ExecuteScalarAsync(ct) is long seq ? seq : 0L;
        }, ct);

    public Task WaitForChangeAsync(TenantId tenant, long afterSeq, TimeSpan maxWait, CancellationToken ct) =>
        db.TenantChanges.WaitAsync(tenant, afterSeq, maxWait, ct);

    static async Task<IReadOnlyList<ChangeRow>> ReadAllAsync(SqlDialect d, DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<ChangeRow>();
        while (await reader.ReadAsync(ct))
            rows.Add(new ChangeRow(
                reader.GetInt64(0),
                d.ReadTime(reader, 1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonElement.Parse(reader.GetString(5)),
                reader.GetString(6),
                reader.GetString(7),
                d.ReadNullableText(reader, 8))
            {
                ActorName = d.ReadNullableText(reader, 9),
                KeyId = d.ReadNullableText(reader, 10),
            });
        return rows;
    }
}
