using System.Globalization;
using RevOps.Domain.Metadata;
using RevOps.Server.Json;

namespace RevOps.Server.Mcp.Framework;

/// <summary>
/// A realistic example value for each standard field, so every tool parameter shows an agent what
/// to send; fields without one of their own get one for their type.
/// </summary>
public static class FieldExamples
{
    static readonly Dictionary<string, string> ByName = new(StringComparer.Ordinal)
    {
        ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["Salutation"] = "Ms.", ["Title"] = "VP of Sales", ["Department"] = "Finance",
        ["Company"] = "Acme Corp", ["Email"] = "ada@acme.com", ["Phone"] = "+1 415 555 0100", ["MobilePhone"] = "+1 415 555 0199", ["Fax"] = "+1 415 555 0101",
        ["Website"] = "https://acme.com", ["AccountNumber"] = "CD-4821", ["NumberOfEmployees"] = "250", ["AnnualRevenue"] = "12000000",
        ["Street"] = "1 Market St", ["City"] = "San Francisco", ["State"] = "CA", ["PostalCode"] = "94105", ["Country"] = "USA",
        ["Subject"] = "Call Ada about the renewal", ["NextStep"] = "Send the proposal by Friday", ["Location"] = "Zoom",
        ["Amount"] = "48000", ["Probability"] = "60", ["Birthdate"] = "1990-12-10", ["CloseDate"] = "2026-12-31", ["ActivityDate"] = "2026-12-04",
        ["StartDateTime"] = "2026-12-04T15:00:00Z", ["EndDateTime"] = "2026-12-04T15:30:00Z", ["Description"] = "Met at the summit; wants a demo in Q1",
        ["Site"] = "Headquarters", ["TickerSymbol"] = "ACME", ["Sic"] = "7372", ["Industry"] = "Technology",
    };

    static readonly Dictionary<(string Object, string Field), string> ByObjectField = new()
    {
        [("Account", "Name")] = "Acme Corp",
        [("Opportunity", "Name")] = "Acme - 500 seats",
        [("Account", "Type")] = "Customer - Direct",
    };

    /// <summary>The example, or null for free text we cannot guess (a tenant's custom text field).</summary>
    public static string? For(ObjectMetadata obj, FieldMetadata field)
    {
        if (ByObjectField.TryGetValue((obj.Name, field.Name), out var specific)) return specific;
        string name = field.Name;
        foreach (string part in new[] { "Mailing", "Billing", "Shipping", "Other" })
            if (name.StartsWith(part, StringComparison.Ordinal) && name.Length > part.Length) name = name[part.Length..];
        if (ByName.TryGetValue(name, out var example)) return example;
        return field.Type switch
        {
            FieldType.Picklist or FieldType.MultiPicklist when field.PicklistValues.Count > 0 => field.PicklistValues[0],
            FieldType.Email => "ada@acme.com",
            FieldType.Phone => "+1 415 555 0100",
            FieldType.Url => "https://acme.com",
            FieldType.Date => "2026-12-31",
            FieldType.DateTime => "2026-12-31T15:00:00Z",
            FieldType.Boolean => "true",
            FieldType.Percent => "25",
            FieldType.Currency or FieldType.Double or FieldType.Int => field.Scale > 0 ? (1234.5m).ToString("F" + field.Scale, CultureInfo.InvariantCulture) : "1200",
            _ => null,
        };
    }

    /// <summary>
    /// One example call as compact JSON: the first fields of <paramref name="names"/> that have an
    /// example (required ones first), at most four, so a create tool shows an agent one whole call.
    /// </summary>
    public static string Arguments(ObjectMetadata obj, IEnumerable<string> names, bool withId = false)
    {
        var parts = new List<string>();
        if (withId) parts.Add($"\"Id\":\"{obj.KeyPrefix}…\"");
        foreach (string name in names.Distinct(StringComparer.Ordinal))
        {
            if (parts.Count == (withId ? 2 : 4)) break;
            var field = obj.Field(name);
            string? value = field.Type == FieldType.Reference ? $"{PrefixOf(field.ReferenceTo[0])}…" : For(obj, field);
            if (value is null) continue;
            bool quoted = field.Type == FieldType.Reference || FieldTypes.JsonTypeOf(field.Type) == "string";
            parts.Add(quoted ? $"\"{name}\":\"{value}\"" : $"\"{name}\":{value}");
        }
        return "{" + string.Join(",", parts) + "}";
    }

    /// <summary>The Id prefix of an object a reference points at (001 for Account…), "?" for one the registry does not know.</summary>
    public static string PrefixOf(string objectName) => StandardObjects.TryGet(objectName, out var o) ? o.KeyPrefix : "?";
}
