using System.Data.Common;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Sql;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Outbox;

/// <summary>
/// The dispatcher's side of webhooks. change_log is the outbox: every write appends its row in its own
/// transaction. <see cref="FanOutAsync"/> turns the rows after each subscription's cursor into delivery
/// rows and moves the cursor in one transaction of the tenant, under a lock of the subscription row that
/// re-reads the cursor, so a committed change is always either after the cursor or a delivery row, once,
/// however many nodes fan out at the same time. A delivery row leaves 'pending' only when a receiver
/// answered 2xx or its retry window ran out; a claim is a lease (next_attempt_at moves to the lease's
/// end) taken only on rows no other node is claiming, so a process killed mid-attempt leaves rows that
/// fall due again by themselves. The scans of what is behind or due span every tenant.
/// </summary>
internal sealed class WebhookOutbox(SqlDatabase db) : IWebhookOutbox
{
    readonly SqlDialect _d = db.Dialect;

    string BehindWebhooks => $"""
        SELECT w.tenant_id, w.id FROM webhooks w JOIN tenants t ON t.id = w.tenant_id
        WHERE w.active = {_d.True} AND w.cursor_seq < t.change_seq
        """;

    string LockWebhook => $"SELECT objects, operations, fields, cursor_seq FROM webhooks WHERE tenant_id = @tenant AND id = @webhook AND active = {_d.True}{_d.ForUpdate}";

    string ChangesAfter => $"""
        SELECT seq, object, record_id, operation, changes, actor_id, channel, created_at, actor_name
        FROM change_log WHERE tenant_id = @tenant AND seq > @after ORDER BY seq {_d.Limit}
        """;

    const string InsertDelivery = """
        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, seq, object, record_id, operation, payload, status, attempts, created_at, window_start, next_attempt_at)
        VALUES (@tenant, @id, @webhook, @seq, @object, @record, @operation, @payload, 'pending', 0, @now, @now, @now)
        ON CONFLICT DO NOTHING
        """;

    const string AdvanceCursor = "UPDATE webhooks SET cursor_seq = @seq WHERE tenant_id = @tenant AND id = @webhook AND cursor_seq < @seq";

    // A pending event is held back while an earlier pending event of the same record and webhook
    // exists (being retried or leased): that is what keeps order per record.
    string Due => $"""
        SELECT d.tenant_id, d.id FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND w.active = {_d.True}
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                          WHERE e.tenant_id = d.tenant_id AND e.webhook_id = d.webhook_id AND e.record_id = d.record_id
                            AND e.status = 'pending' AND e.seq < d.seq)
        ORDER BY d.next_attempt_at, d.seq
        {_d.Limit}{_d.ForUpdateSkipLocked("d")}
        """;

    const string Lease = """
        UPDATE webhook_deliveries SET attempts = attempts + 1, lease_until = @lease, next_attempt_at = @lease, last_attempt_at = @now
        WHERE tenant_id = @tenant AND id = @id
        """;

    const string Leased = """
        SELECT d.webhook_id, w.url, w.secret, d.payload, d.attempts, d.window_start
        FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
        WHERE d.tenant_id = @tenant AND d.id = @id
        """;

    const string Delivered = """
        UPDATE webhook_deliveries SET status = 'delivered', lease_until = NULL, delivered_at = @at, last_status_code = @code, last_latency_ms = @ms, last_error = NULL
        WHERE tenant_id = @tenant AND id = @id AND status = 'pending' AND lease_until = @lease
        """;

    const string Failed = """
        UPDATE webhook_deliveries SET status = CASE WHEN @next IS NULL THEN 'dead' ELSE 'pending' END, lease_until = NULL,
            next_attempt_at = COALESCE(@next, next_attempt_at), last_status_code = @code, last_latency_ms = @ms, last_error = @error
        WHERE tenant_id = @tenant AND id = @id AND status = 'pending' AND lease_until = @lease
        """;

    public bool HasChangesToFanOut() => db.ReadAcrossTenants(session =>
    {
        using var reader = session.Command(BehindWebhooks + " LIMIT 1").ExecuteReader();
        return reader.Read();
    });

    public long Backlog() => db.ReadAcrossTenants(session =>
        Convert.ToInt64(session.Command("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").ExecuteScalar() ?? 0L,
            System.Globalization.CultureInfo.InvariantCulture));

    public DateTime? NextDue() => db.ReadAcrossTenants(session =>
    {
        using var reader = session.Command("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'").ExecuteReader();
        return reader.Read() ? session.Dialect.ReadNullableTime(reader, 0) : null;
    });

