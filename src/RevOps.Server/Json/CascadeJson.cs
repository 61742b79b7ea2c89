using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Domain.Records;

namespace RevOps.Server.Json;

/// <summary>
/// The one shape every answer lists the records deleted or restored along with another in:
/// "cascade": [{"object": "Contact", "Id": "003…", "Name": "…"}] (delete_record, restore_record, undo_change).
/// </summary>
public static class CascadeJson
{
    public const string Property = "cascade";

    public static void Write(Utf8JsonWriter w, IReadOnlyList<Record> cascaded)
    {
        w.WriteStartArray(Property);
        foreach (var record in cascaded)
        {
            w.WriteStartObject();
            w.WriteString("object", record.Object.Name);
            w.WriteString("Id", record.Id);
            if (record.DisplayName is { } name) w.WriteString("Name", name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The output-schema node of the list.</summary>
    public static JsonObject Schema(string description) => new()
    {
        ["type"] = "array",
        ["description"] = description,
        ["items"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["object"] = new JsonObject { ["type"] = "string" },
                ["Id"] = new JsonObject { ["type"] = "string" },
                ["Name"] = new JsonObject { ["type"] = "string" },
            },
            ["required"] = new JsonArray("object", "Id"),
        },
    };
}
