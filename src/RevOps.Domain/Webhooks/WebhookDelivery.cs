namespace RevOps.Domain.Webhooks;

/// <summary>One event for one subscription and what its attempts so far came to (the delivery log).</summary>
/// <param name="Id">The event id the receiver sees (X-RevOps-Event-Id); the same on every attempt.</param>
public sealed record WebhookDelivery(
    string Id,
    string WebhookId,
    long? Seq,
    string? Object,
    string? RecordId,
    string Operation,
    string Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime NextAttemptAt,
    DateTime? LastAttemptAt,
    int? LastStatusCode,
    double? LastLatencyMs,
    string? LastError,
    DateTime? DeliveredAt);

public static class DeliveryStatus
{
    /// <summary>Waiting for its next attempt (or being attempted under a lease).</summary>
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    /// <summary>Retries ran out (max age): kept for inspection and redelivery.</summary>
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Dead];
}
