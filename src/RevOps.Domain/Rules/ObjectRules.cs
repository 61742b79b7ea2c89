using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;

namespace RevOps.Domain.Rules;

/// <summary>
/// Rules that derive or check values across fields, applied to the record as it will be
/// written. <paramref name="sent"/> names the fields the caller supplied in this write.
/// </summary>
public static class ObjectRules
{
    public static CrmError? Apply(Record record, Record? before, IReadOnlySet<string> sent)
    {
        switch (record.Object.Name)
        {
            case "Contact" or "User":
                record["Name"] = JoinName(record["FirstName"] as string, record["LastName"] as string);
                return null;
            case "Lead":
                record["Name"] = JoinName(record["FirstName"] as string, record["LastName"] as string);
                // Only conversion sets a converted status, so a lead never claims a conversion that did not happen.
                return record["IsConverted"] is not true && record["Status"] is string status && Picklists.ConvertedLeadStatuses.Contains(status)
                    ? new CrmError(ErrorCodes.InvalidFieldValue, $"Lead.Status '{status}' is set by convert_lead, which also creates the Account and Contact. Call convert_lead, or send another status, e.g. Working - Contacted.", "Status")
                    : null;
            case "Opportunity":
                return ApplyOpportunity(record, before, sent);
            case "Task":
                record["IsClosed"] = string.Equals(record["Status"] as string, "Completed", StringComparison.Ordinal);
                return CheckWhoAndWhat(record);
            case "Event":
                return ApplyEvent(record, before, sent) ?? CheckWhoAndWhat(record);
            default:
                return null;
        }
    }

    static CrmError? ApplyOpportunity(Record record, Record? before, IReadOnlySet<string> sent)
    {
        if (record["Amount"] is double amount && amount < 0)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Opportunity.Amount cannot be negative; {amount.ToString(System.Globalization.CultureInfo.InvariantCulture)} was sent. Send 0 or more, e.g. 25000.", "Amount");
        var error = ApplyStage(record, before, sent);
        record["ExpectedRevenue"] = record["Amount"] is double a && record["Probability"] is double p ? Math.Round(a * p / 100, 2) : null;
        return error;
    }

    /// <summary>
    /// An event's time, sent either way Salesforce takes it: StartDateTime/EndDateTime, or ActivityDateTime
    /// (ActivityDate for all-day events) with DurationInMinutes. All five are kept consistent: ActivityDateTime
    /// is StartDateTime, ActivityDate its date (UTC), DurationInMinutes the minutes to EndDateTime. An all-day
    /// event starts at midnight UTC of ActivityDate and lasts whole days (1440 minutes each; one day by default).
    /// On update, a new DurationInMinutes moves EndDateTime; a new ActivityDateTime or ActivityDate moves the whole event
    /// (DurationInMinutes kept), a new StartDateTime keeps EndDateTime (DurationInMinutes follows).
    /// </summary>
    static CrmError? ApplyEvent(Record record, Record? before, IReadOnlySet<string> sent)
    {
        foreach (var name in EventTimeFields)
            if (sent.Contains(name) && record[name] is null)
                return new CrmError(ErrorCodes.RequiredFieldMissing, $"Event.{name} cannot be emptied: an event always has a start, an end and a duration. Send a value, or leave {name} out.", name);
        bool allDay = record["IsAllDayEvent"] is true;
        var start = sent.Contains("StartDateTime") ? record["StartDateTime"] as DateTime? : null;
        var activityDateTime = sent.Contains("ActivityDateTime") ? record["ActivityDateTime"] as DateTime? : null;
        var activityDate = sent.Contains("ActivityDate") ? record["ActivityDate"] as DateOnly? : null;
        if (start is { } s && activityDateTime is { } a && s != a)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.ActivityDateTime ({Format(a)}) and StartDateTime ({Format(s)}) are two names for the event's start and must agree. Send only one of them.", "ActivityDateTime");
        // The classic fields move the event and keep its length; StartDateTime moves the start and keeps EndDateTime.
        bool classicStart = start is null && (activityDateTime is not null || activityDate is not null);
        start ??= activityDateTime;
        if (activityDate is { } day && start is { } given && DateOnly.FromDateTime(given) != day)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.ActivityDate ({day:yyyy-MM-dd}) is not the date of the start ({Format(given)}). Send only one of them, or a date that matches.", "ActivityDate");
        var previousStart = before?["StartDateTime"] as DateTime?;
        if (start is null && activityDate is { } onlyDay)
        {
            // A new day keeps the time of day (midnight for all-day events).
            if (allDay) start = onlyDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            else if (previousStart is { } prev) start = onlyDay.ToDateTime(TimeOnly.FromDateTime(prev), DateTimeKind.Utc);
            else
                return new CrmError(ErrorCodes.RequiredFieldMissing, $"Event.ActivityDateTime is required: ActivityDate alone ({onlyDay:yyyy-MM-dd}) sets the day of an all-day event only. Send ActivityDateTime (or StartDateTime), e.g. {onlyDay:yyyy-MM-dd}T15:00:00Z, or IsAllDayEvent: true.", "ActivityDateTime");
        }
        start ??= previousStart;
        if (start is not { } begin)
            return new CrmError(ErrorCodes.RequiredFieldMissing, "Event.ActivityDateTime (or StartDateTime) is required. Send when the event starts, e.g. 2026-12-31T15:00:00Z, with DurationInMinutes (e.g. 60) or EndDateTime; for an all-day event send ActivityDate and IsAllDayEvent: true.", "ActivityDateTime");
        if (allDay) begin = begin.Date;

        var duration = sent.Contains("DurationInMinutes") ? record["DurationInMinutes"] as long? : null;
        var end = sent.Contains("EndDateTime") ? record["EndDateTime"] as DateTime? : null;
        if (duration is < 0)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.DurationInMinutes cannot be negative; {duration} was sent. Send the length in minutes, e.g. 60.", "DurationInMinutes");
        if (end is { } e && e < begin)
            return EndBeforeStart(begin, e);
        if (end is { } both && duration is { } minutes && Minutes(begin, both) != minutes)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.DurationInMinutes ({minutes}) does not match StartDateTime ({Format(begin)}) to EndDateTime ({Format(both)}), which is {Minutes(begin, both)} minutes. Send DurationInMinutes or EndDateTime, not both, or values that agree.", "DurationInMinutes");
        if (end is { } sentEnd) duration = Minutes(begin, sentEnd);
        else if (duration is { } sentMinutes)
        {
            if ((DateTime.MaxValue - begin).TotalMinutes <= sentMinutes)
                return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.DurationInMinutes ({sentMinutes}) ends the event after the year 9999. Send a shorter duration, e.g. 60.", "DurationInMinutes");
            end = begin.AddMinutes(sentMinutes);
        }
        else if (before is null)
        {
            if (!allDay)
                return new CrmError(ErrorCodes.RequiredFieldMissing, $"Event.DurationInMinutes (or EndDateTime) is required. Send how long the event lasts, e.g. DurationInMinutes: 60, or EndDateTime, e.g. {Format(begin.AddHours(1))}.", "DurationInMinutes");
            duration = MinutesPerDay;
            end = begin.AddMinutes(MinutesPerDay);
        }
        else if (allDay)
        {
            // Made all-day, or moved: the whole days the event covered.
            long days = Math.Max(1, ((before["DurationInMinutes"] as long? ?? 0) + MinutesPerDay - 1) / MinutesPerDay);
            duration = days * MinutesPerDay;
            end = begin.AddMinutes(duration.Value);
        }
        else if (classicStart && before["DurationInMinutes"] is long length)
        {
            duration = length;
            end = begin.AddMinutes(length);
        }
        else
        {
            end = before["EndDateTime"] as DateTime?;
            if (end is not { } kept) return null;
            if (kept < begin) return EndBeforeStart(begin, kept);
            duration = Minutes(begin, kept);
        }
        if (allDay && (duration == 0 || duration % MinutesPerDay != 0 || end!.Value.TimeOfDay != TimeSpan.Zero))
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.DurationInMinutes is {duration} but an all-day event lasts whole days from midnight UTC ({Format(begin)}). Send DurationInMinutes as 1440 per day (1440 for one day, 2880 for two), or EndDateTime at midnight UTC after the last day, e.g. {Format(begin.AddDays(1))}.", "DurationInMinutes");
        record["StartDateTime"] = begin;
        record["ActivityDateTime"] = begin;
        record["ActivityDate"] = DateOnly.FromDateTime(begin);
        record["EndDateTime"] = end;
        record["DurationInMinutes"] = duration;
        return null;
    }

