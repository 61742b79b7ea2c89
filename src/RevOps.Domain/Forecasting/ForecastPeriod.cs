using System.Globalization;
using RevOps.Domain.Errors;

namespace RevOps.Domain.Forecasting;

/// <summary>The period a forecast covers: a SOQL date literal (THIS_QUARTER by default) or from and to, both YYYY-MM-DD.</summary>
public static class ForecastPeriod
{
    public const string Default = "THIS_QUARTER";

    public static CrmResult<(DateOnly From, DateOnly To)> Parse(string? period, string? from, string? to, DateOnly today)
    {
        bool dates = !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to);
        if (dates && !string.IsNullOrWhiteSpace(period))
            return new CrmError(ErrorCodes.InvalidArgument, "Send period or from and to, not both: e.g. {\"period\":\"NEXT_QUARTER\"} or {\"from\":\"2026-10-01\",\"to\":\"2026-12-31\"}.", "period");
        if (dates)
        {
            if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
                return new CrmError(ErrorCodes.InvalidArgument, $"Send both from and to (YYYY-MM-DD), or a period such as THIS_QUARTER; {(string.IsNullOrWhiteSpace(from) ? "from" : "to")} is missing.",
                    string.IsNullOrWhiteSpace(from) ? "from" : "to");
            var start = Date("from", from);
            if (!start.IsOk) return start.Error;
            var end = Date("to", to);
            if (!end.IsOk) return end.Error;
            if (start.Value > end.Value)
                return new CrmError(ErrorCodes.InvalidArgument, $"from ({Format(start.Value)}) is after to ({Format(end.Value)}). Send from on or before to.", "from");
            return (start.Value, end.Value);
        }
        var text = string.IsNullOrWhiteSpace(period) ? Default : period.Trim().ToUpperInvariant();
        var parts = text.Split(':', 2);
        if (parts.Length == 1 && Soql.DateLiterals.IsFixed(parts[0])) return Soql.DateLiterals.Range(parts[0], null, today);
        if (parts.Length == 2 && Soql.DateLiterals.IsParameterized(parts[0]) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 1000)
            return Soql.DateLiterals.Range(parts[0], n, today);
        return new CrmError(ErrorCodes.InvalidArgument,
            $"period: '{period}' is not a period. Send THIS_QUARTER, NEXT_QUARTER, THIS_MONTH, NEXT_MONTH, THIS_YEAR (any SOQL date literal), or from and to as YYYY-MM-DD.", "period");
    }

    static CrmResult<DateOnly> Date(string argument, string? text)
    {
        if (DateOnly.TryParseExact(text!.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        return new CrmError(ErrorCodes.InvalidArgument, $"{argument}: '{text}' is not a date. Send YYYY-MM-DD, e.g. 2026-10-01.", argument);
    }

    static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
