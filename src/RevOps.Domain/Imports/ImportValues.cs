using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;

namespace RevOps.Domain.Imports;

/// <summary>
/// How ambiguous dates and numbers of a file are read. Without a culture: dots in a date mean day first
/// (31.12.2026), slashes mean month first (12/31/2026, as Data Loader) unless the first part is above 12;
/// in a number the last of '.' and ',' is the decimal point when both occur, and a single ',' before exactly
/// three digits groups thousands (1,234).
/// </summary>
/// <param name="DateFormat">A .NET date pattern the file's dates have (e.g. dd/MM/yyyy); ISO dates are read too.</param>
/// <param name="Culture">The file's culture, settling day/month order and the decimal separator.</param>
public sealed record ImportFormat(string? DateFormat = null, ImportCulture? Culture = null)
{
    public static ImportFormat Default { get; } = new();
}

/// <summary>
/// What a culture name says about a file: whether dates put the day first and numbers use a decimal comma.
/// A table of its own, because the server runs with invariant globalization (no culture data on board).
/// </summary>
public sealed record ImportCulture(string Name, bool DayFirst, char DecimalSeparator)
{
    static readonly HashSet<string> DecimalComma = new(StringComparer.OrdinalIgnoreCase)
        { "de", "fr", "es", "it", "nl", "pt", "da", "sv", "nb", "nn", "no", "fi", "pl", "cs", "sk", "hu", "ru", "uk", "tr", "el", "ro", "bg", "hr", "sl", "sr", "lt", "lv", "et", "id", "vi" };
    static readonly HashSet<string> MonthFirst = new(StringComparer.OrdinalIgnoreCase) { "en-US", "en-PH", "es-US", "en" };
    static readonly HashSet<string> DecimalPointRegions = new(StringComparer.OrdinalIgnoreCase) { "de-CH", "fr-CH", "it-CH", "de-LI", "es-MX", "es-US" };

    /// <summary>A language (de) or language-region (de-DE, en-GB) name; null when it is not one.</summary>
    public static ImportCulture? Parse(string name)
    {
        var parts = name.Trim().Split('-', '_');
        if (parts.Length is < 1 or > 2 || parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter) || parts.Length == 2 && (parts[1].Length != 2 || !parts[1].All(char.IsAsciiLetter)))
            return null;
        string normalized = parts.Length == 2 ? $"{parts[0].ToLowerInvariant()}-{parts[1].ToUpperInvariant()}" : parts[0].ToLowerInvariant();
        bool comma = DecimalComma.Contains(parts[0]) && !DecimalPointRegions.Contains(normalized);
        return new ImportCulture(normalized, !MonthFirst.Contains(normalized), comma ? ',' : '.');
    }
}

/// <summary>
/// Text from a CSV cell turned into the JSON value a create or update takes: numbers, booleans, dates and
/// date-times in ISO and the common locale forms become typed JSON; everything else stays a string, checked
/// (picklists, references, emails, lengths) by the same field rules as every other channel.
/// </summary>
public static class ImportValues
{
    static readonly string[] DateTimeTails = ["HH:mm:ss", "HH:mm", "H:mm", "H:mm:ss", "h:mm tt", "h:mm:ss tt", "hh:mm tt", "hh:mm:ss tt"];

