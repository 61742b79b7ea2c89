using System.Text.Json;
using RevOps.Domain.Webhooks;

namespace RevOps.Server.Webhooks;

/// <summary>The JSON of subscriptions and deliveries, the same for MCP, REST and the CLI.</summary>
public static class WebhookJson
{
    public const string SecretMessage = "Store the secret now: it is not shown again. Receivers verify X-RevOps-Signature with it (docs/webhooks.md).";

    public static void WriteWebhook(Utf8JsonWriter w, Webhook webhook, string? secret = null)
    {
        w.WriteStartObject();
        w.WriteString("id", webhook.Id);
        w.WriteString("url", webhook.Url);
        WriteList(w, "objects", webhook.Filter.Objects);
        WriteList(w, "operations", webhook.Filter.Operations);
        WriteList(w, "fields", webhook.Filter.Fields);
        w.WriteBoolean("active", webhook.Active);
        w.WriteString("createdAt", Time(webhook.CreatedAt));
        if (secret is not null)
        {
            w.WriteString("secret", secret);
            w.WriteString("message", SecretMessage);
        }
        w.WriteEndObject();
    }

    public static void WriteDelivery(Utf8JsonWriter w, WebhookDelivery d)
    {
        w.WriteStartObject();
        w.WriteString("id", d.Id);
        w.WriteString("webhookId", d.WebhookId);
        if (d.Seq is { } seq) w.WriteNumber("seq", seq); else w.WriteNull("seq");
        if (d.Object is null) w.WriteNull("object"); else w.WriteString("object", d.Object);
        if (d.RecordId is null) w.WriteNull("recordId"); else w.WriteString("recordId", d.RecordId);
        w.WriteString("operation", d.Operation);
        w.WriteString("status", d.Status);
        w.WriteNumber("attempts", d.Attempts);
        w.WriteString("createdAt", Time(d.CreatedAt));
        if (d.Status == DeliveryStatus.Pending) w.WriteString("nextAttemptAt", Time(d.NextAttemptAt));
        if (d.LastAttemptAt is { } last) w.WriteString("lastAttemptAt", Time(last));
        if (d.LastStatusCode is { } code) w.WriteNumber("lastStatusCode", code);
        if (d.LastLatencyMs is { } ms) w.WriteNumber("lastLatencyMs", ms);
        if (d.LastError is { } error) w.WriteString("lastError", error);
        if (d.DeliveredAt is { } delivered) w.WriteString("deliveredAt", Time(delivered));
        w.WriteEndObject();
    }

    public static void WriteWebhooks(Utf8JsonWriter w, IReadOnlyList<Webhook> webhooks) => WriteCounted(w, "webhooks", webhooks, (writer, webhook) => WriteWebhook(writer, webhook));

    public static void WriteDeliveries(Utf8JsonWriter w, IReadOnlyList<WebhookDelivery> deliveries) => WriteCounted(w, "deliveries", deliveries, WriteDelivery);

    /// <summary>{"count": n, "<name>": [...]}</summary>
    static void WriteCounted<T>(Utf8JsonWriter w, string name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartObject();
        w.WriteNumber("count", items.Count);
        w.WriteStartArray(name);
        foreach (var item in items) write(w, item);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
