using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RevOps.Domain.Records;

namespace RevOps.Domain.Automation;

/// <summary>
/// {!Field}, {!Parent.Field} and {!TODAY}, {!TODAY+3}, {!TODAY-1} in action values. A value that is one
/// merge field and nothing else keeps the field's type (a number stays a number); inside text each is
/// written as text.
/// </summary>
public static partial class MergeFields
{
    [GeneratedRegex(@"\{!\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){0,4})\s*(?:([+-])\s*(\d{1,4}))?\s*\}")]
    private static partial Regex Token();

    public static bool IsToday(string path) => string.Equals(path, "TODAY", StringComparison.OrdinalIgnoreCase);

    /// <summary>The record paths a value reads (TODAY is not one).</summary>
    public static IEnumerable<string> PathsIn(JsonElement value) =>
        value.ValueKind != JsonValueKind.String ? [] :
        Token().Matches(value.GetString()!).Select(m => m.Groups[1].Value).Where(p => !IsToday(p));

    /// <summary>Every merge field in a value that is not well formed: an offset on anything but TODAY.</summary>
    public static string? Problem(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        string text = value.GetString()!;
        foreach (Match m in Token().Matches(text))
            if (m.Groups[2].Success && !IsToday(m.Groups[1].Value))
                return $"'{m.Value}': only TODAY takes a day offset, as in {{!TODAY+3}}.";
        int open = text.IndexOf("{!", StringComparison.Ordinal);
        if (open >= 0 && Token().Matches(text).Count == 0)
            return $"'{Cut(text[open..])}' is not a merge field; write {{!Field}}, {{!Account.Name}} or {{!TODAY+3}}.";
        return null;
    }

    /// <summary>The value with its merge fields replaced by the record's values (<paramref name="values"/> by path, any case).</summary>
    public static JsonElement Render(JsonElement value, IReadOnlyDictionary<string, object?> values, DateOnly today)
    {
        if (value.ValueKind != JsonValueKind.String) return value;
        string text = value.GetString()!;
        var matches = Token().Matches(text);
        if (matches.Count == 0) return value;
        if (matches.Count == 1 && matches[0].Value.Length == text.Length)
            return ToJson(Resolve(matches[0], values, today));
        string rendered = Token().Replace(text, m => Format(Resolve(m, values, today)));
        return JsonSerializer.SerializeToElement(rendered, DomainJson.Default.String);
    }

    static object? Resolve(Match m, IReadOnlyDictionary<string, object?> values, DateOnly today)
    {
        string path = m.Groups[1].Value;
        if (IsToday(path))
        {
            int days = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
            return today.AddDays(m.Groups[2].Value == "-" ? -days : days);
        }
        return values.TryGetValue(path, out var v) ? v : null;
    }

    static JsonElement ToJson(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) ValueJson.Write(writer, value switch { decimal m => (double)m, int i => (long)i, _ => value });
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    static string Format(object? value) => ToJson(value) is { ValueKind: JsonValueKind.String } s ? s.GetString()! :
        value is null ? "" : ToJson(value).GetRawText();

    static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
