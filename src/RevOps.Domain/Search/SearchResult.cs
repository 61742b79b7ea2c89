namespace RevOps.Domain.Search;

/// <summary>A search's answer: every match counted, the best <c>Records.Count</c> of them returned.</summary>
public sealed record SearchResult(int TotalSize, IReadOnlyList<SearchMatch> Records)
{
    public bool HasMore => TotalSize > Records.Count;
}
