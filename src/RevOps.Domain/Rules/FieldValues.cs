using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Rules;

/// <summary>
/// Turns a JSON value a caller sent into the typed value a field holds, or an error that names
/// the field, the value that arrived and what to send instead.
/// </summary>
public static class FieldValues
{
    static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz00", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
    ];

    public static CrmResult<object?> Parse(ObjectMetadata obj, FieldMetadata field, JsonElement json)
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return CrmResult<object?>.Ok(null);
        string where = $"{obj.Name}.{field.Name}";
        return field.Storage switch
        {
            StorageKind.Text => ParseText(obj, field, json, where),
            StorageKind.Integer => ParseInteger(field, json, where),
            StorageKind.Real => ParseReal(field, json, where),
            StorageKind.Boolean => ParseBoolean(field, json, where),
            StorageKind.Date => ParseDate(field, json, where),
            StorageKind.DateTime => ParseDateTime(field, json, where),
            _ => throw new InvalidOperationException($"Unknown storage kind {field.Storage}."),
        };
    }

    static CrmResult<object?> ParseText(ObjectMetadata obj, FieldMetadata field, JsonElement json, string where)
    {
        if (json.ValueKind != JsonValueKind.String)
            return WrongType(field, where, json, "a string", "\"text\"");
        string text = json.GetString()!;
        // PostgreSQL's text cannot hold U+0000 at all; refusing it here keeps both backends alike.
        if (text.Contains('\0'))
            return new CrmError(ErrorCodes.InvalidFieldValue, $"{where} contains the NUL character (U+0000), which text cannot hold. Remove it and send the text again.", field.Name);
        switch (field.Type)
        {
            case FieldType.Reference:
                return ParseReference(field, text, where);
            case FieldType.Picklist:
                return ParsePicklist(field, text, where);
            case FieldType.Email:
                text = text.Trim();
                if (text.Length == 0) return CrmResult<object?>.Ok(null);
                if (!LooksLikeEmail(text))
                    return new CrmError(ErrorCodes.InvalidFieldValue, $"{where}: '{text}' is not a valid email address. Send it as name@example.com.", field.Name);
                break;
            case FieldType.Phone:
                text = text.Trim();
                if (text.Length == 0) return CrmResult<object?>.Ok(null);
                if (!LooksLikePhone(text))
                    return new CrmError(ErrorCodes.InvalidFieldValue, $"{where}: '{Truncate(text)}' is not a phone number. Send digits with optional +, spaces, dashes, dots, parentheses or an extension, e.g. +1 415-555-0100 x12.", field.Name);
                break;
            case FieldType.Url:
                text = text.Trim();
                if (text.Length == 0) return CrmResult<object?>.Ok(null);
                if (!LooksLikeUrl(text))
                    return new CrmError(ErrorCodes.InvalidFieldValue, $"{where}: '{Truncate(text)}' is not a web address. Send e.g. https://www.example.com or www.example.com.", field.Name);
                break;
            case FieldType.MultiPicklist:
                return ParseMultiPicklist(field, text, where);
        }
        if (field.Length > 0 && text.Length > field.Length)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"{where} holds at most {field.Length} characters; {text.Length} were sent ('{Truncate(text)}'). Shorten the value.", field.Name);
        return CrmResult<object?>.Ok(text);
    }

    static CrmResult<object?> ParseReference(FieldMetadata field, string text, string where)
    {
        if (text.Length == 0) return CrmResult<object?>.Ok(null);
        string expected = string.Join(" or ", field.ReferenceTo);
        if (!SalesforceId.TryNormalize(text, out var id))
            return new CrmError(ErrorCodes.MalformedId, $"{where}: '{text}' is not a valid record Id.{SalesforceId.ChecksumProblem(text)} Send the 15- or 18-character Id of the {expected}.", field.Name);
        // A custom reference may point to a custom object, whose key prefix only the tenant's schema knows: checked with the record's references.
        if (field.Custom) return CrmResult<object?>.Ok(id);
        var target = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(id));
        if (target is null || !field.ReferenceTo.Contains(target.Name))
        {
            string actual = target is null ? "an unknown object" : Suggestions.WithArticle(target.Name);
            return new CrmError(ErrorCodes.InvalidCrossReference, $"{where} must point to {expected}; '{text}' is the Id of {actual}. Send the Id of {ExpectedIds(field)}.", field.Name);
        }
        return CrmResult<object?>.Ok(id);
    }

    /// <summary>"an Account (001…)" or "a Contact (003…) or a Lead (00Q…)".</summary>
    static string ExpectedIds(FieldMetadata field) =>
        string.Join(" or ", field.ReferenceTo.Select(name => StandardObjects.TryGet(name, out var o) ? $"{Suggestions.WithArticle(o.Name)} ({o.KeyPrefix}…)" : name));

    static CrmResult<object?> ParsePicklist(FieldMetadata field, string text, string where)
    {
        if (text.Length == 0) return CrmResult<object?>.Ok(null);
        foreach (var allowed in field.PicklistValues)
            if (string.Equals(allowed, text.Trim(), StringComparison.OrdinalIgnoreCase))
                return CrmResult<object?>.Ok(allowed);
        if (!field.RestrictedPicklist) return CrmResult<object?>.Ok(text);
        return new CrmError(ErrorCodes.InvalidPicklistValue,
            $"{where}: '{Truncate(text)}' is not an allowed value. Send one of: {string.Join(", ", field.PicklistValues)}.", field.Name);
    }

    /// <summary>Several picklist values joined with ';' as Salesforce stores them; each must be allowed, order follows the definition.</summary>
    static CrmResult<object?> ParseMultiPicklist(FieldMetadata field, string text, string where)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = field.PicklistValues.FirstOrDefault(v => string.Equals(v, part, StringComparison.OrdinalIgnoreCase));
            if (match is null)
                return new CrmError(ErrorCodes.InvalidPicklistValue,
                    $"{where}: '{Truncate(part)}' is not an allowed value. Send values from: {string.Join(", ", field.PicklistValues)}, separated by ';' (e.g. \"{string.Join(";", field.PicklistValues.Take(2))}\").", field.Name);
            chosen.Add(match);
        }
        if (chosen.Count == 0) return CrmResult<object?>.Ok(null);
        return CrmResult<object?>.Ok(string.Join(';', field.PicklistValues.Where(chosen.Contains)));
    }

    static CrmResult<object?> ParseInteger(FieldMetadata field, JsonElement json, string where)
    {
        if (!(json.ValueKind == JsonValueKind.Number && json.TryGetInt64(out long l))
            && !(json.ValueKind == JsonValueKind.String && long.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out l)))
            return WrongType(field, where, json, "a whole number", "250");
        if (field.Precision > 0 && Math.Abs((decimal)l) >= Pow10(field.Precision))
            return new CrmError(ErrorCodes.InvalidFieldValue, $"{where} holds at most {field.Precision} digits; {l} was sent. Send e.g. {Pow10(field.Precision) - 1}.", field.Name);
        return CrmResult<object?>.Ok(l);
    }

    static decimal Pow10(int digits)
    {
        decimal value = 1;
        for (int i = 0; i < digits && i < 28; i++) value *= 10;
        return value;
    }

    static CrmResult<object?> ParseReal(FieldMetadata field, JsonElement json, string where)
    {
        double value;
        if (json.ValueKind == JsonValueKind.Number) value = json.GetDouble();
        else if (json.ValueKind != JsonValueKind.String || !double.TryParse(json.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return WrongType(field, where, json, "a number", "125000.50");
        if (!double.IsFinite(value)) return WrongType(field, where, json, "a finite number", "125000.50");
        // What arrived, as it arrived: a double may not hold all of a long number's digits.
        string sent = json.ValueKind == JsonValueKind.Number ? json.GetRawText() : value.ToString(CultureInfo.InvariantCulture);
        if (field.Type == FieldType.Percent && value is < 0 or > 100)
            return new CrmError(ErrorCodes.InvalidFieldValue, $"{where} is a percentage from 0 to 100; {sent} was sent. Send e.g. 40.", field.Name);
        // Salesforce rounds to the field's scale and refuses more integer digits than it has room for.
        if (field.Precision > 0)
        {
            value = Math.Round(value, Math.Min(field.Scale, 15), MidpointRounding.AwayFromZero);
            int integerDigits = field.Precision - field.Scale;
            if (Math.Abs(value) >= (double)Pow10(integerDigits))
                return new CrmError(ErrorCodes.InvalidFieldValue,
                    $"{where} holds at most {integerDigits} digits before the decimal point ({field.Precision} in all, {field.Scale} after it); {sent} was sent. Send e.g. {Pow10(integerDigits) - 1}.", field.Name);
        }
        return CrmResult<object?>.Ok(value);
    }

    static CrmResult<object?> ParseBoolean(FieldMetadata field, JsonElement json, string where) => json.ValueKind switch
    {
        JsonValueKind.True => CrmResult<object?>.Ok(true),
        JsonValueKind.False => CrmResult<object?>.Ok(false),
        JsonValueKind.String when bool.TryParse(json.GetString(), out bool b) => CrmResult<object?>.Ok(b),
        _ => WrongType(field, where, json, "true or false", "true"),
    };

    static CrmResult<object?> ParseDate(FieldMetadata field, JsonElement json, string where)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            string text = json.GetString()!.Trim();
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return CrmResult<object?>.Ok(date);
            if (TryParseDateTime(text, out var time)) return CrmResult<object?>.Ok(DateOnly.FromDateTime(time));
        }
        return WrongType(field, where, json, "a date as YYYY-MM-DD", "\"2026-12-31\"");
    }

    static CrmResult<object?> ParseDateTime(FieldMetadata field, JsonElement json, string where)
    {
        if (json.ValueKind == JsonValueKind.String && TryParseDateTime(json.GetString()!.Trim(), out var time))
            return CrmResult<object?>.Ok(time);
        return WrongType(field, where, json, "an ISO 8601 date and time", "\"2026-12-31T15:00:00Z\"");
    }

    /// <summary>ISO 8601 with Z, ±hh:mm or ±hhmm, with or without fractions; no offset means UTC.</summary>
    public static bool TryParseDateTime(string text, out DateTime utc)
    {
        utc = default;
        if (DateTimeOffset.TryParseExact(text, DateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            utc = TruncateToMillis(parsed.UtcDateTime);
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            utc = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return true;
        }
        return false;
    }

    /// <summary>Storage and output keep milliseconds, as Salesforce does.</summary>
    public static DateTime TruncateToMillis(DateTime time) =>
        new(time.Ticks - time.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    static bool LooksLikeEmail(string text)
    {
        int at = text.IndexOf('@');
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1
            && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.') && !text.Any(char.IsWhiteSpace);
    }

    static bool LooksLikePhone(string text)
    {
        int digits = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is not (' ' or '+' or '-' or '(' or ')' or '.' or '/' or '#') && !char.IsAsciiLetter(c)) return false;
        }
        return digits >= 3 && text.Count(char.IsAsciiLetter) <= 4;
    }

    static bool LooksLikeUrl(string text)
    {
        if (text.Any(char.IsWhiteSpace)) return false;
        string candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https" or "ftp"
            && (uri.Host.Contains('.', StringComparison.Ordinal) || uri.IsLoopback);
    }

    static CrmError WrongType(FieldMetadata field, string where, JsonElement json, string expected, string example) =>
        new(ErrorCodes.InvalidType, $"{where} must be {expected}; got {Describe(json)}. Send e.g. {example}.", field.Name);

    static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(json.GetString()!)}\"",
        JsonValueKind.Number => $"the number {json.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {json.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => json.ValueKind.ToString().ToLowerInvariant(),
    };

    static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
