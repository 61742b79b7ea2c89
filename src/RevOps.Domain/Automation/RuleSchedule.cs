using Cronos;
using RevOps.Domain.Errors;

namespace RevOps.Domain.Automation;

/// <summary>
/// A scheduled rule's cron expression (five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * MON")
/// in an IANA time zone, so "9 in the morning" stays 9 across daylight-saving changes. The finest schedule is once a
/// minute: a cron with seconds is refused.
/// </summary>
public sealed class RuleSchedule
{
    readonly CronExpression _cron;
    readonly TimeZoneInfo _zone;

    RuleSchedule(string expression, CronExpression cron, TimeZoneInfo zone)
    {
        Expression = expression;
        _cron = cron;
        _zone = zone;
    }

    public string Expression { get; }

    public string TimeZone => _zone.Id;

    public static CrmResult<RuleSchedule> Parse(string expression, string? timeZone)
    {
        const string Example = "e.g. \"0 9 * * MON\" (Mondays at 9:00) or \"*/15 8-18 * * MON-FRI\"";
        string text = expression.Trim();
        if (text.Length is 0 or > 100 || text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
            return new CrmError(ErrorCodes.InvalidArgument, $"trigger.schedule must be a cron expression of five fields (minute hour day-of-month month day-of-week), {Example}.", "trigger.schedule");
        CronExpression cron;
        try
        {
            cron = CronExpression.Parse(text, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return new CrmError(ErrorCodes.InvalidArgument, $"trigger.schedule '{text}' is not a cron expression: {e.Message} Write five fields, {Example}.", "trigger.schedule");
        }
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(timeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out zone!))
            return new CrmError(ErrorCodes.InvalidArgument, $"trigger.timezone '{Cut(timeZone)}' is not a time zone; send an IANA name such as \"Europe/Berlin\" or \"America/New_York\" (default UTC).", "trigger.timezone");
        var schedule = new RuleSchedule(text, cron, zone);
        if (schedule.Next(DateTime.UtcNow) is null)
            return new CrmError(ErrorCodes.InvalidArgument, $"trigger.schedule '{text}' never fires (no such date); {Example}.", "trigger.schedule");
        return schedule;
    }

    /// <summary>The first time after <paramref name="afterUtc"/> the rule fires, in UTC; null if never.</summary>
    public DateTime? Next(DateTime afterUtc) =>
        _cron.GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), _zone) is { } next ? DateTime.SpecifyKind(next, DateTimeKind.Utc) : null;

    static string Cut(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
