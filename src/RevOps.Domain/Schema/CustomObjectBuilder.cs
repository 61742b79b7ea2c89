using System.Text.RegularExpressions;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;

namespace RevOps.Domain.Schema;

/// <summary>
/// Validates a <see cref="CustomObjectSpec"/> into a definition (its key prefix is the store's to assign),
/// with errors that say what to send instead; names key prefixes and child relationships.
/// </summary>
public static partial class CustomObjectBuilder
{
    public const int MaxObjectsPerTenant = 200;
    const string Base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>Words a name may not be (before __c): SOQL's own words and names the API gives a meaning.</summary>
    static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Select", "From", "Where", "And", "Or", "Not", "Null", "True", "False", "Limit", "Offset", "Order", "Group", "By", "Having",
        "Like", "In", "Includes", "Excludes", "With", "Using", "Scope", "Typeof", "When", "Then", "Else", "End", "Asc", "Desc",
        "Nulls", "First", "Last", "Rollup", "Cube", "Format", "Update", "Tracking", "Viewstat", "For", "View", "Reference",
        "Object", "SObject", "Id", "Name", "Owner", "Record", "Records", "Describe", "Query", "Search", "Composite", "Tooling",
    };

    [GeneratedRegex(@"^(?<prefix>[A-Za-z0-9 \-_/#.]{0,20})\{(?<zeros>0{1,10})\}(?<suffix>[A-Za-z0-9 \-_/#.]{0,20})$")]
    private static partial Regex AutoNumberPattern();

    public static CrmResult<CustomObjectDefinition> Build(CustomObjectSpec spec, DateTime now)
    {
        string name = (spec.Name ?? "").Trim();
        if (!CustomFieldBuilder.IsValidApiName(name))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"'{Clip(spec.Name)}' is not a valid custom object name. Use up to 40 letters, digits and single underscores, starting with a letter and ending in __c, e.g. Invoice__c.", "object");
        string stem = name[..^3];
        if (StandardObjects.All.Any(o => string.Equals(o.Name, stem, StringComparison.OrdinalIgnoreCase)))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"'{name}' would read as the standard object {stem}. Choose a name of your own, e.g. {stem}_Record__c, or add custom fields to {stem} with define_custom_field instead.", "object");
        if (Reserved.Contains(stem))
            return new CrmError(ErrorCodes.InvalidArgument, $"'{stem}' is a reserved word and cannot name an object. Choose another name, e.g. My_{stem}__c.", "object");

        var label = Text(spec.Label, stem.Replace('_', ' '), "label", 40);
        if (!label.IsOk) return label.Error;
        var plural = Text(spec.PluralLabel, label.Value + "s", "plural_label", 40);
        if (!plural.IsOk) return plural.Error;
        var nameLabel = Text(spec.NameLabel, label.Value + " Name", "name_label", 40);
        if (!nameLabel.IsOk) return nameLabel.Error;
        if (spec.Description is { Length: > 1000 } || spec.Description?.Contains('\0') == true)
            return new CrmError(ErrorCodes.InvalidArgument, "description holds at most 1000 characters and no NUL character. Shorten it.", "description");

        string? format = null;
        switch ((spec.NameFieldType ?? "Text").Trim().ToLowerInvariant())
        {
            case "text":
                if (spec.AutoNumberFormat is not null)
                    return new CrmError(ErrorCodes.InvalidArgument, "format applies to an AutoNumber name field only. Send name_field type AutoNumber, or leave format out.", "format");
                break;
            case "autonumber":
                format = spec.AutoNumberFormat?.Trim();
                if (format is null || !AutoNumberPattern().IsMatch(format))
                    return new CrmError(ErrorCodes.InvalidArgument,
                        $"An AutoNumber name needs a format with one {{0…}} group of 1 to 10 zeros and up to 20 letters, digits, spaces or - _ / # . around it, e.g. INV-{{0000}}; '{Clip(format)}' was sent.", "format");
                break;
            default:
                return new CrmError(ErrorCodes.InvalidArgument, $"name_field type '{Clip(spec.NameFieldType)}' is not Text or AutoNumber. Send one of those.", "name_field");
        }
        return new CustomObjectDefinition(name, label.Value, plural.Value, "", nameLabel.Value, format, spec.Description, now, now);
    }

    /// <summary>The n-th key prefix of a tenant, from 0: a00 … a09, a0A … a0Z, a10 ….</summary>
    public static string KeyPrefix(int sequence) =>
        sequence is < 0 or >= 36 * 36 ? throw new ArgumentOutOfRangeException(nameof(sequence)) : $"a{Base36[sequence / 36]}{Base36[sequence % 36]}";

    /// <summary>A record name from the format and its number: INV-{0000} and 7 give INV-0007.</summary>
    public static string AutoNumber(string format, long number)
    {
        var match = AutoNumberPattern().Match(format);
        int width = match.Groups["zeros"].Length;
        return match.Groups["prefix"].Value + number.ToString(new string('0', width), System.Globalization.CultureInfo.InvariantCulture) + match.Groups["suffix"].Value;
    }

    /// <summary>The children's relationship name: a plural label as an API name (Invoice Lines → Invoice_Lines__r).</summary>
    public static string ChildRelationshipName(string pluralLabel)
    {
        var words = NonWord().Split(pluralLabel).Where(w => w.Length > 0);
        string joined = string.Join('_', words);
        if (joined.Length == 0 || !char.IsAsciiLetter(joined[0])) joined = "R" + joined;
        return (joined.Length > 37 ? joined[..37] : joined) + "__r";
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NonWord();

    static CrmResult<string> Text(string? sent, string fallback, string field, int max)
    {
        string value = string.IsNullOrWhiteSpace(sent) ? fallback : sent.Trim();
        if (value.Length > max) return new CrmError(ErrorCodes.InvalidArgument, $"{field} holds at most {max} characters; {value.Length} were sent. Shorten it.", field);
        if (value.Any(char.IsControl)) return new CrmError(ErrorCodes.InvalidArgument, $"{field} contains control characters (tabs, line breaks, NUL). Send plain text.", field);
        return value;
    }

    static string Clip(string? value) => value is null ? "" : value.Length > 60 ? value[..60] + "…" : value;
}
