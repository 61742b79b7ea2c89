using System.Globalization;

namespace RevOps.Storage.Sql;

/// <summary>
/// A time as text: UTC to the millisecond, "2026-11-25T09:43:53.123Z", which sorts in time order. SQLite
/// stores every time this way, a tenant copy (TenantCopy.TableBatch) carries times this way whatever the
/// engine, and a webhook delivery's lease is handed to the sender in it.
/// </summary>
internal static class TextTime
{
    public const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTime time) => time.ToUniversalTime().ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTime Parse(string text) =>
        DateTime.ParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
