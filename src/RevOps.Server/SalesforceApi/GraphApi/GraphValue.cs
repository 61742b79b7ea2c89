using System.Globalization;
using System.Text.Json;
using RevOps.Domain.Metadata;

namespace RevOps.Server.SalesforceApi.GraphApi;

/// <summary>A field's value as Salesforce's GraphQL API gives it: the value, and the text a person would read.</summary>
public sealed record GraphValue(object? Value, string? DisplayValue)
{
    // The server runs with invariant globalization; en-US display differs from it only in these symbols.
    static readonly CultureInfo EnUs = Culture();

    static CultureInfo Culture()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.CurrencySymbol = "$";
        culture.NumberFormat.CurrencyNegativePattern = 1;
        culture.NumberFormat.PercentPositivePattern = 1;
        culture.NumberFormat.PercentNegativePattern = 1;
        return CultureInfo.ReadOnly(culture);
    }

    /// <summary>The stored value in its GraphQL form (dates as ISO text) with its display text.</summary>
    public static GraphValue Of(FieldMetadata field, object? stored)
    {
        if (stored is JsonElement json) stored = FromJson(field, json);
        if (stored is null) return new GraphValue(null, null);
        object value = stored switch
        {
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            int i => (long)i,
            _ => stored,
        };
        string? display = field.Type switch
        {
            FieldType.Picklist or FieldType.MultiPicklist => value as string,
            FieldType.Currency when stored is double d => d.ToString("C", EnUs),
            FieldType.Percent when stored is double d => (d / 100).ToString("P", EnUs),
            FieldType.Double when stored is double d => d.ToString("N", EnUs),
            FieldType.Int when stored is long l => l.ToString("N0", EnUs),
            FieldType.Date when stored is DateOnly date => date.ToString("M/d/yyyy", EnUs),
            FieldType.DateTime when stored is DateTime time => time.ToUniversalTime().ToString("M/d/yyyy, h:mm tt", EnUs) + " UTC",
            _ => null,
        };
        return new GraphValue(value, display);
    }

    /// <summary>A custom field's stored JSON as the typed value a standard field of its type reads as.</summary>
    static object? FromJson(FieldMetadata field, JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String when field.Type == FieldType.Date && DateOnly.TryParse(json.GetString(), CultureInfo.InvariantCulture, out var date) => date,
        JsonValueKind.String when field.Type == FieldType.DateTime
            && DateTime.TryParse(json.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) => time,
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number when field.Type == FieldType.Int && json.TryGetInt64(out long whole) => whole,
        JsonValueKind.Number => json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
