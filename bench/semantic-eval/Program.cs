// The semantic-search eval: a generated book of business loaded into the real server (in process, real SQLite
// file, semantic search on), every eval query sent to GET /api/search in keyword, semantic and hybrid modes;
// recall@10, MRR and query latency per mode, per model. Then the tenant's in-memory index is padded with random
// vectors to 100,000 entries and the latency measured again (what a 100k-record tenant's exact scan costs).
// Run: dotnet run -c Release --project bench/semantic-eval -- [--model arctic|minilm|both] [--out bench/results/NAME] [--pad 100000]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Bench.SemanticEval;
using RevOps.Domain.Changes;
using RevOps.Domain.Search.Semantic;
using RevOps.Domain.Tenancy;
using RevOps.Server.Hosting;
using RevOps.Server.Search;

string Arg(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
string which = Arg("--model", "both");
string output = Arg("--out", "");
int pad = int.Parse(Arg("--pad", "100000"), CultureInfo.InvariantCulture);
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

var data = Dataset.Generate();
var queries = EvalQueries.Build(data);
Console.WriteLine($"dataset: {data.Count} records ({string.Join(", ", data.GroupBy(r => r.Object).Select(g => $"{g.Count()} {g.Key}"))}); {queries.Count} queries");
var empty = queries.Where(q => !data.Any(q.Expected)).Select(q => q.Text).ToList();
if (empty.Count > 0) throw new InvalidOperationException("queries with no expected record: " + string.Join("; ", empty));

var runs = new List<ModelRun>();
foreach (var model in which == "both" ? new[] { "arctic", "minilm" } : [which])
{
    ITextEmbedder embedder = model switch { "arctic" => new ArcticEmbedder(), "minilm" => new MiniLmEmbedder(), _ => throw new ArgumentException("--model arctic|minilm|both") };
    runs.Add(await RunAsync(embedder));
}
var report = Report.Markdown(data, queries, runs, pad);
Console.WriteLine(report);
if (output.Length > 0)
{
    await File.WriteAllTextAsync(output + ".md", report);
    await File.WriteAllTextAsync(output + ".json", JsonSerializer.Serialize(runs, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"wrote {output}.md and {output}.json");
}

async Task<ModelRun> RunAsync(ITextEmbedder embedder)
{
    string dir = Path.Combine(Path.GetTempPath(), "revops-semantic-eval-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(dir);
    string admin = "eval-admin-" + Guid.NewGuid().ToString("N");
    var app = RevOpsServer.Build(new RevOpsOptions
    {
        Urls = "http://127.0.0.1:0", DataDirectory = dir, AdminToken = admin, Semantic = true, SemanticEmbedder = embedder,
        RateLimits = RevOps.Server.Limits.TierLimits.Parse("free=100000/100000,professional=100000/100000,enterprise=100000/100000").Limits!,
    });
    await app.StartAsync();
    try
    {
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = address };
        using var create = new HttpRequestMessage(HttpMethod.Post, "tenants") { Content = JsonContent.Create(new Dictionary<string, string> { ["name"] = "Semantic eval", ["subscription_tier"] = "professional" }) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var created = await http.SendAsync(create);
        var tenantBody = await created.Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenantBody.GetProperty("api_key").GetString());
        var tenant = new TenantId(Guid.Parse(tenantBody.GetProperty("tenant_id").GetString()!));

        var load = Stopwatch.StartNew();
        var ids = await Loader.LoadAsync(http, data);
        load.Stop();
        var index = Stopwatch.StartNew();
        var vectors = app.Services.GetRequiredService<IVectorStore>();
        var changes = app.Services.GetRequiredService<IChangeStore>();
        while (await vectors.StateAsync(tenant, default) is not { Built: true } state || state.Seq < await changes.LatestSeqAsync(tenant, default))
            await Task.Delay(200);
        index.Stop();
        Console.WriteLine($"{embedder.Model}: loaded {data.Count} records in {load.Elapsed.TotalSeconds:F1} s, indexed in {index.Elapsed.TotalSeconds:F1} s ({data.Count / index.Elapsed.TotalSeconds:F0} records/s)");

        var byId = ids.ToDictionary(p => p.Value, p => p.Key);
        var results = new List<QueryResult>();
        foreach (var query in queries)
        {
            var expected = data.Where(query.Expected).Select(r => r.Key).ToHashSet();
            var perMode = new Dictionary<string, ModeResult>();
            foreach (var mode in Modes.All)
            {
                var (found, _) = await Modes.SearchAsync(http, query, mode, 10);
                var keys = found.Select(id => byId.GetValueOrDefault(id, id)).ToList();
                int first = keys.FindIndex(expected.Contains);
                perMode[mode] = new ModeResult(keys.Count(expected.Contains) / (double)Math.Min(10, expected.Count), first < 0 ? 0 : 1.0 / (first + 1), keys.Take(3).ToList());
            }
            results.Add(new QueryResult(query.Text, query.Objects, query.Kind, expected.Count, perMode));
        }
        var probe = await FloorProbe.RunAsync(http, queries, data, byId);
        Console.WriteLine(FloorProbe.Markdown(embedder.Model, probe));
        var latency = await Modes.LatencyAsync(http, queries, repeats: 3);

        // Pad the tenant's in-memory vectors to `pad` entries: random unit vectors under ids no record has (a
        // padded entry in a top-k is dropped when its record is read), so the scan costs what a 100k tenant's does.
        var cache = app.Services.GetRequiredService<VectorCache>();
        int padded = await cache.UseAsync(tenant, v =>
        {
            var random = new Random(7);
            int add = Math.Max(0, pad - v.Count);
            for (int i = 0; i < add; i++)
            {
                var vector = new float[embedder.Dimensions];
                for (int d = 0; d < vector.Length; d++) vector[d] = (float)(random.NextDouble() - 0.5);
                System.Numerics.Tensors.TensorPrimitives.Divide(vector, System.Numerics.Tensors.TensorPrimitives.Norm(vector), vector);
                v.Apply(new RecordVector("Contact", $"003PAD{i:D12}", null, null, null, null, null, vector));
            }
            return (object)v.Count;
        }, default) is int count ? count : 0;
        var paddedLatency = await Modes.LatencyAsync(http, queries, repeats: 3);
        long rss = Process.GetCurrentProcess().WorkingSet64 / 1048576;
        return new ModelRun(embedder.Model, data.Count, load.Elapsed.TotalSeconds, index.Elapsed.TotalSeconds, results, latency, padded, paddedLatency, rss, probe);
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
