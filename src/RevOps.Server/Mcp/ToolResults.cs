using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp;

/// <summary>Tool output: the same JSON as structuredContent and as text; errors as isError results that say what to do.</summary>
public static class ToolResults
{
    public static CallToolResult Record(Record record) => FromJson(w => RecordJson.WriteCompact(w, record));

    /// <summary>A page of records: {"count", "hasMore", "records"}; hasMore says a larger limit or a narrower filter would show more.</summary>
    public static CallToolResult Page(RecordPage page) => FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("count", page.Records.Count);
        w.WriteBoolean("hasMore", page.HasMore);
        w.WriteStartArray("records");
        foreach (var record in page.Records) RecordJson.WriteCompact(w, record);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static CallToolResult Error(CrmError error) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = error.ToString() }],
    };

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
