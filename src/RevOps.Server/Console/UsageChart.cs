using System.Globalization;

namespace RevOps.Server.Console;

/// <summary>
/// Bar charts drawn on the server as inline SVG: no script, no chart library, nothing fetched. Each chart has a
/// title for screen readers, and the page puts the same figures in a table beside it.
/// </summary>
public static class UsageChart
{
    public sealed record Bar(string Label, long Requests, long Errors);

    const int Height = 160, Top = 10, Bottom = 24, Left = 44;

    /// <summary>One column per bar, errors stacked on top of successes in the danger colour; <paramref name="refused"/> bars are all refusals (429s), drawn wholly in it.</summary>
    public static void Columns(Html html, string id, string title, IReadOnlyList<Bar> bars, bool refused = false)
    {
        int slot = bars.Count > 40 ? 12 : 20;
        int width = Left + Math.Max(1, bars.Count) * slot + 8;
        long max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Requests));
        double plot = Height - Top - Bottom;
        html.Raw($"<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title\">")
            .Raw($"<title id=\"{id}-title\">").Text(title).Raw("</title>");
        Axis(html, max, width);
        for (int i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            double x = Left + i * slot + 2, w = slot - 4;
            double total = bar.Requests / (double)max * plot, errors = (refused ? bar.Requests : bar.Errors) / (double)max * plot;
            html.Raw("<g><title>").Text(refused ? $"{bar.Label}: {bar.Requests} refused" : $"{bar.Label}: {bar.Requests} requests, {bar.Errors} errors").Raw("</title>")
                .Raw($"<rect class=\"ok\" x=\"{N(x)}\" y=\"{N(Height - Bottom - total)}\" width=\"{N(w)}\" height=\"{N(total - errors)}\"/>");
            if (errors > 0) html.Raw($"<rect class=\"err\" x=\"{N(x)}\" y=\"{N(Height - Bottom - errors)}\" width=\"{N(w)}\" height=\"{N(errors)}\"/>");
            html.Raw("</g>");
            if (bars.Count <= 16 || i % 5 == 0 || i == bars.Count - 1)
                html.Raw($"<text x=\"{N(x + w / 2)}\" y=\"{Height - 8}\" text-anchor=\"middle\">").Text(bar.Label).Raw("</text>");
        }
        html.Raw("</svg>");
    }

    /// <summary>One row per bar, labelled on the left (long names shortened; the full name is the row's title).</summary>
    public static void Rows(Html html, string id, string title, IReadOnlyList<Bar> bars)
    {
        const int row = 22, label = 230, width = 600;
        int height = Math.Max(1, bars.Count) * row + 8;
        long max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Requests));
        double plot = width - label - 60;
        html.Raw($"<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title\">")
            .Raw($"<title id=\"{id}-title\">").Text(title).Raw("</title>");
        for (int i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            double y = 4 + i * row, total = bar.Requests / (double)max * plot, errors = bar.Errors / (double)max * plot;
            string name = bar.Label.Length > 34 ? bar.Label[..33] + "…" : bar.Label;
            html.Raw("<g><title>").Text($"{bar.Label}: {bar.Requests} requests, {bar.Errors} errors").Raw("</title>")
                .Raw($"<text x=\"{label - 6}\" y=\"{N(y + 15)}\" text-anchor=\"end\">").Text(name).Raw("</text>")
                .Raw($"<rect class=\"ok\" x=\"{label}\" y=\"{N(y + 3)}\" width=\"{N(Math.Max(total - errors, 0))}\" height=\"16\"/>");
            if (bar.Errors > 0) html.Raw($"<rect class=\"err\" x=\"{N(label + total - errors)}\" y=\"{N(y + 3)}\" width=\"{N(errors)}\" height=\"16\"/>");
            html.Raw($"<text x=\"{N(label + total + 4)}\" y=\"{N(y + 15)}\">").Text(bar.Requests.ToString(CultureInfo.InvariantCulture)).Raw("</text></g>");
        }
        html.Raw("</svg>");
    }

    static void Axis(Html html, long max, int width)
    {
        html.Raw($"<line class=\"axis\" x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{width}\" y2=\"{Height - Bottom}\"/>")
            .Raw($"<text x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">").Text(max.ToString(CultureInfo.InvariantCulture)).Raw("</text>")
            .Raw($"<text x=\"{Left - 4}\" y=\"{Height - Bottom}\" text-anchor=\"end\">0</text>");
    }

    static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
