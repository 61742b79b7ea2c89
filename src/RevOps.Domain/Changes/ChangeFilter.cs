namespace RevOps.Domain.Changes;

/// <summary>Which change-log rows to read: those after <paramref name="AfterSeq"/>, in sequence order, narrowed by the optional filters.</summary>
/// <param name="Since">Only changes made at or after this time (UTC).</param>
/// <param name="Limit">At most this many rows.</param>
/// <param name="ActorId">Only changes made by this user (005…).</param>
public sealed record ChangeFilter(long AfterSeq, int Limit, DateTime? Since = null, string? Object = null, string? RecordId = null, string? Operation = null,
    string? ActorId = null);
