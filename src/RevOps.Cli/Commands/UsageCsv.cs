using System.Globalization;
using System.Text;
using RevOps.Domain.Usage;

namespace RevOps.Cli.Commands;

/// <summary>
/// The report's finest rows, one per day and tool, as RFC 4180 CSV with a header:
/// day,tool,requests,successes,errors,avg_ms,p50_ms,p95_ms. Spreadsheets pivot these into any total.
/// </summary>
internal static class UsageCsv
{
    public const string Header = "day,tool,requests,successes,errors,avg_ms,p50_ms,p95_ms";

    public static async Task<int> WriteAsync(string path, UsageReport report, CancellationToken ct)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        foreach (var cell in report.Cells)
        {
            var f = cell.Figures;
            text.Append(cell.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(cell.Tool)).Append(',')
                .Append(f.Requests.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(f.Successes.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(f.Errors.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(f.AverageMs.ToString("0.###", CultureInfo.InvariantCulture)).Append(',')
                .Append(f.P50Ms?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(f.P95Ms?.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);
        return report.Cells.Count;
    }

    /// <summary>Quoted when it holds a comma, quote or line break, with quotes doubled.</summary>
    static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
