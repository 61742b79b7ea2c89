using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Sql;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Webhooks;

/// <summary>Subscriptions and the delivery log, on either engine; every statement runs in the caller's tenant transaction.</summary>
internal sealed class WebhookStore(SqlDatabase db) : IWebhookStore
{
    const string Insert = """
        INSERT INTO webhooks (tenant_id, id, url, secret, objects, operations, fields, active, cursor_seq, created_at)
        VALUES (@tenant, @id, @url, @secret, @objects, @operations, @fields, @active,
                (SELECT change_seq FROM tenants WHERE id = @tenant), @created)
        """;

    const string ListAll = $"SELECT {WebhookColumns} FROM webhooks WHERE tenant_id = @tenant ORDER BY created_at, id";

    const string One = $"SELECT {WebhookColumns} FROM webhooks WHERE tenant_id = @tenant AND id = @id";

    const string DeleteDeliveries = "DELETE FROM webhook_deliveries WHERE tenant_id = @tenant AND webhook_id = @id";

    const string Delete = "DELETE FROM webhooks WHERE tenant_id = @tenant AND id = @id";

    const string Update = "UPDATE webhooks SET url = @url, objects = @objects, operations = @operations, fields = @fields WHERE tenant_id = @tenant AND id = @id";

    const string Enqueue = """
        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, seq, object, record_id, operation, payload, status, attempts, created_at, window_start, next_attempt_at)
        VALUES (@tenant, @id, @webhook, NULL, NULL, NULL, @operation, @payload, 'pending', 0, @now, @now, @now)
        ON CONFLICT (tenant_id, id) DO NOTHING
        """;

    const string Redeliver = """
        UPDATE webhook_deliveries
        SET status = 'pending', window_start = @now, next_attempt_at = @now, lease_until = NULL, delivered_at = NULL
        WHERE tenant_id = @tenant AND id = @id AND status <> 'pending'
        """;

    const string OneDelivery = $"SELECT {DeliveryColumns} FROM webhook_deliveries WHERE tenant_id = @tenant AND id = @id";

    // NULL seqs (test pings) sort last in DESC order, as SQLite sorts NULL below every number.
    readonly string _deliveries = $"""
        SELECT {DeliveryColumns} FROM webhook_deliveries
        WHERE tenant_id = @tenant AND webhook_id = @webhook AND (@status IS NULL OR status = @status)
        ORDER BY created_at DESC, seq {db.Dialect.Direction(descending: true)} {db.Dialect.Limit}
        """;

    public Task CreateAsync(Webhook webhook, string secret, CancellationToken ct) =>
        db.WriteAsync(webhook.Tenant, session =>
        {
            var d = session.Dialect;
            var command = session.Command(Insert);
            d.AddTenant(command, webhook.Tenant);
            d.AddText(command, "@id", webhook.Id);
            d.AddText(command, "@url", webhook.Url);
            d.AddText(command, "@secret", secret);
            d.AddText(command, "@objects", ListJson(webhook.Filter.Objects));
            d.AddText(command, "@operations", ListJson(webhook.Filter.Operations));
            d.AddText(command, "@fields", ListJson(webhook.Filter.Fields));
            d.Add(command, "@active", webhook.Active, StorageKind.Boolean);
            d.AddTime(command, "@created", webhook.CreatedAt);
            return command.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task<IReadOnlyList<Webhook>> ListAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<Webhook>>(tenant, async session =>
        {
            var command = session.Command(ListAll);
            session.Dialect.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var webhooks = new List<Webhook>();
            while (await reader.ReadAsync(ct)) webhooks.Add(ReadWebhook(session.Dialect, reader, tenant));
            return webhooks;
        }, ct);

    public Task<Webhook?> GetAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(One);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadWebhook(session.Dialect, reader, tenant) : null;
        }, ct);

    public Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var deliveries = session.Command(DeleteDeliveries);
            session.Dialect.AddTenant(deliveries, tenant);
            session.Dialect.AddText(deliveries, "@id", id);
            await deliveries.ExecuteNonQueryAsync(ct);
            var webhook = session.Command(Delete);
            session.Dialect.AddTenant(webhook, tenant);
            session.Dialect.AddText(webhook, "@id", id);
            return await webhook.ExecuteNonQueryAsync(ct) > 0;
        }, ct);

    public Task<bool> UpdateAsync(Webhook webhook, CancellationToken ct) =>
        db.WriteAsync(webhook.Tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(Update);
            d.AddTenant(command, webhook.Tenant);
            d.AddText(command, "@id", webhook.Id);
            d.AddText(command, "@url", webhook.Url);
            d.AddText(command, "@objects", ListJson(webhook.Filter.Objects));
            d.AddText(command, "@operations", ListJson(webhook.Filter.Operations));
            d.AddText(command, "@fields", ListJson(webhook.Filter.Fields));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    public Task EnqueueAsync(TenantId tenant, string webhookId, string eventId, string operation, string payload, DateTime now, CancellationToken ct) =>
        db.WriteAsync(tenant, session =>
        {
            var d = session.Dialect;
            var command = session.Command(Enqueue);
            d.AddTenant(command, tenant);
            d.AddText(command, "@id", eventId);
            d.AddText(command, "@webhook", webhookId);
            d.AddText(command, "@operation", operation);
            d.AddText(command, "@payload", payload);
            d.AddTime(command, "@now", now);
            return command.ExecuteNonQueryAsync(ct);
        }, ct);

    public async Task<WebhookDelivery?> RedeliverAsync(TenantId tenant, string deliveryId, DateTime now, CancellationToken ct)
    {
        int updated = await db.WriteAsync(tenant, session =>
        {
            var command = session.Command(Redeliver);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", deliveryId);
            session.Dialect.AddTime(command, "@now", now);
            return command.ExecuteNonQueryAsync(ct);
        }, ct);
        return updated == 0 ? null : await GetDeliveryAsync(tenant, deliveryId, ct);
    }

    public Task<WebhookDelivery?> GetDeliveryAsync(TenantId tenant, string deliveryId, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(OneDelivery);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", deliveryId);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadDelivery(session.Dialect, reader) : null;
        }, ct);

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(TenantId tenant, string webhookId, string? status, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<WebhookDelivery>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(_deliveries);
            d.AddTenant(command, tenant);
            d.AddText(command, "@webhook", webhookId);
            d.AddText(command, "@status", status);
            d.AddLong(command, "@limit", limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var deliveries = new List<WebhookDelivery>();
            while (await reader.ReadAsync(ct)) deliveries.Add(ReadDelivery(d, reader));
            return deliveries;
        }, ct);
}
