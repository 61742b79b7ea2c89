using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RevOps.Bench.SemanticEval;

/// <summary>
/// Whether auto mode can say "nothing matched" (and why it does so for names only). What a similarity floor for meaning-only matches would cost: the cosine similarity of every expected record in the
/// semantic top 10 of the meaning queries, against the best similarity of questions nothing in the dataset answers.
/// With arctic-embed the two overlap, so auto answers "nothing matched" (with the keyword hint) only for a name none of
/// whose words matched; the probe reports how many unrelated questions that empties.
/// </summary>
public static class FloorProbe
{
    /// <summary>Questions no generated record answers: other trades, nonsense, and names that are not in the book.</summary>
    public static readonly IReadOnlyList<(string Text, string Objects)> Negatives =
    [
        ("sourdough bread recipe with rye flour", "Contact,Account,Opportunity,Task"),
        ("zzqx flimbo wrrt", "Contact,Account,Opportunity,Task"),
        ("Jonh Smiht", "Contact"),
        ("Zorblax Quantum Ltd", "Account"),
        ("penguin astronaut training", "Contact,Account,Opportunity,Task"),
        ("medieval castle restoration", "Account"),
        ("underwater basket weaving", "Opportunity"),
        ("the weather in Reykjavik tomorrow", "Task"),
        ("Xylophone Dragon Ventures", "Account"),
        ("qwertyuiop", "Contact"),
    ];

    /// <summary>More such questions, not looked at when the floor was chosen: how well the floor generalises.</summary>
    public static readonly IReadOnlyList<(string Text, string Objects)> HeldOut =
    [
        ("kangaroo veterinary clinic", "Account"),
        ("Plumbus Interdimensional Inc", "Account"),
        ("ancient Greek poetry translation", "Contact,Account,Opportunity,Task"),
        ("Mxyzptlk", "Contact"),
        ("how to fix a leaking faucet", "Task"),
        ("Beatrix Okonkwo-Vandermeer", "Contact"),
        ("volcano tourism packages", "Opportunity"),
        ("asdfghjkl", "Account"),
        ("knitting patterns for cats", "Contact,Account,Opportunity,Task"),
        ("Quibbleton Marmalade Works", "Account"),
    ];

    public static readonly double[] Floors = [0.50, 0.52, 0.54, 0.55, 0.56, 0.57, 0.58, 0.60];

    public static async Task<Probe> RunAsync(HttpClient http, IReadOnlyList<EvalQuery> queries, IReadOnlyList<GenRecord> data, IReadOnlyDictionary<string, string> keyById)
    {
        var relevant = new List<double>();
        foreach (var query in queries.Where(q => q.Kind == "meaning"))
        {
            var expected = data.Where(query.Expected).Select(r => r.Key).ToHashSet();
            foreach (var (id, similarity) in await SemanticAsync(http, query.Text, query.Objects))
                if (expected.Contains(keyById.GetValueOrDefault(id, id))) relevant.Add(similarity);
        }
        relevant.Sort();
        return new Probe(relevant, await BestAsync(http, Negatives), await BestAsync(http, HeldOut));
    }

    static async Task<List<NegativeBest>> BestAsync(HttpClient http, IReadOnlyList<(string Text, string Objects)> questions)
    {
        var best = new List<NegativeBest>();
        foreach (var (text, objects) in questions)
        {
            var top = await SemanticAsync(http, text, objects);
            using var response = await http.GetAsync($"api/search?limit=10&objects={objects}&text={Uri.EscapeDataString(text)}");
            var auto = await response.Content.ReadFromJsonAsync<JsonElement>();
            bool empty = auto.GetProperty("count").GetInt32() == 0 && auto.TryGetProperty("hint", out _);
            best.Add(new NegativeBest(text, top.Count == 0 ? 0 : top.Max(t => t.Similarity), empty));
        }
        return best;
    }

    static async Task<List<(string Id, double Similarity)>> SemanticAsync(HttpClient http, string text, string objects)
    {
        using var response = await http.GetAsync($"api/search?mode=semantic&limit=10&objects={objects}&text={Uri.EscapeDataString(text)}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{text}: {(int)response.StatusCode} {body}");
        return body.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("Id").GetString()!, r.GetProperty("similarity").GetDouble())).ToList();
    }

    public static string Markdown(string model, Probe probe)
    {
        var s = new StringBuilder();
        string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        s.AppendLine(CultureInfo.InvariantCulture, $"### {model}: when auto can answer \"nothing matched\"").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{probe.Relevant.Count} expected records in the semantic top 10 of the meaning queries: similarity min {F(probe.Relevant[0])}, p5 {F(probe.Relevant[probe.Relevant.Count / 20])}, median {F(probe.Relevant[probe.Relevant.Count / 2])}.");
        s.AppendLine("Best similarity of questions nothing answers: " + string.Join("; ", probe.Negatives.Select(n => $"\"{n.Text}\" {F(n.Best)}")) + ".");
        s.AppendLine("Held out (not looked at when choosing): " + string.Join("; ", probe.HeldOut.Select(n => $"\"{n.Text}\" {F(n.Best)}")) + ".").AppendLine();
        s.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Mode auto (empty only for names nothing matched) answered empty with the hint for {probe.Negatives.Count(n => n.AutoAnsweredEmpty)} of {probe.Negatives.Count} negatives and {probe.HeldOut.Count(n => n.AutoAnsweredEmpty)} of {probe.HeldOut.Count} held out; answered: ")
            + string.Join("; ", probe.Negatives.Concat(probe.HeldOut).Where(n => !n.AutoAnsweredEmpty).Select(n => $"\"{n.Text}\" answered")) + ".").AppendLine();
        s.AppendLine("If the floor were set to … (relevant hits above it; negatives whose best neighbour is below it):").AppendLine();
        s.AppendLine("| floor | relevant hits kept | negatives answered empty | held-out negatives answered empty |").AppendLine("|---|---|---|---|");
        foreach (var floor in Floors)
            s.AppendLine(CultureInfo.InvariantCulture, $"| {floor:F2} | {probe.Relevant.Count(r => r >= floor) / (double)probe.Relevant.Count:P1} | {probe.Negatives.Count(n => n.Best < floor)} of {probe.Negatives.Count} | {probe.HeldOut.Count(n => n.Best < floor)} of {probe.HeldOut.Count} |");
        return s.AppendLine().ToString();
    }
}

public sealed record Probe(List<double> Relevant, List<NegativeBest> Negatives, List<NegativeBest> HeldOut);

/// <param name="AutoAnsweredEmpty">Mode auto (the server's floor) answered no records, with the hint.</param>
public sealed record NegativeBest(string Text, double Best, bool AutoAnsweredEmpty);
