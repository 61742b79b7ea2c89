namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// Reciprocal-rank fusion: a record's score is the sum over the lists holding it of weight / (K + rank).
/// Ranks, not raw scores, are combined, so BM25-like keyword scores and cosine similarities need no
/// common scale; a record both lists find rises above one only one finds.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The usual constant: it damps the difference between the first few ranks.</summary>
    public const int K = 60;

    public static Dictionary<string, double> Fuse(params (IReadOnlyList<string> Ids, double Weight)[] lists)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (ids, weight) in lists)
            for (int rank = 0; rank < ids.Count; rank++)
                scores[ids[rank]] = scores.GetValueOrDefault(ids[rank]) + weight / (K + rank + 1);
        return scores;
    }
}
