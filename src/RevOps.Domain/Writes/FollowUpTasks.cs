using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;

namespace RevOps.Domain.Writes;

/// <summary>
/// A task logged as done with the next one planned: the first is Completed (unless its Status was sent),
/// the follow-up Not Started about the same WhoId and WhatId, owned by the first's owner unless it names its own.
/// </summary>
public static class FollowUpTasks
{
    public const string CompletedStatus = "Completed";
    public const string OpenStatus = "Not Started";
    static readonly string[] Inherited = ["WhoId", "WhatId", "OwnerId"];

    public static CrmResult<(RecordInput Done, RecordInput Next)> Build(RecordInput task, JsonElement followUp)
    {
        if (followUp.ValueKind != JsonValueKind.Object)
            return new CrmError(ErrorCodes.InvalidType, $"follow_up must be an object such as {{\"Subject\": \"Send proposal\", \"ActivityDate\": \"2026-12-12\"}}; got {followUp.GetRawText()}.", "follow_up");
        var next = followUp.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())).ToList();
        if (!Has(next, "Subject"))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "follow_up needs a Subject, e.g. {\"Subject\": \"Send proposal\", \"ActivityDate\": \"2026-12-12\"}.", "follow_up");
        foreach (var field in new[] { "WhoId", "WhatId" })
            if (Has(next, field))
                return new CrmError(ErrorCodes.InvalidArgument, $"follow_up.{field}: the follow-up is about the same records as the task. Send {field} beside Subject, not inside follow_up.", "follow_up");

        var done = task.Fields.ToList();
        if (!Has(done, "Status")) done.Add(new("Status", FieldApplier.ToJson(CompletedStatus)));
        if (!Has(next, "Status")) next.Add(new("Status", FieldApplier.ToJson(OpenStatus)));
        foreach (var field in Inherited)
            if (!Has(next, field) && done.FirstOrDefault(f => f.Key.Equals(field, StringComparison.OrdinalIgnoreCase)) is { Key: not null } value)
                next.Add(new(field, value.Value));
        return (new RecordInput(done), new RecordInput(next));
    }

    static bool Has(IEnumerable<KeyValuePair<string, JsonElement>> fields, string name) =>
        fields.Any(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase) && f.Value.ValueKind != JsonValueKind.Null);
}
