using System.Text.Json;
using RevOps.Domain.Work;
using RevOps.Server.Json;

namespace RevOps.Server.Work;

/// <summary>The JSON of work items, claims and lists, the same for MCP, REST and the CLI.</summary>
public static class WorkJson
{
    public static void WriteItem(Utf8JsonWriter w, WorkItem item)
    {
        w.WriteStartObject();
        WriteItemFields(w, item);
        w.WriteEndObject();
    }

    static void WriteItemFields(Utf8JsonWriter w, WorkItem item)
    {
        w.WriteString("id", item.Id);
        w.WriteString("queue", item.Queue);
        w.WriteString("type", item.Type);
        w.WriteString("state", item.State);
        w.WriteString("priority", WorkPriority.Name(item.Priority));
        if (item.Due is { } due) w.WriteString("due", Time(due));
        if (item.RecordId is not null)
        {
            w.WriteString("object", item.RecordObject);
            w.WriteString("recordId", item.RecordId);
        }
        w.WriteString("prompt", item.Prompt);
        w.WriteNumber("attempts", item.Attempts);
        if (item.LeaseUntil is { } until) w.WriteString("leaseUntil", Time(until));
        if (item.ClaimedBy is not null) w.WriteString("claimedById", item.ClaimedBy);
        if (item.Note is not null) w.WriteString("note", item.Note);
        if (item.Source is not null) w.WriteString("source", item.Source);
        w.WriteString("createdById", item.CreatedBy);
        w.WriteString("createdAt", Time(item.CreatedAt));
        w.WriteString("updatedAt", Time(item.UpdatedAt));
        if (item.FinishedAt is { } finished) w.WriteString("finishedAt", Time(finished));
    }

    /// <summary>A claim: the item, its lease token, and the record it is about (compact, as get_record answers), or that nothing was waiting.</summary>
    public static void WriteClaim(Utf8JsonWriter w, WorkClaim? claim)
    {
        w.WriteStartObject();
        if (claim is null)
        {
            w.WriteNull("item");
            w.WriteString("message", "No item is waiting in this queue. Try again later, or list (action=list) to see what is there.");
            w.WriteEndObject();
            return;
        }
        w.WriteString("lease", claim.Claimed.Lease);
        w.WritePropertyName("item");
        WriteItem(w, claim.Claimed.Item);
        if (claim.Record is not null)
        {
            w.WritePropertyName("record");
            RecordJson.WriteCompact(w, claim.Record);
        }
        else if (claim.RecordProblem is not null) w.WriteString("recordProblem", claim.RecordProblem);
        w.WriteString("next", "When done: action=complete (or fail) with id, lease and a note, before leaseUntil.");
        w.WriteEndObject();
    }

    public static void WriteList(Utf8JsonWriter w, WorkList list)
    {
        w.WriteStartObject();
        w.WritePropertyName("counts");
        w.WriteStartObject();
        foreach (var state in WorkItem.States.All) w.WriteNumber(state, list.Counts.GetValueOrDefault(state));
        w.WriteEndObject();
        w.WriteNumber("count", list.Items.Count);
        w.WriteStartArray("items");
        foreach (var item in list.Items) WriteItem(w, item);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static string Time(DateTime at) => Domain.Records.ValueJson.FormatDateTime(at);
}
