using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Records;

namespace RevOps.Domain.Imports;

/// <summary>A stored value as a CSV cell that import reads back unchanged: invariant numbers, ISO dates, UTC date-times, empty for null.</summary>
public static class CsvValue
{
    public static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString(ValueJson.DateFormat, CultureInfo.InvariantCulture),
        DateTime time => ValueJson.FormatDateTime(time),
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString()!,
        JsonElement { ValueKind: JsonValueKind.Null } => "",
        JsonElement json => json.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
