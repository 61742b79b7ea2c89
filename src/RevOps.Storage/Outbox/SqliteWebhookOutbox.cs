using Microsoft.Data.Sqlite;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Sqlite;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Outbox;

/// <summary>
/// The dispatcher's side of webhooks. change_log is the outbox: every write appends its row in
/// its own transaction. <see cref="FanOutAsync"/> turns the rows after each subscription's cursor
/// into delivery rows and moves the cursor in one transaction, so a committed change is always
/// either after the cursor or a delivery row. A delivery row leaves 'pending' only when a receiver
/// answered 2xx or its retry window ran out; a claim is a lease (next_attempt_at moves to the
/// lease's end), so a process killed mid-attempt leaves rows that fall due again by themselves.
/// </summary>
public sealed class SqliteWebhookOutbox(SqliteDatabase db) : IWebhookOutbox
{
    const string BehindWebhooks = """
        SELECT w.tenant_id, w.id, w.objects, w.operations, w.fields, w.cursor_seq
        FROM webhooks w JOIN tenants t ON t.id = w.tenant_id
        WHERE w.active = 1 AND w.cursor_seq < t.change_seq
        """;

    const string ChangesAfter = $"""
        SELECT seq, object, record_id, operation, changes, actor_id, channel, created_at
        FROM change_log WHERE tenant_id = $tenant AND seq > $after ORDER BY seq {SqlPaging.Limit}
        """;

    const string InsertDelivery = """
        INSERT OR IGNORE INTO webhook_deliveries (tenant_id, id, webhook_id, seq, object, record_id, operation, payload, status, attempts, created_at, window_start, next_attempt_at)
        VALUES ($tenant, $id, $webhook, $seq, $object, $record, $operation, $payload, 'pending', 0, $now, $now, $now)
        """;

    const string AdvanceCursor = "UPDATE webhooks SET cursor_seq = $seq WHERE tenant_id = $tenant AND id = $webhook AND cursor_seq < $seq";

    // A pending event is held back while an earlier pending event of the same record and webhook
    // exists (being retried or leased): that is what keeps order per record.
    const string Due = $"""
        SELECT d.tenant_id, d.id, d.webhook_id, w.url, w.secret, d.payload, d.attempts, d.window_start
        FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= $now AND w.active = 1
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                          WHERE e.tenant_id = d.tenant_id AND e.webhook_id = d.webhook_id AND e.record_id = d.record_id
                            AND e.status = 'pending' AND e.seq < d.seq)
        ORDER BY d.next_attempt_at, d.seq {SqlPaging.Limit}
        """;

    const string Lease = """
        UPDATE webhook_deliveries SET attempts = attempts + 1, lease_until = $lease, next_attempt_at = $lease, last_attempt_at = $now
        WHERE tenant_id = $tenant AND id = $id
        """;

    const string Delivered = """
        UPDATE webhook_deliveries SET status = 'delivered', lease_until = NULL, delivered_at = $at, last_status_code = $code, last_latency_ms = $ms, last_error = NULL
        WHERE tenant_id = $tenant AND id = $id AND status = 'pending' AND lease_until = $lease
        """;

    const string Failed = """
        UPDATE webhook_deliveries SET status = CASE WHEN $next IS NULL THEN 'dead' ELSE 'pending' END, lease_until = NULL,
            next_attempt_at = COALESCE($next, next_attempt_at), last_status_code = $code, last_latency_ms = $ms, last_error = $error
        WHERE tenant_id = $tenant AND id = $id AND status = 'pending' AND lease_until = $lease
        """;

    /// <summary>True when some active subscription has changes it has not turned into deliveries yet.</summary>
    public bool HasChangesToFanOut() => db.Read(session =>
    {
        var command = session.Command(BehindWebhooks + " LIMIT 1");
        using var reader = command.ExecuteReader();
        return reader.Read();
    });

    /// <summary>Deliveries not yet made (pending, in every tenant): the webhook backlog /metrics reports.</summary>
    public long Backlog() => db.Read(session => (long)(session.Command("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").ExecuteScalar() ?? 0L));

    /// <summary>The earliest next_attempt_at of any pending delivery, over every tenant; null when none is pending.</summary>
    public DateTime? NextDue() => db.Read(session =>
    {
        var value = session.Command("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'").ExecuteScalar();
        return value is string text ? ParseTime(text) : (DateTime?)null;
    });

