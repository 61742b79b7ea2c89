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
            case "Opportunity":
                return ApplyStage(record, before, sent);
            case "Task":
                record["IsClosed"] = string.Equals(record["Status"] as string, "Completed", StringComparison.Ordinal);
                return null;
            case "Event":
                return record["StartDateTime"] is DateTime start && record["EndDateTime"] is DateTime end && end < start
                    ? new CrmError(ErrorCodes.InvalidFieldValue, $"Event.EndDateTime ({ValueJson.FormatDateTime(end)}) is before StartDateTime ({ValueJson.FormatDateTime(start)}). Send an end at or after the start.", "EndDateTime")
                    : null;
            default:
                return null;
        }
    }

    static CrmError? ApplyStage(Record record, Record? before, IReadOnlySet<string> sent)
    {
        if (record["StageName"] is not string stageName || OpportunityStages.Find(stageName) is not { } stage) return null;
        record["IsClosed"] = stage.IsClosed;
        record["IsWon"] = stage.IsWon;
        record["ForecastCategoryName"] = stage.ForecastCategory;
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
