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

    /// <summary>Length of every text this writes.</summary>
    const int Length = 24;

    // Every record read parses three of these and every write formats as many: done by hand, digit by digit,
    // instead of the culture-aware pattern engine; the text is the pattern's own.
    public static string Format(DateTime time)
    {
        var utc = time.ToUniversalTime();
        return string.Create(Length, utc, static (text, t) =>
        {
            Digits(text[..4], t.Year);
            text[4] = '-';
            Digits(text.Slice(5, 2), t.Month);
            text[7] = '-';
            Digits(text.Slice(8, 2), t.Day);
            text[10] = 'T';
            Digits(text.Slice(11, 2), t.Hour);
            text[13] = ':';
            Digits(text.Slice(14, 2), t.Minute);
            text[16] = ':';
            Digits(text.Slice(17, 2), t.Second);
            text[19] = '.';
            Digits(text.Slice(20, 3), t.Millisecond);
            text[23] = 'Z';
        });
    }

    public static DateTime Parse(string text) =>
        TryParseExactShape(text, out var time)
            ? time
            : DateTime.ParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>The text Format writes, read back; anything else (another shape, a date that does not exist) is left to the pattern's parser and its errors.</summary>
    static bool TryParseExactShape(string text, out DateTime time)
    {
        time = default;
        if (text.Length != Length || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z')
            return false;
        if (!Number(text, 0, 4, out int year) || !Number(text, 5, 2, out int month) || !Number(text, 8, 2, out int day)
            || !Number(text, 11, 2, out int hour) || !Number(text, 14, 2, out int minute) || !Number(text, 17, 2, out int second)
            || !Number(text, 20, 3, out int millisecond))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        time = new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);
        return true;
    }

    static bool Number(string text, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            int digit = text[i] - '0';
            if ((uint)digit > 9) return false;
            value = value * 10 + digit;
        }
        return true;
    }

    static void Digits(Span<char> into, int value)
    {
        for (int i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }
}
