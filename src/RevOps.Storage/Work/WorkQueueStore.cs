using System.Data.Common;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Work;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Work;

/// <summary>
/// Work items on either engine. A claim is one UPDATE of the row its subquery picks (FOR UPDATE SKIP LOCKED on
/// PostgreSQL, so two claimers never wait on or take the same row; SQLite has one writer), guarded again by the
/// claimable condition, so an item is leased to one claimer at a time whatever runs concurrently. A lapsed lease
/// is not swept by a timer: the claimable condition takes such an item back, and reads show it as it stands.
/// LeasedClaims does not fit here: it claims across tenants in batches; this claims one item of one tenant.
/// </summary>
internal sealed class WorkQueueStore(SqlDatabase db) : IWorkQueueStore
{
    readonly SqlDialect _d = db.Dialect;

    const string Columns = "id, queue, type, record_object, record_id, prompt, priority, due, state, attempts, lease_until, claimed_by, claimed_key, note, source, created_by, created_at, updated_at, finished_at";

    const string Insert = $"""
        INSERT INTO work_items (tenant_id, id, queue, type, record_object, record_id, prompt, priority, due, state, attempts, source, idempotency_key, created_by, created_at, updated_at)
        VALUES (@tenant, @id, @queue, @type, @object, @record, @prompt, @priority, @due, 'queued', 0, @source, @key, @createdBy, @now, @now)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Queued, or claimed under a lease that lapsed with attempts left.</summary>
    static string Claimable(string a) => $"({a}state = 'queued' OR ({a}state = 'claimed' AND {a}lease_until <= @now AND {a}attempts < @max))";

    /// <summary>The state as it stands at @now (the same rule as <see cref="Effective"/>).</summary>
    const string EffectiveState = "CASE WHEN state = 'claimed' AND lease_until <= @now THEN CASE WHEN attempts >= @max THEN 'failed' ELSE 'queued' END ELSE state END";

    string Claim(bool byQueue, bool byType) => $"""
        UPDATE work_items SET state = 'claimed', attempts = attempts + 1, lease_owner = @lease, lease_until = @until,
            claimed_by = @by, claimed_key = @claimKey, updated_at = @now
        WHERE tenant_id = @tenant AND {Claimable("")} AND id = (
            SELECT w.id FROM work_items w
            WHERE w.tenant_id = @tenant AND {Claimable("w.")}{(byQueue ? " AND w.queue = @queue" : "")}{(byType ? " AND w.type = @type" : "")}
            ORDER BY w.priority DESC, CASE WHEN w.due IS NULL THEN 1 ELSE 0 END, w.due, w.created_at, w.id
            LIMIT 1{_d.ForUpdateSkipLocked("w")})
        RETURNING {Columns}
        """;

    const string Finish = $"""
        UPDATE work_items SET state = @state, note = COALESCE(@note, note), attempts = attempts - @undo, lease_owner = NULL, lease_until = NULL,
            updated_at = @now, finished_at = @finished
        WHERE tenant_id = @tenant AND id = @id AND state = 'claimed' AND lease_owner = @lease AND lease_until > @now
        RETURNING {Columns}
        """;

    public Task<(WorkItem Item, bool Created)> EnqueueAsync(NewWorkItem item, CancellationToken ct) =>
        db.WriteAsync(item.Tenant, async session =>
        {
            var insert = session.Command(Insert);
            _d.AddTenant(insert, item.Tenant);
            _d.AddText(insert, "@id", item.Id);
            _d.AddText(insert, "@queue", item.Queue);
            _d.AddText(insert, "@type", item.Type);
            _d.AddText(insert, "@object", item.RecordObject);
            _d.AddText(insert, "@record", item.RecordId);
            _d.AddText(insert, "@prompt", item.Prompt);
            _d.AddLong(insert, "@priority", item.Priority);
            _d.AddTime(insert, "@due", item.Due);
            _d.AddText(insert, "@source", item.Source);
            _d.AddText(insert, "@key", item.IdempotencyKey);
            _d.AddText(insert, "@createdBy", item.CreatedBy);
            _d.AddTime(insert, "@now", item.CreatedAt);
            bool created = await insert.ExecuteNonQueryAsync(ct) > 0;
            var read = session.Command(created || item.IdempotencyKey is null
                ? $"SELECT {Columns} FROM work_items WHERE tenant_id = @tenant AND id = @id"
                : $"SELECT {Columns} FROM work_items WHERE tenant_id = @tenant AND idempotency_key = @key");
            _d.AddTenant(read, item.Tenant);
            _d.AddText(read, "@id", item.Id);
            _d.AddText(read, "@key", item.IdempotencyKey);
            await using var reader = await read.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"work item {item.Id} was not stored.");
            return (Read(reader, item.Tenant, item.CreatedAt, int.MaxValue), created);
        }, ct);

    public Task<ClaimedWork?> ClaimAsync(TenantId tenant, string? queue, string? type, string lease, DateTime now, DateTime leaseUntil,
        string claimedBy, string? claimedKey, int maxAttempts, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var claim = session.Command(Claim(queue is not null, type is not null));
            _d.AddTenant(claim, tenant);
            _d.AddText(claim, "@queue", queue);
            _d.AddText(claim, "@type", type);
            _d.AddText(claim, "@lease", lease);
            _d.AddTime(claim, "@until", leaseUntil);
            _d.AddTime(claim, "@now", now);
            _d.AddLong(claim, "@max", maxAttempts);
            _d.AddText(claim, "@by", claimedBy);
            _d.AddText(claim, "@claimKey", claimedKey);
            await using var reader = await claim.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? new ClaimedWork(Read(reader, tenant, now, maxAttempts), lease) : null;
        }, ct);

    public Task<(WorkItem? Item, FinishRefusal Refusal)> FinishAsync(TenantId tenant, string id, string lease, WorkEnd end, string? note, DateTime now, int maxAttempts, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var finish = session.Command(Finish);
            _d.AddTenant(finish, tenant);
            _d.AddText(finish, "@id", id);
            _d.AddText(finish, "@lease", lease);
            _d.AddText(finish, "@state", end switch { WorkEnd.Done => WorkItem.States.Done, WorkEnd.Failed => WorkItem.States.Failed, _ => WorkItem.States.Queued });
            _d.AddText(finish, "@note", note);
            _d.AddLong(finish, "@undo", end == WorkEnd.Released ? 1 : 0);
            _d.AddTime(finish, "@now", now);
            _d.AddTime(finish, "@finished", end == WorkEnd.Released ? null : now);
            await using (var reader = await finish.ExecuteReaderAsync(ct))
                if (await reader.ReadAsync(ct)) return ((WorkItem?)Read(reader, tenant, now, maxAttempts), FinishRefusal.None);
            var current = await GetAsync(session, tenant, id, now, maxAttempts, ct);
            return (current, current is null ? FinishRefusal.NotFound : FinishRefusal.NotHolder);
        }, ct);

    public Task<WorkItem?> GetAsync(TenantId tenant, string id, DateTime now, int maxAttempts, CancellationToken ct) =>
        db.ReadAsync(tenant, session => GetAsync(session, tenant, id, now, maxAttempts, ct), ct);

    async Task<WorkItem?> GetAsync(SqlSession session, TenantId tenant, string id, DateTime now, int maxAttempts, CancellationToken ct)
    {
        var command = session.Command($"SELECT {Columns} FROM work_items WHERE tenant_id = @tenant AND id = @id");
        _d.AddTenant(command, tenant);
        _d.AddText(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader, tenant, now, maxAttempts) : null;
    }

    public Task<IReadOnlyList<WorkItem>> ListAsync(TenantId tenant, string? queue, string? state, int limit, DateTime now, int maxAttempts, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<WorkItem>>(tenant, async session =>
        {
            string where = "tenant_id = @tenant" + (queue is null ? "" : " AND queue = @queue") + (state is null ? "" : $" AND {EffectiveState} = @state");
            var command = session.Command($"SELECT {Columns} FROM work_items WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit");
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@queue", queue);
            _d.AddText(command, "@state", state);
            _d.AddTime(command, "@now", now);
            _d.AddLong(command, "@max", maxAttempts);
            _d.AddLong(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var items = new List<WorkItem>();
            while (await reader.ReadAsync(ct)) items.Add(Read(reader, tenant, now, maxAttempts));
            return items;
        }, ct);

    public Task<IReadOnlyDictionary<string, long>> CountsAsync(TenantId tenant, string? queue, DateTime now, int maxAttempts, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyDictionary<string, long>>(tenant, async session =>
        {
            var command = session.Command($"SELECT s, COUNT(*) FROM (SELECT {EffectiveState} AS s FROM work_items WHERE tenant_id = @tenant{(queue is null ? "" : " AND queue = @queue")}) items GROUP BY s");
            _d.AddTenant(command, tenant);
            _d.AddText(command, "@queue", queue);
            _d.AddTime(command, "@now", now);
            _d.AddLong(command, "@max", maxAttempts);
            var counts = WorkItem.States.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt64(1);
            return counts;
        }, ct);

    WorkItem Read(DbDataReader r, TenantId tenant, DateTime now, int maxAttempts)
    {
        string state = r.GetString(8);
        int attempts = r.GetInt32(9);
        var leaseUntil = _d.ReadNullableTime(r, 10);
        string? note = _d.ReadNullableText(r, 13);
        (state, note) = Effective(state, attempts, leaseUntil, note, now, maxAttempts);
        return new WorkItem(tenant, r.GetString(0), r.GetString(1), r.GetString(2), _d.ReadNullableText(r, 3), _d.ReadNullableText(r, 4), r.GetString(5),
            r.GetInt32(6), _d.ReadNullableTime(r, 7), state, attempts, state == WorkItem.States.Claimed ? leaseUntil : null, _d.ReadNullableText(r, 11),
            _d.ReadNullableText(r, 12), note, _d.ReadNullableText(r, 14), r.GetString(15), _d.ReadTime(r, 16), _d.ReadTime(r, 17), _d.ReadNullableTime(r, 18));
    }

    /// <summary>A claimed item whose lease lapsed is queued again, or failed once it used every attempt (<see cref="EffectiveState"/> in C#).</summary>
    static (string State, string? Note) Effective(string state, int attempts, DateTime? leaseUntil, string? note, DateTime now, int maxAttempts) =>
        state == WorkItem.States.Claimed && leaseUntil <= now
            ? attempts >= maxAttempts
                ? (WorkItem.States.Failed, note ?? $"Failed: the lease lapsed on each of {attempts} attempts without a complete or fail.")
                : (WorkItem.States.Queued, note)
            : (state, note);
}
