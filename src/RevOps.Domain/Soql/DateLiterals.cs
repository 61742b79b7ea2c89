namespace RevOps.Domain.Soql;

/// <summary>
/// SOQL date literals (TODAY, LAST_N_DAYS:30, THIS_QUARTER …) as inclusive day ranges, computed in
/// UTC from a given "today". Weeks start on Sunday (en_US); quarters and fiscal years are calendar ones.
/// </summary>
public static class DateLiterals
{
    static readonly HashSet<string> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        "YESTERDAY", "TODAY", "TOMORROW", "LAST_WEEK", "THIS_WEEK", "NEXT_WEEK", "LAST_MONTH", "THIS_MONTH", "NEXT_MONTH",
        "LAST_90_DAYS", "NEXT_90_DAYS", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
        "THIS_FISCAL_QUARTER", "LAST_FISCAL_QUARTER", "NEXT_FISCAL_QUARTER", "THIS_FISCAL_YEAR", "LAST_FISCAL_YEAR", "NEXT_FISCAL_YEAR",
    };

    static readonly HashSet<string> Parameterized = new(StringComparer.OrdinalIgnoreCase)
    {
        "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO",
        "LAST_N_WEEKS", "NEXT_N_WEEKS", "N_WEEKS_AGO",
        "LAST_N_MONTHS", "NEXT_N_MONTHS", "N_MONTHS_AGO",
        "LAST_N_QUARTERS", "NEXT_N_QUARTERS", "N_QUARTERS_AGO",
        "LAST_N_YEARS", "NEXT_N_YEARS", "N_YEARS_AGO",
        "LAST_N_FISCAL_QUARTERS", "NEXT_N_FISCAL_QUARTERS", "N_FISCAL_QUARTERS_AGO",
        "LAST_N_FISCAL_YEARS", "NEXT_N_FISCAL_YEARS", "N_FISCAL_YEARS_AGO",
    };

    public static bool IsFixed(string name) => Fixed.Contains(name);

    public static bool IsParameterized(string name) => Parameterized.Contains(name);

    /// <summary>The first and last day (inclusive) of the literal's range.</summary>
    public static (DateOnly First, DateOnly Last) Range(string name, int? n, DateOnly today)
    {
        name = name.ToUpperInvariant().Replace("_FISCAL", "", StringComparison.Ordinal);
        int count = n ?? 0;
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return name switch
        {
            "YESTERDAY" => Day(today.AddDays(-1)),
            "TODAY" => Day(today),
            "TOMORROW" => Day(today.AddDays(1)),
            "LAST_WEEK" => (week.AddDays(-7), week.AddDays(-1)),
            "THIS_WEEK" => (week, week.AddDays(6)),
            "NEXT_WEEK" => (week.AddDays(7), week.AddDays(13)),
            "LAST_MONTH" => (month.AddMonths(-1), month.AddDays(-1)),
            "THIS_MONTH" => (month, month.AddMonths(1).AddDays(-1)),
            "NEXT_MONTH" => (month.AddMonths(1), month.AddMonths(2).AddDays(-1)),
            "LAST_90_DAYS" => (today.AddDays(-90), today),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(90)),
            "LAST_QUARTER" => (quarter.AddMonths(-3), quarter.AddDays(-1)),
            "THIS_QUARTER" => (quarter, quarter.AddMonths(3).AddDays(-1)),
            "NEXT_QUARTER" => (quarter.AddMonths(3), quarter.AddMonths(6).AddDays(-1)),
            "LAST_YEAR" => (year.AddYears(-1), year.AddDays(-1)),
            "THIS_YEAR" => (year, year.AddYears(1).AddDays(-1)),
            "NEXT_YEAR" => (year.AddYears(1), year.AddYears(2).AddDays(-1)),
            "LAST_N_DAYS" => (today.AddDays(-count), today),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(count)),
            "N_DAYS_AGO" => Day(today.AddDays(-count)),
            "LAST_N_WEEKS" => (week.AddDays(-7 * count), week.AddDays(-1)),
            "NEXT_N_WEEKS" => (week.AddDays(7), week.AddDays(7 * (count + 1) - 1)),
            "N_WEEKS_AGO" => (week.AddDays(-7 * count), week.AddDays(-7 * count + 6)),
            "LAST_N_MONTHS" => (month.AddMonths(-count), month.AddDays(-1)),
            "NEXT_N_MONTHS" => (month.AddMonths(1), month.AddMonths(count + 1).AddDays(-1)),
            "N_MONTHS_AGO" => (month.AddMonths(-count), month.AddMonths(-count + 1).AddDays(-1)),
            "LAST_N_QUARTERS" => (quarter.AddMonths(-3 * count), quarter.AddDays(-1)),
            "NEXT_N_QUARTERS" => (quarter.AddMonths(3), quarter.AddMonths(3 * (count + 1)).AddDays(-1)),
            "N_QUARTERS_AGO" => (quarter.AddMonths(-3 * count), quarter.AddMonths(-3 * count + 3).AddDays(-1)),
            "LAST_N_YEARS" => (year.AddYears(-count), year.AddDays(-1)),
            "NEXT_N_YEARS" => (year.AddYears(1), year.AddYears(count + 1).AddDays(-1)),
            "N_YEARS_AGO" => (year.AddYears(-count), year.AddYears(-count + 1).AddDays(-1)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a date literal."),
        };
    }

    static (DateOnly, DateOnly) Day(DateOnly day) => (day, day);
}