    /// <summary>Copies up to <paramref name="limit"/> changes per subscription into matching deliveries; returns how many deliveries it queued.</summary>
    public Task<int> FanOutAsync(DateTime now, int limit, CancellationToken ct) => db.WriteAsync(session =>
    {
        var behind = new List<(string Tenant, string Webhook, WebhookFilter Filter, long Cursor)>();
        using (var reader = session.Command(BehindWebhooks).ExecuteReader())
            while (reader.Read())
                behind.Add((reader.GetString(0), reader.GetString(1), Filter(Text(reader, 2), Text(reader, 3), Text(reader, 4)), reader.GetInt64(5)));

        int queued = 0;
        string nowText = Time(now);
        foreach (var (tenant, webhook, filter, cursor) in behind)
        {
            long last = cursor;
            var read = session.Command(ChangesAfter);
            read.Parameters.AddWithValue("$tenant", tenant);
            read.Parameters.AddWithValue("$after", cursor);
            read.Parameters.AddWithValue("$limit", limit);
            var matches = new List<(long Seq, string EventId, string Object, string Record, string Operation, string Payload)>();
            using (var reader = read.ExecuteReader())
                while (reader.Read())
                {
                    last = reader.GetInt64(0);
                    string obj = reader.GetString(1), operation = reader.GetString(3), changes = reader.GetString(4);
                    if (!filter.Matches(obj, operation, WebhookPayload.ChangedFields(changes))) continue;
                    string eventId = WebhookService.NewEventId();
                    string payload = WebhookPayload.Build(eventId, webhook, obj, reader.GetString(2), operation, last, ParseTime(reader.GetString(7)),
                        reader.GetString(5), reader.GetString(6), changes);
                    matches.Add((last, eventId, obj, reader.GetString(2), operation, payload));
                }
            foreach (var (seq, eventId, obj, record, operation, payload) in matches)
            {
                var insert = session.Command(InsertDelivery);
                insert.Parameters.AddWithValue("$tenant", tenant);
                insert.Parameters.AddWithValue("$id", eventId);
                insert.Parameters.AddWithValue("$webhook", webhook);
                insert.Parameters.AddWithValue("$seq", seq);
                insert.Parameters.AddWithValue("$object", obj);
                insert.Parameters.AddWithValue("$record", record);
                insert.Parameters.AddWithValue("$operation", operation);
                insert.Parameters.AddWithValue("$payload", payload);
                insert.Parameters.AddWithValue("$now", nowText);
                queued += insert.ExecuteNonQuery();
            }
            var advance = session.Command(AdvanceCursor);
            advance.Parameters.AddWithValue("$tenant", tenant);
            advance.Parameters.AddWithValue("$webhook", webhook);
            advance.Parameters.AddWithValue("$seq", last);
            advance.ExecuteNonQuery();
        }
        return queued;
    }, ct);

    /// <summary>Leases up to <paramref name="limit"/> due deliveries until <paramref name="leaseUntil"/> and counts the attempt.</summary>
    public Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct) => db.WriteAsync<IReadOnlyList<DueDelivery>>(session =>
    {
        string nowText = Time(now), lease = Time(leaseUntil);
        var due = session.Command(Due);
        due.Parameters.AddWithValue("$now", nowText);
        due.Parameters.AddWithValue("$limit", limit);
        var claimed = new List<DueDelivery>();
        using (var reader = due.ExecuteReader())
            while (reader.Read())
                claimed.Add(new DueDelivery(new TenantId(Guid.Parse(reader.GetString(0))), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.GetString(4), reader.GetString(5), reader.GetInt32(6) + 1, ParseTime(reader.GetString(7)), lease));
        foreach (var delivery in claimed)
        {
            var update = session.Command(Lease);
            update.Parameters.AddWithValue("$tenant", delivery.Tenant.ToString());
            update.Parameters.AddWithValue("$id", delivery.Id);
            update.Parameters.AddWithValue("$lease", lease);
            update.Parameters.AddWithValue("$now", nowText);
            update.ExecuteNonQuery();
        }
        return claimed;
    }, ct);

    /// <summary>Records how an attempt ended, unless another sender has leased the delivery since.</summary>
    public Task RecordAsync(AttemptOutcome outcome, CancellationToken ct) => db.WriteAsync(session =>
    {
        var d = outcome.Delivery;
        var command = session.Command(outcome.Delivered ? Delivered : Failed);
        command.Parameters.AddWithValue("$tenant", d.Tenant.ToString());
        command.Parameters.AddWithValue("$id", d.Id);
        command.Parameters.AddWithValue("$lease", d.Lease);
        command.Parameters.AddWithValue("$code", (object?)outcome.StatusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$ms", Math.Round(outcome.LatencyMs, 1));
        if (outcome.Delivered) command.Parameters.AddWithValue("$at", Time(outcome.At));
        else
        {
            command.Parameters.AddWithValue("$next", outcome.NextAttemptAt is { } next ? Time(next) : DBNull.Value);
            command.Parameters.AddWithValue("$error", (object?)outcome.Error ?? DBNull.Value);
        }
        return command.ExecuteNonQuery();
    }, ct);

    static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
