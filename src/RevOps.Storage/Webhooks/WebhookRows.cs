using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Storage.Schema;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Webhooks;

/// <summary>Column lists of webhooks and webhook_deliveries, and their rows read as domain records on either engine.</summary>
internal static class WebhookRows
{
    public const string WebhookColumns = "id, url, objects, operations, fields, active, created_at";

    public const string DeliveryColumns = """
        id, webhook_id, seq, object, record_id, operation, status, attempts, created_at, next_attempt_at, last_attempt_at,
        last_status_code, last_latency_ms, last_error, delivered_at
        """;

    public static string Time(DateTime time) => TextTime.Format(time);

    public static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture,
        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static string? ListJson(IReadOnlyList<string>? values) =>
        values is null ? null : JsonSerializer.Serialize(values, StorageJson.Default.IReadOnlyListString);

    public static IReadOnlyList<string>? ParseList(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, StorageJson.Default.IReadOnlyListString);

    public static WebhookFilter Filter(string? objects, string? operations, string? fields) => new(ParseList(objects), ParseList(operations), ParseList(fields));

    /// <summary>A row of <see cref="WebhookColumns"/>, of the tenant the statement selected.</summary>
    public static Webhook ReadWebhook(SqlDialect d, DbDataReader reader, TenantId tenant) => new(reader.GetString(0), tenant, reader.GetString(1),
        Filter(d.ReadNullableText(reader, 2), d.ReadNullableText(reader, 3), d.ReadNullableText(reader, 4)),
        (bool)d.Read(reader, 5, StorageKind.Boolean)!, d.ReadTime(reader, 6));

    /// <summary>A row of <see cref="DeliveryColumns"/>.</summary>
    public static WebhookDelivery ReadDelivery(SqlDialect d, DbDataReader reader) => new(reader.GetString(0), reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetInt64(2), d.ReadNullableText(reader, 3), d.ReadNullableText(reader, 4),
        reader.GetString(5), reader.GetString(6), Int(reader, 7)!.Value, d.ReadTime(reader, 8), d.ReadTime(reader, 9),
        d.ReadNullableTime(reader, 10), Int(reader, 11), reader.IsDBNull(12) ? null : reader.GetDouble(12),
        d.ReadNullableText(reader, 13), d.ReadNullableTime(reader, 14));

    // integer on PostgreSQL, INTEGER (64-bit) on SQLite.
    static int? Int(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
