namespace RevOps.Domain.Webhooks;

/// <summary>
/// The dispatcher's side of webhooks: turning committed changes into deliveries, leasing what is
/// due and recording how attempts ended. Its reads span every tenant (the dispatcher serves all).
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>True when some active subscription has changes it has not turned into deliveries yet.</summary>
    bool HasChangesToFanOut();

    /// <summary>Deliveries not yet made (pending, in every tenant): the webhook backlog /metrics reports.</summary>
    long Backlog();

    /// <summary>The earliest next_attempt_at of any pending delivery, over every tenant; null when none is pending.</summary>
    DateTime? NextDue();

    /// <summary>Copies up to <paramref name="limit"/> changes per subscription into matching deliveries; returns how many deliveries it queued.</summary>
    Task<int> FanOutAsync(DateTime now, int limit, CancellationToken ct);

    /// <summary>Leases up to <paramref name="limit"/> due deliveries until <paramref name="leaseUntil"/> and counts the attempt.</summary>
    Task<IReadOnlyList<DueDelivery>> ClaimDueAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct);

    /// <summary>Records how an attempt ended, unless another sender has leased the delivery since.</summary>
    Task RecordAsync(AttemptOutcome outcome, CancellationToken ct);
}
