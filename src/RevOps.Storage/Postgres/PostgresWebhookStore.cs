using Npgsql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Postgres;

/// <summary>Subscriptions and the delivery log; every statement runs in the caller's tenant transaction.</summary>
internal sealed class PostgresWebhookStore(PostgresDatabase db) : IWebhookStore
{
    const string Columns = "id, url, objects, operations, fields, active, created_at";

    internal const string DeliveryColumns = """
        id, webhook_id, seq, object, record_id, operation, status, attempts, created_at, next_attempt_at, last_attempt_at,
        last_status_code, last_latency_ms, last_error, delivered_at
        """;

    public Task CreateAsync(Webhook webhook, string secret, CancellationToken ct) =>
        db.InTenantAsync(webhook.Tenant, async connection =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO webhooks (tenant_id, id, url, secret, objects, operations, fields, active, cursor_seq, created_at)
                VALUES (@tenant, @id, @url, @secret, @objects, @operations, @fields, @active,
                        (SELECT change_seq FROM tenants WHERE id = @tenant), @created)
                """, connection);
            var p = command.Parameters;
            PostgresValues.AddTenant(p, webhook.Tenant);
            PostgresValues.Add(p, "id", webhook.Id);
            PostgresValues.Add(p, "url", webhook.Url);
            PostgresValues.Add(p, "secret", secret);
            PostgresValues.Add(p, "objects", ListJson(webhook.Filter.Objects));
            PostgresValues.Add(p, "operations", ListJson(webhook.Filter.Operations));
            PostgresValues.Add(p, "fields", ListJson(webhook.Filter.Fields));
            p.AddWithValue("active", webhook.Active);
            PostgresValues.Add(p, "created", webhook.CreatedAt);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task<IReadOnlyList<Webhook>> ListAsync(TenantId tenant, CancellationToken ct) =>
        db.InTenantAsync<IReadOnlyList<Webhook>>(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM webhooks WHERE tenant_id = @tenant ORDER BY created_at, id", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var webhooks = new List<Webhook>();
            while (await reader.ReadAsync(ct)) webhooks.Add(ReadWebhook(reader, tenant));
            return webhooks;
        }, ct);

    public Task<Webhook?> GetAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM webhooks WHERE tenant_id = @tenant AND id = @id", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadWebhook(reader, tenant) : null;
        }, ct);

    public Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using (var deliveries = new NpgsqlCommand("DELETE FROM webhook_deliveries WHERE tenant_id = @tenant AND webhook_id = @id", connection))
            {
                PostgresValues.AddTenant(deliveries.Parameters, tenant);
                PostgresValues.Add(deliveries.Parameters, "id", id);
                await deliveries.ExecuteNonQueryAsync(ct);
            }
            await using var webhook = new NpgsqlCommand("DELETE FROM webhooks WHERE tenant_id = @tenant AND id = @id", connection);
            PostgresValues.AddTenant(webhook.Parameters, tenant);
            PostgresValues.Add(webhook.Parameters, "id", id);
            return await webhook.ExecuteNonQueryAsync(ct) > 0;
        }, ct);

    public Task EnqueueAsync(TenantId tenant, string webhookId, string eventId, string operation, string payload, DateTime now, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, seq, object, record_id, operation, payload, status, attempts, created_at, window_start, next_attempt_at)
                VALUES (@tenant, @id, @webhook, NULL, NULL, NULL, @operation, @payload, 'pending', 0, @now, @now, @now)
                """, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "id", eventId);
            PostgresValues.Add(command.Parameters, "webhook", webhookId);
            PostgresValues.Add(command.Parameters, "operation", operation);
            PostgresValues.Add(command.Parameters, "payload", payload);
            PostgresValues.Add(command.Parameters, "now", now);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    public async Task<WebhookDelivery?> RedeliverAsync(TenantId tenant, string deliveryId, DateTime now, CancellationToken ct)
    {
        int updated = await db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE webhook_deliveries
                SET status = 'pending', window_start = @now, next_attempt_at = @now, lease_until = NULL, delivered_at = NULL
                WHERE tenant_id = @tenant AND id = @id AND status <> 'pending'
                """, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "id", deliveryId);
            PostgresValues.Add(command.Parameters, "now", now);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
        return updated == 0 ? null : await GetDeliveryAsync(tenant, deliveryId, ct);
    }

    public Task<WebhookDelivery?> GetDeliveryAsync(TenantId tenant, string deliveryId, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE tenant_id = @tenant AND id = @id", connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "id", deliveryId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadDelivery(reader) : null;
        }, ct);

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(TenantId tenant, string webhookId, string? status, int limit, CancellationToken ct) =>
        db.InTenantAsync<IReadOnlyList<WebhookDelivery>>(tenant, async connection =>
        {
            // SQLite sorts NULL seqs (test pings) below every number, so last in DESC order; NULLS LAST says the same here.
            await using var command = new NpgsqlCommand($"""
                SELECT {DeliveryColumns} FROM webhook_deliveries
                WHERE tenant_id = @tenant AND webhook_id = @webhook AND (@status::text IS NULL OR status = @status)
                ORDER BY created_at DESC, seq DESC NULLS LAST LIMIT @limit
                """, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "webhook", webhookId);
            PostgresValues.Add(command.Parameters, "status", status);
            PostgresValues.Add(command.Parameters, "limit", (long)limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var deliveries = new List<WebhookDelivery>();
            while (await reader.ReadAsync(ct)) deliveries.Add(ReadDelivery(reader));
            return deliveries;
        }, ct);

    static Webhook ReadWebhook(NpgsqlDataReader reader, TenantId tenant) => new(reader.GetString(0), tenant, reader.GetString(1),
        Filter(PostgresValues.NullableText(reader, 2), PostgresValues.NullableText(reader, 3), PostgresValues.NullableText(reader, 4)),
        reader.GetBoolean(5), reader.GetFieldValue<DateTime>(6));

    static WebhookDelivery ReadDelivery(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetInt64(2), PostgresValues.NullableText(reader, 3), PostgresValues.NullableText(reader, 4),
        reader.GetString(5), reader.GetString(6), reader.GetInt32(7), reader.GetFieldValue<DateTime>(8), reader.GetFieldValue<DateTime>(9),
        PostgresValues.NullableTime(reader, 10), reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.IsDBNull(12) ? null : reader.GetDouble(12),
        PostgresValues.NullableText(reader, 13), PostgresValues.NullableTime(reader, 14));
}
