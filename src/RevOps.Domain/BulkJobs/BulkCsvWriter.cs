using System.Text;

namespace RevOps.Domain.BulkJobs;

/// <summary>Writes CSV records with the job's delimiter and line ending, quoting a value only when it needs it.</summary>
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
        if (value.AsSpan().IndexOfAny(['"', '\r', '\n', delimiter]) < 0)
        {
            text.Append(value);
            return;
        }
        text.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
