using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Work;

/// <summary>
/// One item of an agents' work queue: a prompt, optionally about one record, waiting in a named queue until an
/// agent claims it under a lease and completes or fails it with a note. <see cref="State"/> is as the item
/// stands now: a claimed item whose lease lapsed reads as queued again (or failed, once it used every attempt).
/// </summary>
/// <param name="Priority">1 (low), 2 (normal) or 3 (high); higher is claimed first.</param>
/// <param name="ClaimedBy">The User Id (005…) of the last claimer; <see cref="ClaimedKey"/> the API key it claimed with, if any.</param>
/// <param name="Source">What enqueued it: "rule:{rule id}" for an automation rule, or null for a person or agent.</param>
public sealed record WorkItem(
    TenantId Tenant,
    string Id,
    string Queue,
    string Type,
    string? RecordObject,
    string? RecordId,
    string Prompt,
    int Priority,
    DateTime? Due,
    string State,
    int Attempts,
    DateTime? LeaseUntil,
    string? ClaimedBy,
    string? ClaimedKey,
    string? Note,
    string? Source,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? FinishedAt)
{
    public static class States
    {
        public const string Queued = "queued";
        public const string Claimed = "claimed";
        public const string Done = "done";
        public const string Failed = "failed";
        public static readonly IReadOnlyList<string> All = [Queued, Claimed, Done, Failed];
    }
}

/// <summary>An item as a claim hands it out, with the lease token that completes, fails or releases it.</summary>
public sealed record ClaimedWork(WorkItem Item, string Lease);

/// <summary>A new item as the service validated it; <paramref name="IdempotencyKey"/> makes a repeated enqueue (a replayed automation run) a no-op.</summary>
public sealed record NewWorkItem(
    TenantId Tenant,
    string Id,
    string Queue,
    string Type,
    string? RecordObject,
    string? RecordId,
    string Prompt,
    int Priority,
    DateTime? Due,
    string? Source,
    string? IdempotencyKey,
    string CreatedBy,
    DateTime CreatedAt);

/// <summary>How a lease holder ends its claim.</summary>
public enum WorkEnd
{
    Done,
    Failed,
    /// <summary>Back to the queue, the attempt not counted.</summary>
    Released,
}

/// <summary>Why a finish found nothing to change: the item is unknown, or the lease is not (or no longer) the caller's.</summary>
public enum FinishRefusal
{
    None,
    NotFound,
    NotHolder,
}
