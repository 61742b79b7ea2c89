using System.Globalization;
using RevOps.Domain.Errors;

namespace RevOps.Domain.Usage;

/// <summary>The days a usage question covers, read from optional from/to texts.</summary>
public readonly record struct UsagePeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    public static UsagePeriod Month(DateOnly day) => new(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1).AddDays(-1));

    /// <summary>
    /// Neither given: the calendar month of <paramref name="today"/>. A day is YYYY-MM-DD; a month
    /// YYYY-MM means its first day as from and its last as to. From alone runs to today's month end;
    /// to alone starts on the first of its month.
    /// </summary>
    public static CrmResult<UsagePeriod> Parse(string? from, string? to, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(from) && string.IsNullOrWhiteSpace(to)) return Month(today);
        DateOnly? start = null, end = null;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!TryDay(from, endOfMonth: false, out var day)) return Invalid("from", from);
            start = day;
        }
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!TryDay(to, endOfMonth: true, out var day)) return Invalid("to", to);
            end = day;
        }
        var period = new UsagePeriod(start ?? Month(end!.Value).From, end ?? Month(start!.Value > today ? start.Value : today).To);
        if (period.From > period.To)
            return new CrmError(ErrorCodes.InvalidArgument, $"from {Text(period.From)} is after to {Text(period.To)}; send from on or before to.", "from");
        if (period.To.DayNumber - period.From.DayNumber + 1 > MaxDays)
            return new CrmError(ErrorCodes.InvalidArgument, $"the period {Text(period.From)}..{Text(period.To)} is longer than {MaxDays} days; ask for a year or less at a time.", "to");
        return period;
    }

    static bool TryDay(string text, bool endOfMonth, out DateOnly day)
    {
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return true;
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return false;
        if (endOfMonth) day = Month(day).To;
        return true;
    }

    static CrmError Invalid(string name, string value) =>
        new(ErrorCodes.InvalidArgument, $"{name} '{value}' is not a day (YYYY-MM-DD, e.g. 2026-11-01) or a month (YYYY-MM, e.g. 2026-11).", name);

    static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
