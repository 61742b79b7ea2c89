using nietras.SeparatedValues;
using RevOps.Domain.Errors;
using RevOps.Domain.Imports;

namespace RevOps.Server.Imports;

/// <summary>
/// CSV sent as text (bulk_write's csv): a header row, then data rows; the delimiter detected from the header
/// (comma, semicolon, tab, pipe), double quotes, values across lines. Refused whole, with the reason, when it is
/// not text (a lone surrogate), has no header, or is bigger than a call takes.
/// </summary>
public static class CsvText
{
    public const int MaxColumns = 1_000;
    const int MaxHeaderLength = 255;

    public sealed record Parsed(IReadOnlyList<string> Headers, IReadOnlyList<ImportRow> Rows);

    public static CrmResult<Parsed> Parse(string text, int maxRows, string field)
    {
        if (FirstLoneSurrogate(text) is { } at)
            return new CrmError(ErrorCodes.InvalidArgument, $"{field} is not valid Unicode text (a lone surrogate at character {at:N0}). Send the file as UTF-8 text.", field);
        if (text.AsSpan().TrimStart("\uFEFF \t\r\n").IsEmpty)
            return new CrmError(ErrorCodes.RequiredFieldMissing, $"{field} is empty: send a header row naming the fields, then one row per record.", field);
        try
        {
            using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true }).FromText(text.TrimStart('\uFEFF'));
            var headers = reader.Header.ColNames;
            if (headers.Count > MaxColumns)
                return new CrmError(ErrorCodes.InvalidArgument, $"{field} has {headers.Count:N0} columns; at most {MaxColumns:N0} are taken. Keep the columns that name fields.", field);
            if (headers.FirstOrDefault(h => h.Length > MaxHeaderLength) is { } longHeader)
                return new CrmError(ErrorCodes.InvalidArgument, $"{field}: a header of {longHeader.Length:N0} characters ('{longHeader[..40]}…') names no field. Is the first row the header?", field);
            var rows = new List<ImportRow>();
            foreach (var row in reader)
            {
                if (rows.Count == maxRows)
                    return new CrmError(ErrorCodes.InvalidArgument, $"{field} has more than {maxRows:N0} rows; one call takes {maxRows:N0}. Split the rows into several calls (repeat the header in each).", field);
                var cells = new string[Math.Min(row.ColCount, MaxColumns + 1)];
                for (int i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();
                rows.Add(new ImportRow(row.RowIndex, cells));
            }
            return new Parsed(headers.ToArray(), rows);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            return new CrmError(ErrorCodes.InvalidArgument, $"{field} could not be read as CSV: {e.Message}", field);
        }
    }

    static int? FirstLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else return i;
        }
        return null;
    }
}
