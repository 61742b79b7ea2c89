using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Schema;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Webhooks;

/// <summary>Column shapes of webhooks and webhook_deliveries, and their conversion to domain records.</summary>
internal static class WebhookRows
{
    public const string WebhookColumns = "tenant_id AS TenantId, id AS Id, url AS Url, objects AS Objects, operations AS Operations, fields AS Fields, active AS Active, created_at AS CreatedAt";

    public const string DeliveryColumns = """
        d.id AS Id, d.webhook_id AS WebhookId, d.seq AS Seq, d.object AS Object, d.record_id AS RecordId, d.operation AS Operation,
        d.status AS Status, d.attempts AS Attempts, d.created_at AS CreatedAt, d.next_attempt_at AS NextAttemptAt, d.last_attempt_at AS LastAttemptAt,
        d.last_status_code AS LastStatusCode, d.last_latency_ms AS LastLatencyMs, d.last_error AS LastError, d.delivered_at AS DeliveredAt
        """;

    public static string Time(DateTime time) => SqliteValues.FormatDateTime(time);

    public static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture,
        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static string? ListJson(IReadOnlyList<string>? values) =>
        values is null ? null : JsonSerializer.Serialize(values, StorageJson.Default.IReadOnlyListString);

    public static IReadOnlyList<string>? ParseList(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, StorageJson.Default.IReadOnlyListString);

    public static WebhookFilter Filter(string? objects, string? operations, string? fields) => new(ParseList(objects), ParseList(operations), ParseList(fields));

    internal sealed record WebhookRow(string TenantId, string Id, string Url, string? Objects, string? Operations, string? Fields, long Active, string CreatedAt)
    {
        public Webhook ToWebhook() => new(Id, new TenantId(Guid.Parse(TenantId)), Url, Filter(Objects, Operations, Fields), Active != 0, ParseTime(CreatedAt));
    }

    internal sealed record DeliveryRow(string Id, string WebhookId, long? Seq, string? Object, string? RecordId, string Operation, string Status, long Attempts,
        string CreatedAt, string NextAttemptAt, string? LastAttemptAt, long? LastStatusCode, double? LastLatencyMs, string? LastError, string? DeliveredAt)
    {
        public WebhookDelivery ToDelivery() => new(Id, WebhookId, Seq, Object, RecordId, Operation, Status, (int)Attempts, ParseTime(CreatedAt), ParseTime(NextAttemptAt),
            LastAttemptAt is null ? null : ParseTime(LastAttemptAt), LastStatusCode is null ? null : (int)LastStatusCode, LastLatencyMs, LastError,
            DeliveredAt is null ? null : ParseTime(DeliveredAt));
    }
}
