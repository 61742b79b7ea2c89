using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Webhooks;

/// <summary>A delivery claimed for one attempt: everything the sender needs, and the lease that marks it as ours.</summary>
/// <param name="Attempt">This attempt's number, counting from 1.</param>
/// <param name="Lease">The lease_until value written at the claim; the outcome is recorded only while it still holds it.</param>
public sealed record DueDelivery(TenantId Tenant, string Id, string WebhookId, string Url, string Secret, string Payload, int Attempt, DateTime WindowStart, string Lease);

/// <summary>How one attempt ended. <paramref name="NextAttemptAt"/> null with <paramref name="Delivered"/> false means dead-lettered.</summary>
public sealed record AttemptOutcome(DueDelivery Delivery, bool Delivered, int? StatusCode, double LatencyMs, string? Error, DateTime At, DateTime? NextAttemptAt);
