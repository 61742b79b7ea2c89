namespace RevOps.Domain.Search.Semantic;

/// <summary>A sentence-embedding model: text in, a unit-length vector out (so a dot product is the cosine similarity).</summary>
public interface ITextEmbedder
{
    /// <summary>Floats per vector.</summary>
    int Dimensions { get; }

    /// <summary>The model's name, stored with the index so a change of model rebuilds it.</summary>
    string Model { get; }

    /// <summary>Vectors of records' texts, one per text, in order.</summary>
    float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct);

    /// <summary>The vector of what someone searches for (some models phrase queries differently from documents).</summary>
    float[] EmbedQuery(string text, CancellationToken ct);
}
