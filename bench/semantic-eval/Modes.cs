using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace RevOps.Bench.SemanticEval;

/// <summary>The three ways of searching, each a GET /api/search; hybrid is what mode auto answers once the index is built.</summary>
public static class Modes
{
    public static readonly string[] All = ["keyword", "semantic", "hybrid"];

    public static async Task<(List<string> Ids, string AnsweredMode)> SearchAsync(HttpClient http, EvalQuery query, string mode, int limit)
    {
        string sent = mode == "hybrid" ? "auto" : mode;
        string url = $"api/search?mode={sent}&limit={limit}&objects={query.Objects}&text={Uri.EscapeDataString(query.Text)}";
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
        string answered = body.GetProperty("mode").GetString()!;
        if (mode == "hybrid" && answered != "hybrid") throw new InvalidOperationException($"{url} answered mode {answered}, not hybrid");
        return (body.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()!).ToList(), answered);
    }

    /// <summary>Milliseconds per request (client side, loopback), p50 and p95 per mode, over every query sent <paramref name="repeats"/> times.</summary>
    public static async Task<Dictionary<string, Latency>> LatencyAsync(HttpClient http, IReadOnlyList<EvalQuery> queries, int repeats)
    {
        var timings = All.ToDictionary(m => m, _ => new List<double>());
        for (int round = 0; round < repeats; round++)
            foreach (var query in queries)
                foreach (var mode in All)
                {
                    var clock = Stopwatch.StartNew();
                    await SearchAsync(http, query, mode, 10);
                    timings[mode].Add(clock.Elapsed.TotalMilliseconds);
                }
        return timings.ToDictionary(t => t.Key, t =>
        {
            t.Value.Sort();
            return new Latency(Math.Round(t.Value[t.Value.Count / 2], 2), Math.Round(t.Value[(int)(t.Value.Count * 0.95)], 2));
        });
    }
}

public sealed record Latency(double P50, double P95);

public sealed record ModeResult(double Recall, double ReciprocalRank, List<string> Top3);

public sealed record QueryResult(string Text, string Objects, string Kind, int Expected, Dictionary<string, ModeResult> Modes);

public sealed record ModelRun(string Model, int Records, double LoadSeconds, double IndexSeconds, List<QueryResult> Queries,
    Dictionary<string, Latency> Latency, int PaddedVectors, Dictionary<string, Latency> PaddedLatency, long RssMb, Probe Floor);
