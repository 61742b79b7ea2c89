namespace RevOps.Domain.Search;

/// <summary>The best-ranked hits, best first, and how many records matched in all.</summary>
public sealed record SearchHits(IReadOnlyList<SearchHit> Hits, int TotalSize);
