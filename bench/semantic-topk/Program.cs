// Exact top-k latency over one tenant's vectors held in memory, and the model's embedding rate and RSS.
// Run: dotnet run -c Release --project bench/semantic-topk -- [records, default 100000]
using System.Diagnostics;
using RevOps.Domain.Search.Semantic;
using RevOps.Server.Search;

int records = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
const int Dimensions = 384;
var random = new Random(42);
var vectors = new TenantVectors(Dimensions) { Generation = 0 };
for (int i = 0; i < records; i++)
{
    var v = new float[Dimensions];
    for (int d = 0; d < Dimensions; d++) v[d] = (float)(random.NextDouble() - 0.5);
    float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(v));
    for (int d = 0; d < Dimensions; d++) v[d] /= norm;
    vectors.Apply(new RecordVector("Contact", $"003{i:D15}", null, null, i % 10 == 0 ? "Technology" : "Retail", null, null, v));
}
var query = new float[Dimensions];
for (int d = 0; d < Dimensions; d++) query[d] = (float)(random.NextDouble() - 0.5);
var timings = new List<double>();
for (int run = 0; run < 220; run++)
{
    var clock = Stopwatch.StartNew();
    var top = vectors.Top(query, 50, _ => true);
    if (run >= 20) timings.Add(clock.Elapsed.TotalMilliseconds);
}
timings.Sort();
Console.WriteLine($"exact top-50 over {records:N0} vectors: p50 {timings[timings.Count / 2]:F2} ms, p95 {timings[(int)(timings.Count * 0.95)]:F2} ms; vectors {vectors.Bytes / 1048576.0:F0} MB");

var embedder = new ArcticEmbedder();
var texts = Enumerable.Range(0, 512).Select(i => $"Person: Sam Example {i}. Title: Director of Operations. Company: Example {i} Logistics. Industry: Shipping").ToArray();
embedder.EmbedDocuments(texts[..32], default);
var embed = Stopwatch.StartNew();
for (int i = 0; i < texts.Length; i += 32) embedder.EmbedDocuments(texts[i..(i + 32)], default);
Console.WriteLine($"embedding: {texts.Length / embed.Elapsed.TotalSeconds:F0} texts/s on {Environment.ProcessorCount} cores");
var queries = new List<double>();
for (int i = 0; i < 50; i++)
{
    var clock = Stopwatch.StartNew();
    embedder.EmbedQuery("VP-level people at software companies", default);
    queries.Add(clock.Elapsed.TotalMilliseconds);
}
queries.Sort();
Console.WriteLine($"query embedding: p50 {queries[25]:F1} ms; RSS with model and vectors {Process.GetCurrentProcess().WorkingSet64 / 1048576} MB");
