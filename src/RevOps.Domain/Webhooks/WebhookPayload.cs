using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RevOps.Domain.Webhooks;

/// <summary>
/// The body a receiver gets. It names no tenant (the subscription already belongs to one) and is
/// fixed when the event is queued, so every attempt sends the same bytes:
/// {"id","webhookId","object","recordId","operation","seq","time","actor":{"id","name","channel"},"changes":{Field:{before,after}}}.
/// </summary>
public static class WebhookPayload
{
    public const string TestOperation = "test";

    /// <param name="changesJson">The change log's JSON object of changed fields, copied as is.</param>
    public static string Build(string eventId, string webhookId, string? obj, string? recordId, string operation, long? seq, DateTime time,
        string actorId, string? actorName, string channel, string changesJson)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + changesJson.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", eventId);
            w.WriteString("webhookId", webhookId);
            if (obj is null) w.WriteNull("object"); else w.WriteString("object", obj);
            if (recordId is null) w.WriteNull("recordId"); else w.WriteString("recordId", recordId);
            w.WriteString("operation", operation);
            if (seq is { } s) w.WriteNumber("seq", s); else w.WriteNull("seq");
            w.WriteString("time", time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteStartObject("actor");
            w.WriteString("id", actorId);
            if (actorName is null) w.WriteNull("name"); else w.WriteString("name", actorName);
            w.WriteString("channel", channel);
            w.WriteEndObject();
            w.WritePropertyName("changes");
            w.WriteRawValue(changesJson, skipInputValidation: true);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The field names of a change log changes object, for the fields filter.</summary>
    public static IEnumerable<string> ChangedFields(string changesJson)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(changesJson));
        var names = new List<string>();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return names;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            names.Add(reader.GetString()!);
            reader.Skip();
        }
        return names;
    }
}
