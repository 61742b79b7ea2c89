namespace RevOps.Domain.Search;

/// <summary>A search's answer: every match counted, one page of them returned, and where the next page starts.</summary>
public sealed record SearchResult(int TotalSize, IReadOnlyList<SearchMatch> Records, int? NextOffset = null)
{
    public bool HasMore => NextOffset is not null;
}
