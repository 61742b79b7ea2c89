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
            case "Contact":
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
                return ApplyEvent(record) ?? CheckWhoAndWhat(record);
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

    static CrmError? ApplyEvent(Record record)
    {
        if (record["StartDateTime"] is not DateTime start || record["EndDateTime"] is not DateTime end) return null;
        if (end < start)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"Event.EndDateTime ({ValueJson.FormatDateTime(end)}) is before StartDateTime ({ValueJson.FormatDateTime(start)}). Send an end at or after the start, e.g. {ValueJson.FormatDateTime(start.AddHours(1))}.", "EndDateTime");
        record["DurationInMinutes"] = (long)Math.Round((end - start).TotalMinutes);
        record["ActivityDate"] = DateOnly.FromDateTime(start);
        return null;
    }

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
