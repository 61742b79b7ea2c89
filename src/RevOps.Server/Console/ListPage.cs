using System.Globalization;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;

namespace RevOps.Server.Console;

/// <summary>
/// One object's records, 25 to a page, sortable by any sortable column (custom fields included), filtered by
/// "starts with" on a text field, a from–to range on a number or date field, and a picklist or checkbox value.
/// Every filter value is parsed by the field's own rules, so a bad number or date is the domain's message.
/// </summary>
public static class ListPage
{
    const int PageSize = 25;
    const int Columns = 6;

    public sealed record Filters(string? Field, string? Value, string? Range, string? Min, string? Max, string? Pick);

    public static async Task<IResult> ShowAsync(HttpContext http, string objectName, string? sort, string? dir, string? field, string? value, string? range,
        string? min, string? max, string? pick, string? page, RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var obj = ConsoleLayout.Objects.FirstOrDefault(o => string.Equals(o.Name, objectName, StringComparison.OrdinalIgnoreCase));
        if (obj is null)
            return ConsoleLayout.Page(http, "Not found", html => html.Raw("<p class=\"error\" role=\"alert\">").Text($"There is no object '{objectName}'. Pick one in the navigation.").Raw("</p>"), StatusCodes.Status404NotFound);
        var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
        var orderBy = sort is not null && schema.TryGetField(sort, out var s) && s.Sortable ? s : obj.Field("LastModifiedDate");
        bool descending = sort is null || dir == "desc";
        var texts = schema.AllFields.Where(f => f.Type is FieldType.String or FieldType.Email or FieldType.Phone or FieldType.Picklist or FieldType.Url).ToArray();
        var ranges = schema.AllFields.Where(f => f.Storage is StorageKind.Integer or StorageKind.Real or StorageKind.Date or StorageKind.DateTime).ToArray();
        var picks = schema.AllFields.Where(f => f.Type is FieldType.Picklist or FieldType.Boolean && !f.System).ToArray();

        var conditions = new List<IReadOnlyList<Condition>>();
        var errors = new List<CrmError>();
        var textField = texts.FirstOrDefault(f => f.Name == field);
        if (textField is not null && !string.IsNullOrWhiteSpace(value)) conditions.Add([new Condition(textField, ConditionOp.StartsWith, value.Trim())]);
        var rangeField = ranges.FirstOrDefault(f => f.Name == range);
        if (rangeField is not null)
        {
            Bound(obj, rangeField, min, ConditionOp.GreaterOrEqual, conditions, errors);
            Bound(obj, rangeField, max, ConditionOp.LessOrEqual, conditions, errors);
        }
        FieldMetadata? pickField = null;
        if (!string.IsNullOrEmpty(pick) && pick.IndexOf('=') is int eq and > 0)
        {
            pickField = picks.FirstOrDefault(f => f.Name == pick[..eq]);
            if (pickField is null) errors.Add(new CrmError(ErrorCodes.InvalidArgument, $"'{pick[..eq]}' is not a picklist or checkbox of {obj.Name}; pick one in the list.", "pick"));
            else if (Parse(obj, pickField, pick[(eq + 1)..], errors) is { } picked) conditions.Add([new Condition(pickField, ConditionOp.Equals, picked)]);
        }
        int pageNumber = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : 1;
        CrmResult<Domain.Records.RecordPage>? result = null;
        if (errors.Count == 0)
            result = await records.QueryAsync(caller, obj, new RecordQuery(conditions, orderBy, descending, PageSize) { Offset = (pageNumber - 1) * PageSize }, ct);
        var shown = Shown(schema, orderBy, textField, rangeField, pickField);

        int status = errors.Count > 0 || result is { IsOk: false } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        return ConsoleLayout.Page(http, obj.Plural, html =>
        {
            WriteFilters(html, obj, texts, ranges, picks, new Filters(textField?.Name, value, rangeField?.Name, min, max, pickField is null ? null : pick));
            foreach (var error in errors) AdminGate.Error(html, error);
            if (result is not { } answer) return;
            if (!answer.IsOk) { ConsoleLayout.Error(html, answer.Error.Message); return; }
            string keep = Keep(textField, value, rangeField, min, max, pickField is null ? null : pick);
            html.Raw("<table class=\"list\"><thead><tr>");
            foreach (var column in shown)
            {
                bool sorted = column == orderBy;
                string next = sorted && !descending ? "desc" : "asc";
                string aria = sorted ? (descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : "";
                html.Raw($"<th scope=\"col\"{aria}>");
                if (column.Sortable)
                    html.Raw($"<a href=\"{ConsoleLayout.Root}/o/{obj.Name}?sort={Html.Url(column.Name)}&amp;dir={next}{Html.Attr(keep)}\">").Text(column.Label).Raw("</a>");
                else html.Text(column.Label);
                html.Raw("</th>");
            }
            html.Raw("</tr></thead><tbody>");
            foreach (var record in answer.Value.Records)
            {
                html.Raw("<tr>");
                bool first = true;
                foreach (var column in shown)
                {
                    html.Raw("<td>");
                    if (first) html.Raw($"<a href=\"{RecordPage.Link(record.Id)}\">").Text(RecordPage.Value(record, column) is { Length: > 0 } t ? t : record.Id).Raw("</a>");
                    else html.Text(RecordPage.Value(record, column));
                    html.Raw("</td>");
                    first = false;
                }
                html.Raw("</tr>");
            }
            long total = answer.Value.TotalSize;
            long pages = Math.Max(1, (total + PageSize - 1) / PageSize);
            html.Raw("</tbody></table><nav class=\"pager\" aria-label=\"Pages\">").Text($"{total} records · page {pageNumber} of {pages} ");
            string here = $"{ConsoleLayout.Root}/o/{obj.Name}?sort={Html.Url(orderBy.Name)}&dir={(descending ? "desc" : "asc")}{keep}";
            if (pageNumber > 1) html.Raw($"<a rel=\"prev\" href=\"{Html.Attr(here)}&amp;page={pageNumber - 1}\">Previous</a> ");
            if (answer.Value.HasMore) html.Raw($"<a rel=\"next\" href=\"{Html.Attr(here)}&amp;page={pageNumber + 1}\">Next</a>");
            html.Raw("</nav>");
        }, status);
    }

    static void WriteFilters(Html html, ObjectMetadata obj, IReadOnlyList<FieldMetadata> texts, IReadOnlyList<FieldMetadata> ranges, IReadOnlyList<FieldMetadata> picks, Filters current)
    {
        html.Raw($"<form class=\"filters\" method=\"get\" action=\"{ConsoleLayout.Root}/o/{obj.Name}\">")
            .Raw("<label for=\"field\">Field</label><select id=\"field\" name=\"field\">");
        foreach (var f in texts) html.Raw($"<option value=\"{Html.Attr(f.Name)}\"{(f.Name == current.Field ? " selected" : "")}>").Text(f.Label).Raw("</option>");
        html.Raw($"</select><label for=\"value\">starts with</label><input id=\"value\" name=\"value\" type=\"text\" value=\"{Html.Attr(current.Value)}\">")
            .Raw("<label for=\"range\">Range of</label><select id=\"range\" name=\"range\"><option value=\"\">(none)</option>");
        foreach (var f in ranges) html.Raw($"<option value=\"{Html.Attr(f.Name)}\"{(f.Name == current.Range ? " selected" : "")}>").Text(f.Label).Raw("</option>");
        html.Raw($"</select><label for=\"min\">from</label><input id=\"min\" name=\"min\" type=\"text\" size=\"10\" placeholder=\"number or YYYY-MM-DD\" value=\"{Html.Attr(current.Min)}\">")
            .Raw($"<label for=\"max\">to</label><input id=\"max\" name=\"max\" type=\"text\" size=\"10\" placeholder=\"number or YYYY-MM-DD\" value=\"{Html.Attr(current.Max)}\">");
        if (picks.Count > 0)
        {
            html.Raw("<label for=\"pick\">Value</label><select id=\"pick\" name=\"pick\"><option value=\"\">(any)</option>");
            foreach (var f in picks)
            {
                html.Raw($"<optgroup label=\"{Html.Attr(f.Label)}\">");
                foreach (string v in f.Type == FieldType.Boolean ? ["true", "false"] : f.PicklistValues)
                {
                    string option = f.Name + "=" + v;
                    html.Raw($"<option value=\"{Html.Attr(option)}\"{(option == current.Pick ? " selected" : "")}>").Text($"{f.Label}: {v}").Raw("</option>");
                }
                html.Raw("</optgroup>");
            }
            html.Raw("</select>");
        }
        html.Raw("<button type=\"submit\">Filter</button></form>");
    }

    static void Bound(ObjectMetadata obj, FieldMetadata field, string? text, ConditionOp op, List<IReadOnlyList<Condition>> conditions, List<CrmError> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        text = text.Trim();
        // A day alone bounds a date-time field by the whole day, as people mean "to 2026-03-31".
        if (field.Type == FieldType.DateTime && text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            text += op == ConditionOp.GreaterOrEqual ? "T00:00:00Z" : "T23:59:59.999Z";
        if (Parse(obj, field, text, errors) is { } parsed) conditions.Add([new Condition(field, op, parsed)]);
    }

    static object? Parse(ObjectMetadata obj, FieldMetadata field, string text, List<CrmError> errors)
    {
        var parsed = FieldValues.Parse(obj, field, ConsoleInput.Element(text));
        if (parsed.IsOk) return parsed.Value;
        errors.Add(parsed.Error);
        return null;
    }

    static string Keep(FieldMetadata? text, string? value, FieldMetadata? range, string? min, string? max, string? pick)
    {
        string keep = text is null || string.IsNullOrWhiteSpace(value) ? "" : $"&field={Html.Url(text.Name)}&value={Html.Url(value)}";
        if (range is not null) keep += $"&range={Html.Url(range.Name)}&min={Html.Url(min)}&max={Html.Url(max)}";
        if (pick is not null) keep += $"&pick={Html.Url(pick)}";
        return keep;
    }

    /// <summary>The record's name first, then the first few other fields worth a column, then the fields sorted or filtered by.</summary>
    static IReadOnlyList<FieldMetadata> Shown(ObjectSchema schema, params FieldMetadata?[] used)
    {
        var fields = schema.AllFields.Where(f => !f.System && f.Type is not (FieldType.TextArea or FieldType.Reference or FieldType.MultiPicklist)).ToList();
        var name = fields.FirstOrDefault(f => f.Name is "Name" or "Subject") ?? fields.FirstOrDefault(f => f.Name == "LastName");
        if (name is not null) { fields.Remove(name); fields.Insert(0, name); }
        var shown = fields.Take(Columns).ToList();
        foreach (var field in used)
            if (field is not null && !shown.Contains(field) && field.Name != "LastModifiedDate") shown.Add(field);
        return shown;
    }
}
