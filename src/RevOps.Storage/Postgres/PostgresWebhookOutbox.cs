using Npgsql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Outbox;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Postgres;

/// <summary>
/// The dispatcher's side of webhooks on PostgreSQL, with the same guarantees as on SQLite (see
/// SqliteWebhookOutbox) and safe with several nodes dispatching at once: a fan-out locks its
/// subscription row and re-reads the cursor before copying, and a claim takes only rows no other
/// node is claiming (FOR UPDATE SKIP LOCKED). The scans of what is behind or due span every
/// tenant and run as the operator; copying one subscription's changes runs in its tenant.
/// </summary>
internal sealed class PostgresWebhookOutbox(PostgresDatabase db) : IWebhookOutbox
{
    const string BehindWebhooks = """
        SELECT w.tenant_id, w.id FROM webhooks w JOIN tenants t ON t.id = w.tenant_id
        WHERE w.active AND w.cursor_seq < t.change_seq
        """;

    const string LockWebhook = "SELECT objects, operations, fields, cursor_seq FROM webhooks WHERE tenant_id = @tenant AND id = @webhook AND active FOR UPDATE";

    const string ChangesAfter = """
        SELECT seq, object, record_id, operation, changes, actor_id, channel, created_at
        FROM change_log WHERE tenant_id = @tenant AND seq > @after ORDER BY seq LIMIT @limit
        """;

    const string InsertDelivery = """
        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, seq, object, record_id, operation, payload, status, attempts, created_at, window_start, next_attempt_at)
        VALUES (@tenant, @id, @webhook, @seq, @object, @record, @operation, @payload, 'pending', 0, @now, @now, @now)
        ON CONFLICT DO NOTHING
        """;

    const string AdvanceCursor = "UPDATE webhooks SET cursor_seq = @seq WHERE tenant_id = @tenant AND id = @webhook AND cursor_seq < @seq";

    // A pending event is held back while an earlier pending event of the same record and webhook
    // exists (being retried or leased): that is what keeps order per record.
    const string Claim = """
        WITH due AS (
            SELECT d.tenant_id, d.id FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND w.active
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                              WHERE e.tenant_id = d.tenant_id AND e.webhook_id = d.webhook_id AND e.record_id = d.record_id
                                AND e.status = 'pending' AND e.seq < d.seq)
            ORDER BY d.next_attempt_at, d.seq
            LIMIT @limit
            FOR UPDATE OF d SKIP LOCKED)
        UPDATE webhook_deliveries d SET attempts = d.attempts + 1, lease_until = @lease, next_attempt_at = @lease, last_attempt_at = @now
        FROM due, webhooks w
        WHERE d.tenant_id = due.tenant_id AND d.id = due.id AND w.tenant_id = d.tenant_id AND w.id = d.webhook_id
        RETURNING d.tenant_id, d.id, d.webhook_id, w.url, w.secret, d.payload, d.attempts, d.window_start, d.next_attempt_at, d.seq
        """;

    const string Delivered = """
        UPDATE webhook_deliveries SET status = 'delivered', lease_until = NULL, delivered_at = @at, last_status_code = @code, last_latency_ms = @ms, last_error = NULL
        WHERE tenant_id = @tenant AND id = @id AND status = 'pending' AND lease_until = @lease
        """;

    const string Failed = """
        UPDATE webhook_deliveries SET status = CASE WHEN @next::timestamptz IS NULL THEN 'dead' ELSE 'pending' END, lease_until = NULL,
            next_attempt_at = COALESCE(@next, next_attempt_at), last_status_code = @code, last_latency_ms = @ms, last_error = @error
        WHERE tenant_id = @tenant AND id = @id AND status = 'pending' AND lease_until = @lease
        """;

    public bool HasChangesToFanOut() => db.AsOperator(connection =>
    {
        using var command = new NpgsqlCommand(BehindWebhooks + " LIMIT 1", connection);
        return command.ExecuteScalar() is not null;
    });

    public long Backlog() => db.AsOperator(connection =>
    {
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'", connection);
        return (long)command.ExecuteScalar()!;
    });

    public DateTime? NextDue() => db.AsOperator(connection =>
    {
        using var command = new NpgsqlCommand("SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'", connection);
        return command.ExecuteScalar() is DateTime due ? due : (DateTime?)null;
    });

