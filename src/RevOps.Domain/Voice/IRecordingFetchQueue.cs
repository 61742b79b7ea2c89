using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Voice;

/// <summary>
/// The recordings waiting to be fetched from Twilio, kept in the database: a row is written with the recording callback's
/// merge (<see cref="IVoiceStore.MergeCallAsync"/>), so an answered callback's fetch survives a kill. Claims are leases
/// taken across tenants, so of several nodes one fetches; a node that dies holding one lets its lease lapse.
/// </summary>
public interface IRecordingFetchQueue
{
    /// <summary>When the earliest pending fetch (leased or not) falls due, or null when none is pending.</summary>
    Task<DateTime?> NextDueAsync(CancellationToken ct);

    /// <summary>Leases up to <paramref name="limit"/> fetches due at <paramref name="now"/> until <paramref name="leaseUntil"/>, counting an attempt on each.</summary>
    Task<IReadOnlyList<DueRecordingFetch>> ClaimAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct);

    /// <summary>Moves the lease on while the download runs; null when the lease was lost (it lapsed and another node took the fetch).</summary>
    Task<DueRecordingFetch?> RenewAsync(DueRecordingFetch fetch, DateTime leaseUntil, CancellationToken ct);

    /// <summary>Records the outcome if the lease is still ours; false when it was lost.</summary>
    Task<bool> FinishAsync(DueRecordingFetch fetch, RecordingFetchOutcome outcome, CancellationToken ct);

    /// <summary>The call's recordings and how their fetches stand, oldest first.</summary>
    Task<IReadOnlyList<RecordingFetchState>> ListAsync(TenantId tenant, string callSid, CancellationToken ct);
}

/// <summary>A claimed fetch; <paramref name="Lease"/> is the lease as stored, which the outcome's update compares.</summary>
public sealed record DueRecordingFetch(TenantId Tenant, string RecordingSid, string CallSid, string RecordingUrl, int Attempt, string Lease);

/// <summary>What became of an attempt: one of <see cref="RecordingFetchStatus"/>, why when not stored, and when to try again if pending.</summary>
public sealed record RecordingFetchOutcome(string Status, string? Error, DateTime At, DateTime? NextAttemptAt = null);

public sealed record RecordingFetchState(string RecordingSid, string RecordingUrl, string Status, int Attempts, string? LastError, DateTime CreatedAt, DateTime? FinishedAt);

public static class RecordingFetchStatus
{
    /// <summary>Waiting for its first or next attempt, or being fetched.</summary>
    public const string Pending = "pending";
    /// <summary>The audio is a file on the call's Task.</summary>
    public const string Stored = "stored";
    /// <summary>Nothing to fetch: the tenant has no Account Sid, or the call's Task is gone.</summary>
    public const string Skipped = "skipped";
    /// <summary>Given up: attempts ran out, or Twilio gave an answer that will not change (401, 403, 404), or the URL was refused.</summary>
    public const string Failed = "failed";
}
