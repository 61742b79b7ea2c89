using System.Text.Json;
using RevOps.Domain.Writes;

namespace RevOps.Server.Json;

/// <summary>Possible duplicates as MCP tools and the Salesforce REST API both answer them.</summary>
public static class DuplicateJson
{
    /// <summary>"possibleDuplicates": [{"rule", "object", "Id", "Name", "value"}], when there are any.</summary>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<DuplicateMatch>? matches)
    {
        if (matches is not { Count: > 0 }) return;
        w.WriteStartArray("possibleDuplicates");
        foreach (var match in matches)
        {
            w.WriteStartObject();
            w.WriteString("rule", match.Rule);
            w.WriteString("object", match.Object);
            w.WriteString("Id", match.Id);
            if (match.Name is not null) w.WriteString("Name", match.Name);
            w.WriteString("value", match.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
