using RevOps.Domain.Records;

namespace RevOps.Domain.Work;

/// <summary>What a claim hands an agent: the item, its lease token, and the record it is about as it stands now (or why it could not be read).</summary>
public sealed record WorkClaim(ClaimedWork Claimed, Record? Record, string? RecordProblem);

/// <summary>A page of items with the count of each state in the same queue (or in every queue).</summary>
public sealed record WorkList(IReadOnlyList<WorkItem> Items, IReadOnlyDictionary<string, long> Counts);