    public async Task<int> FanOutAsync(DateTime now, int limit, CancellationToken ct)
    {
        var behind = await db.AsOperatorAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(BehindWebhooks, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var list = new List<(TenantId Tenant, string Webhook)>();
            while (await reader.ReadAsync(ct)) list.Add((new TenantId(reader.GetGuid(0)), reader.GetString(1)));
            return list;
        }, ct);
        int queued = 0;
        foreach (var (tenant, webhook) in behind)
            queued += await db.InTenantAsync(tenant, connection => FanOutOneAsync(connection, tenant, webhook, now, limit, ct), ct);
        return queued;
    }

    static async Task<int> FanOutOneAsync(NpgsqlConnection connection, TenantId tenant, string webhook, DateTime now, int limit, CancellationToken ct)
    {
        WebhookFilter filter;
        long cursor;
        await using (var lockRow = new NpgsqlCommand(LockWebhook, connection))
        {
            PostgresValues.AddTenant(lockRow.Parameters, tenant);
            PostgresValues.Add(lockRow.Parameters, "webhook", webhook);
            await using var reader = await lockRow.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return 0; // deleted or paused since the scan
            filter = Filter(PostgresValues.NullableText(reader, 0), PostgresValues.NullableText(reader, 1), PostgresValues.NullableText(reader, 2));
            cursor = reader.GetInt64(3);
        }
        long last = cursor;
        var matches = new List<(long Seq, string EventId, string Object, string Record, string Operation, string Payload)>();
        await using (var read = new NpgsqlCommand(ChangesAfter, connection))
        {
            PostgresValues.AddTenant(read.Parameters, tenant);
            PostgresValues.Add(read.Parameters, "after", cursor);
            PostgresValues.Add(read.Parameters, "limit", (long)limit);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                last = reader.GetInt64(0);
                string obj = reader.GetString(1), record = reader.GetString(2), operation = reader.GetString(3), changes = reader.GetString(4);
                if (!filter.Matches(obj, operation, WebhookPayload.ChangedFields(changes))) continue;
                string eventId = WebhookService.NewEventId();
                string payload = WebhookPayload.Build(eventId, webhook, obj, record, operation, last, reader.GetFieldValue<DateTime>(7),
                    reader.GetString(5), reader.GetString(6), changes);
                matches.Add((last, eventId, obj, record, operation, payload));
            }
        }
        int queued = 0;
        foreach (var (seq, eventId, obj, record, operation, payload) in matches)
        {
            await using var insert = new NpgsqlCommand(InsertDelivery, connection);
            var p = insert.Parameters;
            PostgresValues.AddTenant(p, tenant);
            PostgresValues.Add(p, "id", eventId);
            PostgresValues.Add(p, "webhook", webhook);
            PostgresValues.Add(p, "seq", seq);
            PostgresValues.Add(p, "object", obj);
            PostgresValues.Add(p, "record", record);
            PostgresValues.Add(p, "operation", operation);
            PostgresValues.Add(p, "payload", payload);
            PostgresValues.Add(p, "now", now);
            queued += await insert.ExecuteNonQueryAsync(ct);
        }
        await using (var advance = new NpgsqlCommand(AdvanceCursor, connection))
        {
            PostgresValues.AddTenant(advance.Parameters, tenant);
            PostgresValues.Add(advance.Parameters, "webhook", webhook);
            PostgresValues.Add(advance.Parameters, "seq", last);
            await advance.ExecuteNonQueryAsync(ct);
        }
        return queued;
    }

    public Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct) =>
        db.AsOperatorAsync<IReadOnlyList<DueDelivery>>(async connection =>
        {
            var lease = PostgresValues.Time(leaseUntil);
            await using var command = new NpgsqlCommand(Claim, connection);
            PostgresValues.Add(command.Parameters, "now", now);
            PostgresValues.Add(command.Parameters, "lease", lease);
            PostgresValues.Add(command.Parameters, "limit", (long)limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var claimed = new List<(DueDelivery Delivery, long? Seq)>();
            while (await reader.ReadAsync(ct))
                claimed.Add((new DueDelivery(new TenantId(reader.GetGuid(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt32(6), reader.GetFieldValue<DateTime>(7), Time(lease)), reader.IsDBNull(9) ? null : reader.GetInt64(9)));
            // RETURNING comes in no particular order; senders start in the order the claim chose.
            return claimed.OrderBy(c => c.Seq is null ? 0 : 1).ThenBy(c => c.Seq).Select(c => c.Delivery).ToList();
        }, ct);

    public Task RecordAsync(AttemptOutcome outcome, CancellationToken ct)
    {
        var d = outcome.Delivery;
        return db.InTenantAsync(d.Tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(outcome.Delivered ? Delivered : Failed, connection);
            var p = command.Parameters;
            PostgresValues.AddTenant(p, d.Tenant);
            PostgresValues.Add(p, "id", d.Id);
            PostgresValues.Add(p, "lease", ParseTime(d.Lease));
            PostgresValues.Add(p, "code", outcome.StatusCode, Domain.Metadata.StorageKind.Integer);
            PostgresValues.Add(p, "ms", Math.Round(outcome.LatencyMs, 1), Domain.Metadata.StorageKind.Real);
            if (outcome.Delivered) PostgresValues.Add(p, "at", outcome.At);
            else
            {
                PostgresValues.Add(p, "next", outcome.NextAttemptAt);
                PostgresValues.Add(p, "error", outcome.Error);
            }
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }
}
