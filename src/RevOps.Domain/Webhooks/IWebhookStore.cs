using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Webhooks;

/// <summary>Subscriptions and their delivery log, always within one tenant.</summary>
public interface IWebhookStore
{
    /// <summary>Stores the subscription with its cursor at the tenant's latest change: it receives changes from now on.</summary>
    Task CreateAsync(Webhook webhook, string secret, CancellationToken ct);

    Task<IReadOnlyList<Webhook>> ListAsync(TenantId tenant, CancellationToken ct);

    Task<Webhook?> GetAsync(TenantId tenant, string id, CancellationToken ct);

    /// <summary>Removes the subscription and its deliveries; false when the tenant has no such webhook.</summary>
    Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct);

    /// <summary>Sets the webhook's URL and filter; false when it is not there.</summary>
    Task<bool> UpdateAsync(Webhook webhook, CancellationToken ct);

    /// <summary>Queues an event that is no change (a test ping) for immediate delivery.</summary>
    Task EnqueueAsync(TenantId tenant, string webhookId, string eventId, string operation, string payload, DateTime now, CancellationToken ct);

    /// <summary>Queues a delivered or dead event again, with a fresh retry window; null when the tenant has no such delivery.</summary>
    Task<WebhookDelivery?> RedeliverAsync(TenantId tenant, string deliveryId, DateTime now, CancellationToken ct);

    Task<WebhookDelivery?> GetDeliveryAsync(TenantId tenant, string deliveryId, CancellationToken ct);

    /// <summary>Newest first; <paramref name="status"/> null for every status.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(TenantId tenant, string webhookId, string? status, int limit, CancellationToken ct);
}
