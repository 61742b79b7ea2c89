using Dapper;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Sqlite;
using static RevOps.Storage.Webhooks.WebhookRows;

namespace RevOps.Storage.Sqlite;

/// <summary>Subscriptions and the delivery log; every statement is scoped to the caller's tenant.</summary>
public sealed class SqliteWebhookStore(SqliteDatabase db) : IWebhookStore
{
    public Task CreateAsync(Webhook webhook, string secret, CancellationToken ct) =>
        db.WriteAsync(session => session.Connection.Execute("""
            INSERT INTO webhooks (tenant_id, id, url, secret, objects, operations, fields, active, cursor_seq, created_at)
            VALUES (@Tenant, @Id, @Url, @Secret, @Objects, @Operations, @Fields, @Active,
                    (SELECT change_seq FROM tenants WHERE id = @Tenant), @CreatedAt)
            """, new
        {
            Tenant = webhook.Tenant.ToString(), webhook.Id, webhook.Url, Secret = secret, Objects = ListJson(webhook.Filter.Objects),
            Operations = ListJson(webhook.Filter.Operations), Fields = ListJson(webhook.Filter.Fields), Active = webhook.Active ? 1 : 0, CreatedAt = Time(webhook.CreatedAt),
        }), ct);

    public Task<IReadOnlyList<Webhook>> ListAsync(TenantId tenant, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Webhook>>(db.Read(session => session.Connection.Query<WebhookRow>(
            $"SELECT {WebhookColumns} FROM webhooks WHERE tenant_id = @Tenant ORDER BY created_at, id", new { Tenant = tenant.ToString() })
            .Select(r => r.ToWebhook()).ToList()));

    public Task<Webhook?> GetAsync(TenantId tenant, string id, CancellationToken ct) =>
        Task.FromResult(db.Read(session => session.Connection.QuerySingleOrDefault<WebhookRow>(
            $"SELECT {WebhookColumns} FROM webhooks WHERE tenant_id = @Tenant AND id = @Id", new { Tenant = tenant.ToString(), Id = id })?.ToWebhook()));

    public Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            var args = new { Tenant = tenant.ToString(), Id = id };
            session.Connection.Execute("DELETE FROM webhook_deliveries WHERE tenant_id = @Tenant AND webhook_id = @Id", args);
            return session.Connection.Execute("DELETE FROM webhooks WHERE tenant_id = @Tenant AND id = @Id", args) > 0;
        }, ct);

    public Task EnqueueAsync(TenantId tenant, string webhookId, string eventId, string operation, string payload, DateTime now, CancellationToken ct) =>
        db.WriteAsync(session => session.Connection.Execute("""
            INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, seq, object, record_id, operation, payload, status, attempts, created_at, window_start, next_attempt_at)
            VALUES (@Tenant, @Id, @Webhook, NULL, NULL, NULL, @Operation, @Payload, 'pending', 0, @Now, @Now, @Now)
            """, new { Tenant = tenant.ToString(), Id = eventId, Webhook = webhookId, Operation = operation, Payload = payload, Now = Time(now) }), ct);

    public async Task<WebhookDelivery?> RedeliverAsync(TenantId tenant, string deliveryId, DateTime now, CancellationToken ct)
    {
        int updated = await db.WriteAsync(session => session.Connection.Execute("""
            UPDATE webhook_deliveries
            SET status = 'pending', window_start = @Now, next_attempt_at = @Now, lease_until = NULL, delivered_at = NULL
            WHERE tenant_id = @Tenant AND id = @Id AND status <> 'pending'
            """, new { Tenant = tenant.ToString(), Id = deliveryId, Now = Time(now) }), ct);
        return updated == 0 ? null : await GetDeliveryAsync(tenant, deliveryId, ct);
    }

    public Task<WebhookDelivery?> GetDeliveryAsync(TenantId tenant, string deliveryId, CancellationToken ct) =>
        Task.FromResult(db.Read(session => session.Connection.QuerySingleOrDefault<DeliveryRow>(
            $"SELECT {DeliveryColumns} FROM webhook_deliveries d WHERE d.tenant_id = @Tenant AND d.id = @Id", new { Tenant = tenant.ToString(), Id = deliveryId })?.ToDelivery()));

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(TenantId tenant, string webhookId, string? status, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WebhookDelivery>>(db.Read(session => session.Connection.Query<DeliveryRow>($"""
            SELECT {DeliveryColumns} FROM webhook_deliveries d
            WHERE d.tenant_id = @Tenant AND d.webhook_id = @Webhook AND (@Status IS NULL OR d.status = @Status)
            ORDER BY d.created_at DESC, d.seq DESC LIMIT @Limit
            """, new { Tenant = tenant.ToString(), Webhook = webhookId, Status = status, Limit = limit }).Select(r => r.ToDelivery()).ToList()));
}
