using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Imports;

namespace RevOps.Server.Console;

/// <summary>
/// The import options of the upload form, as <c>revops import</c> has them (--upsert-on, --create-missing-parents, --culture,
/// --date-format): read from a form, checked, carried through the mapping form as hidden fields, and part of the job's key
/// (the same file imported with other options is another import).
/// </summary>
public sealed record ImportChoices(string UpsertOn, bool CreateMissingParents, string Culture, string DateFormat)
{
    public static ImportChoices From(IFormCollection form) =>
        new(Text(form["upsert_on"]), form["create_missing_parents"] == "true", Text(form["culture"]), Text(form["date_format"]));

    /// <summary>The Id column is the upsert key, not a system value to leave out.</summary>
    public bool KeepsId => string.Equals(UpsertOn, "Id", StringComparison.OrdinalIgnoreCase);

    public CrmResult<ImportOptions> Options()
    {
        ImportCulture? culture = null;
        if (Culture.Length > 0 && (culture = ImportCulture.Parse(Culture)) is null)
            return new CrmError(ErrorCodes.InvalidArgument, $"Culture '{Clip(Culture)}' is not a culture name; use one such as en-US, en-GB, de-DE or fr-FR, or leave it empty.", "culture");
        if (DateFormat.Length > 0 && !ReadsBack(DateFormat))
            return new CrmError(ErrorCodes.InvalidArgument, $"Date format '{Clip(DateFormat)}' does not read a date back; use a pattern such as dd.MM.yyyy or MM/dd/yyyy, or leave it empty.", "date_format");
        if (UpsertOn.Length > 0 && (UpsertOn.Length > 80 || !UpsertOn.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
            return new CrmError(ErrorCodes.InvalidField, $"Upsert on '{Clip(UpsertOn)}' is not a field name; use Id or an External ID field, or leave it empty to create a record per row.", "upsert_on");
        return new ImportOptions(new ImportFormat(DateFormat.Length > 0 ? DateFormat : null, culture), UpsertOn.Length > 0 ? UpsertOn : null, null, CreateMissingParents);
    }

    /// <summary>Part of the job's key, as the CLI's options string is.</summary>
    public string Key => $";upsert-on={UpsertOn.ToLowerInvariant()};create-missing-parents={CreateMissingParents};culture={Culture};date-format={DateFormat}";

    /// <summary>The options as hidden fields of the mapping form, and a sentence saying what they are.</summary>
    public void Write(Html html)
    {
        html.Raw($"<input type=\"hidden\" name=\"upsert_on\" value=\"{Html.Attr(UpsertOn)}\"><input type=\"hidden\" name=\"culture\" value=\"{Html.Attr(Culture)}\">")
            .Raw($"<input type=\"hidden\" name=\"date_format\" value=\"{Html.Attr(DateFormat)}\">");
        if (CreateMissingParents) html.Raw("<input type=\"hidden\" name=\"create_missing_parents\" value=\"true\">");
        var said = new List<string>();
        if (UpsertOn.Length > 0) said.Add($"rows whose {UpsertOn} a record holds update it, the others create one");
        if (CreateMissingParents) said.Add("parents named by Name that do not exist are created");
        if (Culture.Length > 0) said.Add($"dates and numbers are read as {Culture} writes them");
        if (DateFormat.Length > 0) said.Add($"dates are read as {DateFormat}");
        if (said.Count > 0) html.Raw("<p id=\"import-options\">").Text("Options: " + string.Join("; ", said) + ".").Raw("</p>");
    }

    static bool ReadsBack(string pattern)
    {
        if (pattern.Length > 40) return false;
        try
        {
            var day = new DateOnly(2026, 12, 31);
            return DateOnly.TryParseExact(day.ToString(pattern, CultureInfo.InvariantCulture), pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var back) && back == day;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    static string Text(string? value) => value?.Trim() ?? "";

    static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
