using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;

namespace RevOps.Server.Mcp.Framework;

/// <summary>A tool call's arguments, read with errors that name the argument and say what to send.</summary>
public sealed class ToolArguments(string tool, IDictionary<string, JsonElement>? values)
{
    public const string CustomFields = "custom_fields";
    readonly IDictionary<string, JsonElement> _values = values ?? new Dictionary<string, JsonElement>();

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    /// <summary>
    /// An error for the first argument the tool does not take. Custom __c fields pass when allowed, and
    /// so does any field of <paramref name="fieldsOf"/>: a write tool's schema lists the fields agents
    /// use most, and the rest of the object's fields are still theirs to send (the write validates them).
    /// </summary>
    public CrmError? RejectUnknown(IReadOnlyCollection<string> allowed, bool allowCustomFields = false, Domain.Metadata.ObjectMetadata? fieldsOf = null)
    {
        foreach (var name in _values.Keys)
        {
            if (allowed.Contains(name)) continue;
            if (allowCustomFields && name.EndsWith("__c", StringComparison.OrdinalIgnoreCase)) continue;
            if (fieldsOf is not null && fieldsOf.TryGetField(name, out _)) continue;
            string? guess = Suggestions.Closest(name, allowed);
            string hint = guess is null ? $"It takes: {string.Join(", ", allowed)}." : $"Did you mean '{guess}'?";
            return new CrmError(ErrorCodes.InvalidArgument, $"{tool} has no argument '{name}'. {hint}", name);
        }
        return null;
    }

    public CrmResult<string?> String(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return CrmResult<string?>.Ok(null);
        if (value.ValueKind != JsonValueKind.String)
            return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be a string; got {value.ValueKind.ToString().ToLowerInvariant()} {Json.JsonText.Canonical(value)}.", name);
        return value.GetString();
    }

    /// <summary>A list of strings: a JSON array of strings, or one string (commas separate several).</summary>
    public CrmResult<IReadOnlyList<string>?> Strings(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return CrmResult<IReadOnlyList<string>?>.Ok(null);
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
        return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be an array of strings such as [\"Contact\", \"Lead\"]; got {Json.JsonText.Canonical(value)}.", name);
    }

    public CrmResult<int> Int(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return fallback;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i)) return i;
        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out i)) return i;
        return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be a whole number; got {Json.JsonText.Canonical(value)}.", name);
    }

    public CrmResult<double?> Number(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return CrmResult<double?>.Ok(null);
        // NaN and the infinities parse as doubles but compare with nothing; they are not numbers a filter can use.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double n) && double.IsFinite(n)) return n;
        if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d)
            && double.IsFinite(d))
            return d;
        return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be a number; got {Json.JsonText.Canonical(value)}.", name);
    }

    public CrmResult<bool> Bool(string name, bool fallback = false)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return fallback;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        if (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out bool b)) return b;
        return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be true or false; got {Json.JsonText.Canonical(value)}.", name);
    }

    /// <summary>A list of strings, also accepted as one comma-separated string.</summary>
    public CrmResult<IReadOnlyList<string>?> StringList(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return CrmResult<IReadOnlyList<string>?>.Ok(null);
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return value.EnumerateArray().Select(e => e.GetString()!.Trim()).Where(e => e.Length > 0).ToArray();
        return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be an array of strings, e.g. [\"Name\", \"Email\"]; got {Json.JsonText.Canonical(value)}.", name);
    }

    /// <summary>A JSON object argument (null when absent).</summary>
    public CrmResult<JsonElement?> Object(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return CrmResult<JsonElement?>.Ok(null);
        if (value.ValueKind != JsonValueKind.Object)
            return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be an object such as {{\"Name\": \"Acme\"}}; got {Json.JsonText.Canonical(value)}.", name);
        return value;
    }

    /// <summary>A JSON array argument's elements (null when absent).</summary>
    public CrmResult<IReadOnlyList<JsonElement>?> Array(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return CrmResult<IReadOnlyList<JsonElement>?>.Ok(null);
        if (value.ValueKind != JsonValueKind.Array)
            return new CrmError(ErrorCodes.InvalidType, $"{tool}: '{name}' must be an array; got {value.ValueKind.ToString().ToLowerInvariant()} {Shortened(Json.JsonText.Canonical(value))}.", name);
        return value.EnumerateArray().ToArray();
    }

    static string Shortened(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>Every argument, for fingerprints of a request.</summary>
    public IEnumerable<KeyValuePair<string, JsonElement>> All => _values;

    /// <summary>
    /// The record fields among the arguments: every argument except <paramref name="exclude"/>,
    /// with the seed's free-form custom_fields object flattened into its __c fields.
    /// </summary>
    public CrmResult<RecordInput> RecordFields(params string[] exclude)
    {
        var fields = new List<KeyValuePair<string, JsonElement>>();
        foreach (var (name, value) in _values)
        {
            if (exclude.Contains(name)) continue;
            if (name == CustomFields)
            {
                if (value.ValueKind == JsonValueKind.Null) continue;
                if (value.ValueKind != JsonValueKind.Object)
                    return new CrmError(ErrorCodes.InvalidType, $"{tool}: custom_fields must be an object such as {{\"lead_score__c\": 85}}.", CustomFields);
                foreach (var property in value.EnumerateObject())
                {
                    if (!property.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase))
                        return new CrmError(ErrorCodes.InvalidField, $"{tool}: custom field names end in __c; send '{property.Name}__c' instead of '{property.Name}'.", property.Name);
                    fields.Add(new(property.Name, property.Value));
                }
                continue;
            }
            fields.Add(new(name, value));
        }
        return new RecordInput(fields);
    }
}
