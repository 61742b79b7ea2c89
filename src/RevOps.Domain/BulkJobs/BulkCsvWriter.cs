using System.Text;

namespace RevOps.Domain.BulkJobs;

/// <summary>Writes CSV records with the job's delimiter and line ending, quoting a value only when it needs it; NUL becomes U+FFFD.</summary>
public static class BulkCsvWriter
{
    public static StringBuilder AppendRecord(StringBuilder text, IEnumerable<string?> values, char delimiter, string newLine)
    {
        bool first = true;
        foreach (var value in values)
        {
            if (!first) text.Append(delimiter);
            first = false;
            AppendValue(text, value ?? "", delimiter);
        }
        return text.Append(newLine);
    }

    public static string Record(IEnumerable<string?> values, char delimiter, string newLine) =>
        AppendRecord(new StringBuilder(), values, delimiter, newLine).ToString();

    static void AppendValue(StringBuilder text, string value, char delimiter)
    {
        // Results are stored as text, which PostgreSQL cannot hold NUL in; a row with one failed on it anyway.
        if (value.Contains('\0')) value = value.Replace('\0', '\uFFFD');
        if (value.AsSpan().IndexOfAny(['"', '\r', '\n', delimiter]) < 0)
        {
            text.Append(value);
            return;
        }
        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
