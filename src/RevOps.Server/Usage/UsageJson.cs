using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Billing;
using RevOps.Domain.Usage;

namespace RevOps.Server.Usage;

/// <summary>
/// A usage statement as GET /api/usage and get_usage return it:
/// {"tenant_id", "tier", "period": {"from", "to"}, "totals": {figures}, "by_tool": [{"tool", figures}],
///  "by_day": [{"day", figures}], "invoice": {"currency", "line_items": [...], "total"}, "note"}
/// where figures are requests, successes, errors, avg_ms, p50_ms, p95_ms. Money is a number in
/// currency units rounded to cents half away from zero.
/// </summary>
public static class UsageJson
{
    public const string Note =
        "Counts reach storage once a second, so the last second's calls may be missing. p50_ms and p95_ms are upper bounds of latency " +
        "buckets (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000 ms). Invoice lines are rounded to cents " +
        "half away from zero; the total is the sum of the lines.";

    /// <summary>The whole statement, as GET /api/usage answers it.</summary>
    public static void Write(Utf8JsonWriter w, UsageStatement statement) => Write(w, statement, UsageDetail.All);

    /// <summary>
    /// The statement with the breakdowns <paramref name="detail"/> asks for: period, totals and
    /// invoice always come first, so "what's my bill" costs an agent a few hundred bytes.
    /// </summary>
    public static void Write(Utf8JsonWriter w, UsageStatement statement, UsageDetail detail)
    {
        var report = statement.Report;
        w.WriteStartObject();
        w.WriteString("tenant_id", statement.Tenant.Id.ToString());
        w.WriteString("tier", statement.Tenant.SubscriptionTier);
        w.WriteStartObject("period");
        w.WriteString("from", Day(report.From));
        w.WriteString("to", Day(report.To));
        w.WriteEndObject();
        w.WritePropertyName("totals");
        Figures(w, null, null, report.Totals);
        w.WritePropertyName("invoice");
        Invoice(w, statement.Invoice);
        if (detail.HasFlag(UsageDetail.Tools))
        {
            w.WriteStartArray("by_tool");
            foreach (var tool in report.Tools) Figures(w, "tool", tool.Tool, tool.Figures);
            w.WriteEndArray();
        }
        if (detail.HasFlag(UsageDetail.Days))
        {
            w.WriteStartArray("by_day");
            foreach (var day in report.Days) Figures(w, "day", Day(day.Day), day.Figures);
            w.WriteEndArray();
        }
        if (detail == UsageDetail.All)
        {
            var limited = report.RateLimited;
            w.WriteStartObject("rate_limited");
            w.WriteNumber("requests", limited.Total);
            w.WriteStartArray("by_channel");
            foreach (var channel in limited.Channels)
            {
                w.WriteStartObject();
                w.WriteString("channel", channel.Channel);
                w.WriteNumber("requests", channel.Requests);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("by_day");
            foreach (var day in limited.Days)
            {
                w.WriteStartObject();
                w.WriteString("day", Day(day.Day));
                w.WriteNumber("requests", day.Requests);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("note", Note);
        }
        w.WriteEndObject();
    }

    static void Figures(Utf8JsonWriter w, string? keyName, string? key, UsageFigures figures)
    {
        w.WriteStartObject();
        if (keyName is not null) w.WriteString(keyName, key);
        w.WriteNumber("requests", figures.Requests);
        w.WriteNumber("successes", figures.Successes);
        w.WriteNumber("errors", figures.Errors);
        w.WriteNumber("avg_ms", Math.Round(figures.AverageMs, 3));
        Nullable(w, "p50_ms", figures.P50Ms);
        Nullable(w, "p95_ms", figures.P95Ms);
        w.WriteEndObject();
    }

    static void Invoice(Utf8JsonWriter w, Invoice invoice)
    {
        w.WriteStartObject();
        w.WriteString("currency", invoice.Currency);
        w.WriteString("tier", invoice.Tier);
        w.WriteStartArray("line_items");
        foreach (var line in invoice.Lines)
        {
            w.WriteStartObject();
            w.WriteString("description", line.Description);
            w.WriteNumber("quantity", line.Quantity);
            w.WriteString("unit", line.Unit);
            w.WriteNumber("unit_price", line.UnitPrice);
            w.WriteNumber("amount", line.Amount);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("total", invoice.Total);
        w.WriteEndObject();
    }

    static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Which breakdowns a usage statement carries besides its totals and invoice.</summary>
[Flags]
public enum UsageDetail
{
    Totals = 0,
    Tools = 1,
    Days = 2,
    All = Tools | Days,
}
