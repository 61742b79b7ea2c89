using System.Text.Json;
using RevOps.Domain.Changes;
using RevOps.Domain.Records;

namespace RevOps.Server.Changes;

/// <summary>One change as MCP tools, /api/changes and the live stream all show it.</summary>
public static class ChangeJson
{
    public static void Write(Utf8JsonWriter w, ChangeRow change)
    {
        w.WriteStartObject();
        WriteProperties(w, change);
        w.WriteEndObject();
    }

    /// <summary>
    /// seq, time, object, recordId, operation, changes, actor {Id, Name} (the user, named as at the time),
    /// keyId (the API key, null for tokens, the CLI and stdio), channel, requestId (null for rows written before request ids were kept).
    /// </summary>
    public static void WriteProperties(Utf8JsonWriter w, ChangeRow change)
    {
        w.WriteNumber("seq", change.Seq);
        w.WriteString("time", ValueJson.FormatDateTime(change.At));
        w.WriteString("object", change.Object);
        w.WriteString("recordId", change.RecordId);
        w.WriteString("operation", change.Operation);
        w.WritePropertyName("changes");
        change.Changes.WriteTo(w);
        w.WriteStartObject("actor");
        w.WriteString("Id", change.ActorId);
        if (change.ActorName is null) w.WriteNull("Name"); else w.WriteString("Name", change.ActorName);
        w.WriteEndObject();
        if (change.KeyId is null) w.WriteNull("keyId"); else w.WriteString("keyId", change.KeyId);
        w.WriteString("channel", change.Channel);
        if (change.RequestId is null) w.WriteNull("requestId");
        else w.WriteString("requestId", change.RequestId);
    }
}
