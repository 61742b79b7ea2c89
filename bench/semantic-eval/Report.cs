using System.Globalization;
using System.Text;

namespace RevOps.Bench.SemanticEval;

/// <summary>The eval's Markdown report: per model and mode recall@10 and MRR (all queries, meaning queries, lookups), latency, and per-query detail.</summary>
public static class Report
{
    static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    public static string Markdown(IReadOnlyList<GenRecord> data, IReadOnlyList<EvalQuery> queries, IReadOnlyList<ModelRun> runs, int pad)
    {
        var s = new StringBuilder();
        s.AppendLine("# Semantic search eval (bench/semantic-eval)").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/semantic-eval -- --model both --out bench/results/NAME` on {Environment.ProcessorCount} cores shared with other builds.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Dataset: {data.Count} generated records ({string.Join(", ", data.GroupBy(r => r.Object).Select(g => $"{g.Count()} {g.Key}"))}), seed 20; {queries.Count} queries ({queries.Count(q => q.Kind == "meaning")} by meaning, {queries.Count(q => q.Kind == "lookup")} lookups by name or rare word).");
        s.AppendLine("recall@10 = expected records in the first 10 / min(10, expected); MRR = 1 / rank of the first expected record in the first 10 (0 if none). Each query names the object it asks about (`objects`), as an agent's call would.").AppendLine();
        s.AppendLine("| model | mode | recall@10 | MRR | recall@10 (meaning) | recall@10 (lookups) | p50 ms | p95 ms | p50 ms at " + pad.ToString("N0", CultureInfo.InvariantCulture) + " vectors | p95 ms at " + pad.ToString("N0", CultureInfo.InvariantCulture) + " |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var run in runs)
            foreach (var mode in Modes.All)
            {
                var r = run.Queries.Select(q => q.Modes[mode]).ToList();
                double Recall(string kind) => run.Queries.Where(q => q.Kind == kind).Average(q => q.Modes[mode].Recall);
                s.AppendLine(CultureInfo.InvariantCulture, $"| {run.Model} | {mode} | {F(r.Average(m => m.Recall))} | {F(r.Average(m => m.ReciprocalRank))} | {F(Recall("meaning"))} | {F(Recall("lookup"))} | {run.Latency[mode].P50} | {run.Latency[mode].P95} | {run.PaddedLatency[mode].P50} | {run.PaddedLatency[mode].P95} |");
            }
        s.AppendLine();
        foreach (var run in runs)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- {run.Model}: load {run.LoadSeconds:F1} s; first index of {run.Records} records {run.IndexSeconds:F1} s ({run.Records / run.IndexSeconds:F0} records/s, one ONNX thread); "
                + $"semantic/keyword p50 ratio {run.Latency["semantic"].P50 / run.Latency["keyword"].P50:F2} ({run.PaddedLatency["semantic"].P50 / run.PaddedLatency["keyword"].P50:F2} at {run.PaddedVectors:N0} vectors), "
                + $"hybrid/keyword {run.Latency["hybrid"].P50 / run.Latency["keyword"].P50:F2} ({run.PaddedLatency["hybrid"].P50 / run.PaddedLatency["keyword"].P50:F2}); process RSS at the end {run.RssMb} MB.");
        }
        s.AppendLine();
        foreach (var run in runs) s.Append(FloorProbe.Markdown(run.Model, run.Floor));
        s.AppendLine().AppendLine("Keyword search is not padded: the padding is vectors only, so the keyword figures are over the dataset's records.").AppendLine();
        s.AppendLine("## Per query (recall@10 / reciprocal rank)").AppendLine();
        s.AppendLine("| query | objects | expected | " + string.Join(" | ", runs.SelectMany(r => Modes.All.Select(m => $"{r.Model} {m}"))) + " |");
        s.AppendLine("|---|---|---|" + string.Concat(Enumerable.Repeat("---|", runs.Count * Modes.All.Length)));
        for (int i = 0; i < queries.Count; i++)
        {
            var q = runs[0].Queries[i];
            int row = i;
            var cells = runs.SelectMany(r => Modes.All.Select(m => string.Create(CultureInfo.InvariantCulture, $"{r.Queries[row].Modes[m].Recall:F1} / {r.Queries[row].Modes[m].ReciprocalRank:F2}")));
            s.Append(CultureInfo.InvariantCulture, $"| {q.Text} | {q.Objects} | {q.Expected} | ").AppendJoin(" | ", cells).AppendLine(" |");
        }
        return s.ToString();
    }
}
