using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;
using RevOps.Domain.Writes;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Framework;

/// <summary>Tool output: the same JSON as structuredContent and as text; errors as isError results that say what to do.</summary>
public static class ToolResults
{
    public static CallToolResult Record(Record record, IReadOnlySet<string>? fields = null) => FromJson(w => RecordJson.WriteCompact(w, record, fields));

    /// <summary>
    /// A page of records: {"totalSize", "count", "hasMore", "nextCursor"?, "records"}; send nextCursor
    /// back (with the same filters) for the next page.
    /// </summary>
    public static CallToolResult Page(RecordPage page, string? nextCursor = null, IReadOnlySet<string>? fields = null) => FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("totalSize", page.TotalSize);
        w.WriteNumber("count", page.Records.Count);
        w.WriteBoolean("hasMore", page.HasMore);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        w.WriteStartArray("records");
        foreach (var record in page.Records) RecordJson.WriteCompact(w, record, fields);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// A create or update: the record as written (plus possibleDuplicates / idempotentReplay when
    /// they apply), or for a dry run {"dryRun", "operation", "record", "changes"}.
    /// </summary>
    public static CallToolResult Outcome(WriteOutcome outcome) => FromJson(w =>
    {
        w.WriteStartObject();
        if (outcome.Skipped)
        {
            w.WriteBoolean("skipped", true);
            w.WriteString("message", $"Not written: this {outcome.Record.Object.Name} may duplicate the records below. Update one of them, or send on_duplicate: report to write it anyway.");
        }
        else if (outcome.DryRun)
        {
            w.WriteBoolean("dryRun", true);
            w.WriteString("operation", outcome.Operation);
            w.WriteString("message", "Valid. Nothing was written; send the same call without dry_run to write it.");
            w.WritePropertyName("record");
            RecordJson.WriteCompact(w, outcome.Record);
            w.WritePropertyName("changes");
            ValueJson.WriteChanges(w, outcome.Changes);
        }
        else
        {
            RecordJson.WriteFields(w, outcome.Record);
            if (outcome.Replayed) w.WriteBoolean("idempotentReplay", true);
        }
        DuplicateJson.Write(w, outcome.PossibleDuplicates);
        w.WriteEndObject();
    });

    public static CallToolResult FromOutcome(CrmResult<WriteOutcome> result) => result.IsOk ? Outcome(result.Value) : Error(result.Error);

    public static CallToolResult Error(CrmError error)
    {
        Observability.RequestMetrics.Error(Auth.CallerResolver.McpChannel, error.Code);
        return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = error.ToString() }] };
    }

    public static CallToolResult FromResult(CrmResult<Record> result) => result.IsOk ? Record(result.Value) : Error(result.Error);

    public static CallToolResult FromJson(Action<Utf8JsonWriter> write)
    {
        var (element, text) = RecordJson.Build(write);
        return new CallToolResult
        {
            StructuredContent = element,
            Content = [new TextContentBlock { Text = text }],
        };
    }
}
