namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// One result and why it is there: <paramref name="MatchedField"/> (with <paramref name="Match"/>) when words
/// matched, <paramref name="Similarity"/> (cosine, -1..1) when the meaning did, and the fused
/// <paramref name="Score"/> results are ordered by.
/// </summary>
public sealed record RankedMatch(SearchHit Hit, string? MatchedField, string? Match, float? Similarity, double Score)
{
    /// <summary>"keyword", "meaning" or "keyword+meaning".</summary>
    public string MatchedBy => (MatchedField, Similarity) switch
    {
        (not null, not null) => "keyword+meaning",
        (not null, null) => "keyword",
        _ => "meaning",
    };
}
