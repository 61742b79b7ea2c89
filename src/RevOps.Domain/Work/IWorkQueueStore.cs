using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Work;

/// <summary>
/// The work queue of each tenant. A claim is one conditional write that takes the best claimable item (queued, or
/// claimed under a lease that lapsed with attempts left) and leases it, skipping rows another claimer holds, so no
/// item is ever leased to two claimers at once, on one node or many.
/// </summary>
public interface IWorkQueueStore
{
    /// <summary>Stores the item, or with an idempotency key already used returns the item that key made (and false).</summary>
    Task<(WorkItem Item, bool Created)> EnqueueAsync(NewWorkItem item, CancellationToken ct);

    /// <summary>
    /// Leases the next claimable item of the queue (and type, if given): highest priority, then earliest due (none last),
    /// then oldest. Null when nothing is claimable.
    /// </summary>
    Task<ClaimedWork?> ClaimAsync(TenantId tenant, string? queue, string? type, string lease, DateTime now, DateTime leaseUntil,
        string claimedBy, string? claimedKey, int maxAttempts, CancellationToken ct);

    /// <summary>Ends a claim, only while <paramref name="lease"/> is the item's live lease; returns the item as it now stands.</summary>
    Task<(WorkItem? Item, FinishRefusal Refusal)> FinishAsync(TenantId tenant, string id, string lease, WorkEnd end, string? note, DateTime now, int maxAttempts, CancellationToken ct);

    Task<WorkItem?> GetAsync(TenantId tenant, string id, DateTime now, int maxAttempts, CancellationToken ct);

    /// <summary>Items newest first, filtered by queue and state (as they stand now).</summary>
    Task<IReadOnlyList<WorkItem>> ListAsync(TenantId tenant, string? queue, string? state, int limit, DateTime now, int maxAttempts, CancellationToken ct);

    /// <summary>Items per state (as they stand now) in the queue, or in every queue.</summary>
    Task<IReadOnlyDictionary<string, long>> CountsAsync(TenantId tenant, string? queue, DateTime now, int maxAttempts, CancellationToken ct);
}
