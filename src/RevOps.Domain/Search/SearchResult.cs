namespace RevOps.Domain.Search;

/// <summary>A search's answer: every match counted, one page of them returned, and where the next page starts.</summary>
/// <param name="Hint">Only when nothing matched: what to try instead of creating a duplicate.</param>
public sealed record SearchResult(int TotalSize, IReadOnlyList<SearchMatch> Records, int? NextOffset = null, SearchHint? Hint = null)
{
    public bool HasMore => NextOffset is not null;
}
