using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Webhooks;

/// <summary>A tenant's subscription: where its changes go and which of them.</summary>
public sealed record Webhook(string Id, TenantId Tenant, string Url, WebhookFilter Filter, bool Active, DateTime CreatedAt);

/// <summary>A new subscription as created: the secret is shown to the caller only this once.</summary>
public sealed record CreatedWebhook(Webhook Webhook, string Secret);