    public async Task<int> FanOutAsync(DateTime now, int limit, CancellationToken ct)
    {
        var behind = await db.ReadAcrossTenantsAsync(async session =>
        {
            await using var reader = await session.Command(BehindWebhooks).ExecuteReaderAsync(ct);
            var list = new List<(TenantId Tenant, string Webhook)>();
            while (await reader.ReadAsync(ct)) list.Add((session.Dialect.ReadTenant(reader, 0), reader.GetString(1)));
            return list;
        }, ct);
        // Together: SQLite's writer commits them as one group, PostgreSQL runs them side by side.
        var queued = await Task.WhenAll(behind.Select(b =>
            db.WriteAsync(b.Tenant, session => FanOutOneAsync(session, b.Tenant, b.Webhook, now, limit, ct), ct)));
        return queued.Sum();
    }

    async Task<int> FanOutOneAsync(SqlSession session, TenantId tenant, string webhook, DateTime now, int limit, CancellationToken ct)
    {
        WebhookFilter filter;
        long cursor;
        var lockRow = session.Command(LockWebhook);
        _d.AddTenant(lockRow, tenant);
        _d.AddText(lockRow, "@webhook", webhook);
        await using (var reader = await lockRow.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return 0; // deleted or paused since the scan
            filter = Filter(_d.ReadNullableText(reader, 0), _d.ReadNullableText(reader, 1), _d.ReadNullableText(reader, 2));
            cursor = reader.GetInt64(3);
        }
        long last = cursor;
        var matches = new List<(long Seq, string EventId, string Object, string Record, string Operation, string Payload)>();
        var read = session.Command(ChangesAfter);
        _d.AddTenant(read, tenant);
        _d.AddLong(read, "@after", cursor);
        _d.AddLong(read, "@limit", limit);
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                last = reader.GetInt64(0);
                string obj = reader.GetString(1), record = reader.GetString(2), operation = reader.GetString(3), changes = reader.GetString(4);
                if (!filter.Matches(obj, operation, WebhookPayload.ChangedFields(changes))) continue;
                string eventId = WebhookService.NewEventId();
                string payload = WebhookPayload.Build(eventId, webhook, obj, record, operation, last, _d.ReadTime(reader, 7),
                    reader.GetString(5), _d.ReadNullableText(reader, 8), reader.GetString(6), changes);
                matches.Add((last, eventId, obj, record, operation, payload));
            }
        }
        int queued = 0;
        foreach (var (seq, eventId, obj, record, operation, payload) in matches)
        {
            var insert = session.Command(InsertDelivery);
            _d.AddTenant(insert, tenant);
            _d.AddText(insert, "@id", eventId);
            _d.AddText(insert, "@webhook", webhook);
            _d.AddLong(insert, "@seq", seq);
            _d.AddText(insert, "@object", obj);
            _d.AddText(insert, "@record", record);
            _d.AddText(insert, "@operation", operation);
            _d.AddText(insert, "@payload", payload);
            _d.AddTime(insert, "@now", now);
            queued += await insert.ExecuteNonQueryAsync(ct);
        }
        var advance = session.Command(AdvanceCursor);
        _d.AddTenant(advance, tenant);
        _d.AddText(advance, "@webhook", webhook);
        _d.AddLong(advance, "@seq", last);
        await advance.ExecuteNonQueryAsync(ct);
        return queued;
    }

    public Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct) =>
        LeasedClaims.ClaimAsync(db, Due, Lease, Leased, now, leaseUntil, limit, (reader, tenant, id, lease) =>
            new DueDelivery(tenant, id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Convert.ToInt32(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture), _d.ReadTime(reader, 5), lease),
            ct, update => _d.AddTime(update, "@now", now));

    public Task RecordAsync(AttemptOutcome outcome, CancellationToken ct)
    {
        var d = outcome.Delivery;
        return db.WriteAsync(d.Tenant, async session =>
        {
            var command = session.Command(outcome.Delivered ? Delivered : Failed);
            _d.AddTenant(command, d.Tenant);
            _d.AddText(command, "@id", d.Id);
            _d.AddTime(command, "@lease", ParseTime(d.Lease));
            _d.Add(command, "@code", outcome.StatusCode, Domain.Metadata.StorageKind.Integer);
            _d.Add(command, "@ms", Math.Round(outcome.LatencyMs, 1), Domain.Metadata.StorageKind.Real);
            if (outcome.Delivered) _d.AddTime(command, "@at", outcome.At);
            else
            {
                _d.AddTime(command, "@next", outcome.NextAttemptAt);
                _d.AddText(command, "@error", outcome.Error);
            }
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }
}