    static readonly string[] EventTimeFields = ["StartDateTime", "ActivityDateTime", "ActivityDate", "EndDateTime", "DurationInMinutes"];

    const long MinutesPerDay = 1440;

    static long Minutes(DateTime start, DateTime end) => (long)Math.Round((end - start).TotalMinutes);

    static string Format(DateTime value) => ValueJson.FormatDateTime(value);

    static CrmError EndBeforeStart(DateTime start, DateTime end) =>
        new(ErrorCodes.InvalidFieldValue, $"Event.EndDateTime ({Format(end)}) is before StartDateTime ({Format(start)}). Send an end at or after the start, e.g. {Format(start.AddHours(1))}.", "EndDateTime");

    /// <summary>An activity about a Lead cannot also be related to an Account or Opportunity, as in Salesforce.</summary>
    static CrmError? CheckWhoAndWhat(Record record) =>
        record["WhoId"] is string who && who.StartsWith(StandardObjects.Lead.KeyPrefix, StringComparison.Ordinal) && record["WhatId"] is string what
            ? new CrmError(ErrorCodes.InvalidFieldValue, $"{record.Object.Name}.WhatId ('{what}') must be empty when WhoId is a Lead ('{who}'): leads are not related to accounts or opportunities. Leave WhatId out, or set WhoId to a Contact.", "WhatId")
            : null;

    static CrmError? ApplyStage(Record record, Record? before, IReadOnlySet<string> sent)
    {
        if (record["StageName"] is not string stageName || OpportunityStages.Find(stageName) is not { } stage) return null;
        record["IsClosed"] = stage.IsClosed;
        record["IsWon"] = stage.IsWon;
        record["ForecastCategoryName"] = stage.ForecastCategory;
        record["ForecastCategory"] = stage.ForecastCategory switch { "Best Case" => "BestCase", "Commit" => "Forecast", var name => name };
        bool stageChanged = before is null || !Equals(before["StageName"], stage.Name);
        // The stage's default probability applies when the stage is set and no probability came with it.
        if (stageChanged && !sent.Contains("Probability")) record["Probability"] = (double)stage.Probability;
        return null;
    }

    static string? JoinName(string? first, string? last)
    {
        string joined = string.Join(' ', new[] { first, last }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return joined.Length == 0 ? null : joined;
    }
}
