using System.Globalization;
using RevOps.Domain.Usage;

namespace RevOps.Server.Console;

/// <summary>
/// The org's usage over a period (this month unless from/to say otherwise): requests per day and per tool as
/// charts, errors and latency, and the invoice preview. The same statement GET /api/usage returns, from
/// <see cref="UsageService"/>; every signed-in user may read it, as any API key may read its own tenant's.
/// </summary>
public static class UsagePage
{
    public static async Task<IResult> ShowAsync(HttpContext http, string? from, string? to, UsageService usage, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var statement = await usage.GetAsync(caller.Tenant, from, to, ct);
        return ConsoleLayout.Page(http, "Usage", html =>
        {
            html.Raw($"<form class=\"filters\" method=\"get\" action=\"{ConsoleLayout.Root}/usage\">")
                .Raw($"<label for=\"usage-from\">From</label><input id=\"usage-from\" name=\"from\" type=\"text\" inputmode=\"numeric\" placeholder=\"YYYY-MM-DD or YYYY-MM\" value=\"{Html.Attr(from)}\">")
                .Raw($"<label for=\"usage-to\">To</label><input id=\"usage-to\" name=\"to\" type=\"text\" inputmode=\"numeric\" placeholder=\"YYYY-MM-DD or YYYY-MM\" value=\"{Html.Attr(to)}\">")
                .Raw("<button type=\"submit\">Show</button></form>");
            if (!statement.IsOk) { ConsoleLayout.Error(html, statement.Error.Message); return; }
            Write(html, statement.Value);
        }, statement.IsOk ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>The statement's figures, charts and invoice; the operator view shows a tenant's with the same markup.</summary>
    public static void Write(Html html, UsageStatement statement)
    {
        var report = statement.Report;
        var totals = report.Totals;
        html.Raw("<p class=\"period\">").Text($"{Day(report.From)} to {Day(report.To)} · {statement.Tenant.Name} · {statement.Tenant.SubscriptionTier} tier").Raw("</p>")
            .Raw("<dl class=\"figures\" id=\"usage-totals\">")
            .Raw("<dt>Requests</dt><dd data-figure=\"requests\">").Text(Count(totals.Requests)).Raw("</dd>")
            .Raw("<dt>Errors</dt><dd data-figure=\"errors\">").Text($"{Count(totals.Errors)} ({Rate(totals)})").Raw("</dd>")
            .Raw("<dt>Average latency</dt><dd data-figure=\"average\">").Text(Ms(totals.Requests == 0 ? null : totals.AverageMs)).Raw("</dd>")
            .Raw("<dt>p50 latency</dt><dd data-figure=\"p50\">").Text(Ms(totals.P50Ms)).Raw("</dd>")
            .Raw("<dt>p95 latency</dt><dd data-figure=\"p95\">").Text(Ms(totals.P95Ms)).Raw("</dd></dl>");

        var days = new List<UsageChart.Bar>();
        var byDay = report.Days.ToDictionary(d => d.Day, d => d.Figures);
        for (var day = report.From; day <= report.To; day = day.AddDays(1))
        {
            var figures = byDay.GetValueOrDefault(day) ?? UsageFigures.None;
            days.Add(new UsageChart.Bar(day.Day.ToString(CultureInfo.InvariantCulture), figures.Requests, figures.Errors));
        }
        html.Raw("<section aria-labelledby=\"per-day\"><h2 id=\"per-day\">Requests per day</h2>");
        UsageChart.Columns(html, "chart-days", $"Requests per day from {Day(report.From)} to {Day(report.To)}; errors in red", days);
        html.Raw("<details><summary>Requests per day as a table</summary><table><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Requests</th><th scope=\"col\">Errors</th>")
            .Raw("<th scope=\"col\">p95</th></tr></thead><tbody>");
        foreach (var day in report.Days)
            html.Raw($"<tr data-day=\"{Day(day.Day)}\"><td>").Text(Day(day.Day)).Raw("</td><td>").Text(Count(day.Figures.Requests)).Raw("</td><td>")
                .Text(Count(day.Figures.Errors)).Raw("</td><td>").Text(Ms(day.Figures.P95Ms)).Raw("</td></tr>");
        html.Raw("</tbody></table></details></section>");

        var tools = report.Tools.OrderByDescending(t => t.Figures.Requests).ToArray();
        html.Raw("<section aria-labelledby=\"per-tool\"><h2 id=\"per-tool\">Requests per tool</h2>");
        UsageChart.Rows(html, "chart-tools", "Requests per tool or endpoint; errors in red", tools.Select(t => new UsageChart.Bar(t.Tool, t.Figures.Requests, t.Figures.Errors)).ToArray());
        html.Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Requests per tool (table)\"><table id=\"usage-tools\"><thead><tr><th scope=\"col\">Tool or endpoint</th><th scope=\"col\">Requests</th><th scope=\"col\">Errors</th>")
            .Raw("<th scope=\"col\">Average</th><th scope=\"col\">p50</th><th scope=\"col\">p95</th></tr></thead><tbody>");
        foreach (var tool in tools)
            html.Raw($"<tr data-tool=\"{Html.Attr(tool.Tool)}\"><td>").Text(tool.Tool).Raw("</td><td>").Text(Count(tool.Figures.Requests)).Raw("</td><td>")
                .Text(Count(tool.Figures.Errors)).Raw("</td><td>").Text(Ms(tool.Figures.AverageMs)).Raw("</td><td>").Text(Ms(tool.Figures.P50Ms))
                .Raw("</td><td>").Text(Ms(tool.Figures.P95Ms)).Raw("</td></tr>");
        html.Raw("</tbody></table></div></section>");

        RateLimited(html, report);

        var invoice = statement.Invoice;
        html.Raw("<section aria-labelledby=\"invoice\"><h2 id=\"invoice\">Invoice preview</h2><div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Invoice lines\"><table id=\"usage-invoice\"><thead><tr><th scope=\"col\">Line</th>")
            .Raw("<th scope=\"col\">Quantity</th><th scope=\"col\">Unit price</th><th scope=\"col\">Amount</th></tr></thead><tbody>");
        foreach (var line in invoice.Lines)
            html.Raw("<tr><td>").Text(line.Description).Raw("</td><td>").Text($"{line.Quantity.ToString("0.###", CultureInfo.InvariantCulture)} × {line.Unit}")
                .Raw("</td><td>").Text(Amount(invoice.Currency, line.UnitPrice)).Raw("</td><td>").Text(Amount(invoice.Currency, line.Amount)).Raw("</td></tr>");
        html.Raw("</tbody><tfoot><tr><th scope=\"row\" colspan=\"3\">Total</th><td data-figure=\"total\">").Text(Amount(invoice.Currency, invoice.Total))
            .Raw("</td></tr></tfoot></table></div></section>");
    }

    /// <summary>Requests the rate limit refused (429s), per day as a chart and per channel as a table; not in the figures above.</summary>
    static void RateLimited(Html html, UsageReport report)
    {
        var limited = report.RateLimited;
        html.Raw("<section aria-labelledby=\"rate-limited\"><h2 id=\"rate-limited\">Rate-limited requests</h2><p>Requests refused because the org went over its rate limit (429, retried later): ")
            .Raw("<strong data-figure=\"rate-limited\">").Text(Count(limited.Total)).Raw("</strong>. They are not counted in the requests above and not billed.</p>");
        if (limited.Total > 0)
        {
            var byDay = limited.Days.ToDictionary(d => d.Day, d => d.Requests);
            var days = new List<UsageChart.Bar>();
            for (var day = report.From; day <= report.To; day = day.AddDays(1))
                days.Add(new UsageChart.Bar(day.Day.ToString(CultureInfo.InvariantCulture), byDay.GetValueOrDefault(day), 0));
            UsageChart.Columns(html, "chart-rate-limited", $"Rate-limited requests per day from {Day(report.From)} to {Day(report.To)}", days, refused: true);
            html.Raw("<table id=\"usage-rate-limited\"><thead><tr><th scope=\"col\">Channel</th><th scope=\"col\">Rate-limited requests</th></tr></thead><tbody>");
            foreach (var channel in limited.Channels)
                html.Raw($"<tr data-channel=\"{Html.Attr(channel.Channel)}\"><td>").Text(channel.Channel).Raw("</td><td>").Text(Count(channel.Requests)).Raw("</td></tr>");
            html.Raw("</tbody></table>");
        }
        html.Raw("</section>");
    }

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    static string Rate(UsageFigures f) => f.Requests == 0 ? "0%" : (f.Errors * 100.0 / f.Requests).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    static string Ms(double? ms) => ms is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + " ms" : "–";

    static string Amount(string currency, decimal amount) => $"{currency} {amount.ToString("#,0.00", CultureInfo.InvariantCulture)}";
}