    /// <summary>The JSON for one cell; null when the cell is empty (no value: the field is left out).</summary>
    public static CrmResult<JsonElement?> Convert(FieldMetadata field, string text, ImportFormat format)
    {
        text = text.Trim();
        if (text.Length == 0) return CrmResult<JsonElement?>.Ok(null);
        return field.Type switch
        {
            FieldType.Int => Number(field, text, format, integral: true),
            FieldType.Double or FieldType.Currency or FieldType.Percent => Number(field, text, format, integral: false),
            FieldType.Boolean => Boolean(field, text),
            FieldType.Date => TryDate(text, format, out var date)
                ? Json(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                : Wrong(field, text, "a date such as 2026-12-31, 12/31/2026 or 31.12.2026 (settle day/month order with --date-format or --culture)"),
            FieldType.DateTime => TryDateTime(text, format, out var time)
                ? Json(time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
                : Wrong(field, text, "a date and time such as 2026-12-31T15:00:00Z or 12/31/2026 3:00 PM (read as UTC)"),
            _ => Json(text),
        };
    }

    static CrmResult<JsonElement?> Json(string text) => CrmResult<JsonElement?>.Ok(JsonSerializer.SerializeToElement(text, DomainJson.Default.String));

    static CrmResult<JsonElement?> Wrong(FieldMetadata field, string text, string expected) =>
        CrmError.InvalidValue(field.Name, $"{field.Name}: '{Clip(text)}' is not {expected}.");

    static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;

    static CrmResult<JsonElement?> Boolean(FieldMetadata field, string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "y" or "x" => Literal("true"),
        "false" or "0" or "no" or "n" => Literal("false"),
        _ => Wrong(field, text, "true or false (also 1/0, yes/no)"),
    };

    static CrmResult<JsonElement?> Number(FieldMetadata field, string text, ImportFormat format, bool integral)
    {
        if (!TryNumber(text, format.Culture, out var value)) return Wrong(field, text, "a number such as 1234.56, 1,234.56 or 1.234,56 (settle separators with --culture)");
        if (integral && value != decimal.Truncate(value)) return Wrong(field, text, "a whole number");
        return Literal(value.ToString(CultureInfo.InvariantCulture));
    }

    static CrmResult<JsonElement?> Literal(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CrmResult<JsonElement?>.Ok(document.RootElement.Clone());
    }

    /// <summary>A number with its currency symbol, percent sign and thousands separators (spaces, apostrophes, '.' or ',') left out.</summary>
    public static bool TryNumber(string text, ImportCulture? culture, out decimal value)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
            if (char.IsAsciiDigit(c) || c is '.' or ',' or '-' or '+' or 'E' or 'e') kept.Append(c);
            else if (c == '(' || c == ')') kept.Append(c == '(' ? '-' : ' ');
            else if (!(char.IsWhiteSpace(c) || c is '\'' or '’' or '%' || char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol)) { value = 0; return false; }
        string s = kept.ToString().Trim();
        if (culture is not null)
        {
            s = s.Replace(culture.DecimalSeparator == ',' ? "." : ",", "").Replace(culture.DecimalSeparator, '.');
            return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
        }
        int dot = s.LastIndexOf('.'), comma = s.LastIndexOf(',');
        char? point = (dot, comma) switch
        {
            (>= 0, >= 0) => dot > comma ? '.' : ',',
            (< 0, >= 0) => s.IndexOf(',') != comma || s.Length - comma - 1 == 3 ? null : ',',
            (>= 0, < 0) => s.IndexOf('.') != dot ? null : '.',
            _ => null,
        };
        char group = point == ',' ? '.' : ',';
        if (point is null && dot >= 0) group = '.';
        s = s.Replace(group.ToString(), "");
        if (point == ',') s = s.Replace(',', '.');
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryDate(string text, ImportFormat format, out DateOnly date)
    {
        if (format.DateFormat is { } pattern && DateOnly.TryParseExact(text, pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return true;
        if (FieldValues.TryParseDateTime(text, out var iso) && text.Contains('T'))
        {
            date = DateOnly.FromDateTime(iso);
            return true;
        }
        // A pattern given settles the order: a date it does not read is wrong, not guessed at.
        if (format.DateFormat is not null) return false;
        var parts = text.Split('/', '.', '-');
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))) return false;
        int a = int.Parse(parts[0], CultureInfo.InvariantCulture), b = int.Parse(parts[1], CultureInfo.InvariantCulture), c = int.Parse(parts[2], CultureInfo.InvariantCulture);
        if (parts[0].Length == 4) return Make(a, b, c, out date);
        if (parts[2].Length == 2) c += 2000;
        else if (parts[2].Length != 4) return false;
        bool dayFirst = text.Contains('.') || a > 12 || (format.Culture?.DayFirst ?? false) && b <= 12;
        return dayFirst ? Make(c, b, a, out date) : Make(c, a, b, out date);
    }

    static bool Make(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>ISO 8601 (with or without an offset), or a date as <see cref="TryDate"/> reads it followed by a time; without an offset, UTC.</summary>
    public static bool TryDateTime(string text, ImportFormat format, out DateTime utc)
    {
        if (FieldValues.TryParseDateTime(text, out utc)) return true;
        int space = text.IndexOf(' ');
        string datePart = space < 0 ? text : text[..space], timePart = space < 0 ? "" : text[(space + 1)..].Trim();
        if (!TryDate(datePart, format, out var date)) return false;
        if (timePart.Length == 0)
        {
            utc = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return true;
        }
        if (!DateTime.TryParseExact(timePart, DateTimeTails, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return false;
        utc = DateTime.SpecifyKind(date.ToDateTime(TimeOnly.FromDateTime(time)), DateTimeKind.Utc);
        return true;
    }
}
