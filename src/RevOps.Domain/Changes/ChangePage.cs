namespace RevOps.Domain.Changes;

/// <summary>A page of changes in sequence order, and whether more match after it.</summary>
public sealed record ChangePage(IReadOnlyList<ChangeRow> Changes, bool HasMore);
