using System.Globalization;
using RevOps.Domain.Usage;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>Renders a usage statement as Spectre.Console tables: totals, per day, per tool, invoice preview.</summary>
internal static class UsageTables
{
    public static void Render(UsageStatement statement)
    {
        var report = statement.Report;
        AnsiConsole.MarkupLine($"Usage of [bold]{Markup.Escape(statement.Tenant.Name)}[/] ({statement.Tenant.Id}, {statement.Tenant.SubscriptionTier} tier) from {Day(report.From)} to {Day(report.To)}");

        var totals = Figures(new Table().Title("Totals"), "Period");
        AddRow(totals, $"{Day(report.From)}..{Day(report.To)}", report.Totals);
        AnsiConsole.Write(totals);

        var days = Figures(new Table().Title("Per day"), "Day");
        foreach (var day in report.Days) AddRow(days, Day(day.Day), day.Figures);
        AnsiConsole.Write(days);

        var tools = Figures(new Table().Title("Per tool or endpoint"), "Tool");
        foreach (var tool in report.Tools) AddRow(tools, tool.Tool, tool.Figures);
        AnsiConsole.Write(tools);

        var invoice = statement.Invoice;
        var lines = new Table().Title($"Invoice preview ({invoice.Currency})").AddColumns("Item", "Quantity", "Unit", "Unit price", "Amount");
        foreach (var line in invoice.Lines)
            lines.AddRow(Markup.Escape(line.Description), line.Quantity.ToString("0.###", CultureInfo.InvariantCulture), Markup.Escape(line.Unit),
                line.UnitPrice.ToString("0.00##", CultureInfo.InvariantCulture), line.Amount.ToString("0.00", CultureInfo.InvariantCulture));
        lines.AddRow("Total", "", "", "", invoice.Total.ToString("0.00", CultureInfo.InvariantCulture));
        AnsiConsole.Write(lines);
    }

    static Table Figures(Table table, string first) => table.AddColumns(first, "Requests", "Successes", "Errors", "Avg ms", "p50 ms", "p95 ms");

    static void AddRow(Table table, string first, UsageFigures f) =>
        table.AddRow(Markup.Escape(first), Number(f.Requests), Number(f.Successes), Number(f.Errors),
            f.AverageMs.ToString("0.###", CultureInfo.InvariantCulture), Ms(f.P50Ms), Ms(f.P95Ms));

    static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    static string Ms(double? ms) => ms is { } v ? "≤ " + v.ToString("0.##", CultureInfo.InvariantCulture) : "-";

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
