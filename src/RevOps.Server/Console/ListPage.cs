using System.Globalization;
using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;

namespace RevOps.Server.Console;

/// <summary>One object's records: sortable columns, a "starts with" filter on a text field, 25 to a page.</summary>
public static class ListPage
{
    const int PageSize = 25;
    const int Columns = 6;

    public static async Task<IResult> ShowAsync(HttpContext http, string objectName, string? sort, string? dir, string? field, string? value, string? page,
        RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var obj = ConsoleLayout.Objects.FirstOrDefault(o => string.Equals(o.Name, objectName, StringComparison.OrdinalIgnoreCase));
        if (obj is null)
            return ConsoleLayout.Page(http, "Not found", html => html.Raw("<p class=\"error\" role=\"alert\">").Text($"There is no object '{objectName}'. Pick one in the navigation.").Raw("</p>"), StatusCodes.Status404NotFound);
        var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
        var shown = Shown(schema);
        var orderBy = sort is not null && schema.TryGetField(sort, out var s) && s.Sortable && !s.Custom ? s : obj.Field("LastModifiedDate");
        bool descending = sort is null ? true : dir == "desc";
        var filterable = schema.AllFields.Where(f => !f.Custom && f.Type is FieldType.String or FieldType.Email or FieldType.Phone or FieldType.Picklist or FieldType.Url).ToArray();
        var conditions = new List<IReadOnlyList<Condition>>();
        var filterField = filterable.FirstOrDefault(f => f.Name == field);
        if (filterField is not null && !string.IsNullOrWhiteSpace(value)) conditions.Add([new Condition(filterField, ConditionOp.StartsWith, value.Trim())]);
        int pageNumber = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : 1;
        var result = await records.QueryAsync(caller, obj, new RecordQuery(conditions, orderBy, descending, PageSize) { Offset = (pageNumber - 1) * PageSize }, ct);

        return ConsoleLayout.Page(http, obj.Name + "s", html =>
        {
            html.Raw($"<form class=\"filters\" method=\"get\" action=\"{ConsoleLayout.Root}/o/{obj.Name}\"><label for=\"field\">Field</label><select id=\"field\" name=\"field\">");
            foreach (var f in filterable) html.Raw($"<option value=\"{Html.Attr(f.Name)}\"{(f == filterField ? " selected" : "")}>").Text(f.Label).Raw("</option>");
            html.Raw($"</select><label for=\"value\">starts with</label><input id=\"value\" name=\"value\" type=\"text\" value=\"{Html.Attr(value)}\"><button type=\"submit\">Filter</button></form>");
            if (!result.IsOk) { ConsoleLayout.Error(html, result.Error.Message); return; }
            string keep = (filterField is null ? "" : $"&field={Html.Url(filterField.Name)}&value={Html.Url(value)}");
            html.Raw("<table class=\"list\"><thead><tr>");
            foreach (var column in shown)
            {
                bool sorted = column == orderBy;
                string next = sorted && !descending ? "desc" : "asc";
                string aria = sorted ? (descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : "";
                html.Raw($"<th scope=\"col\"{aria}>");
                if (column.Sortable && !column.Custom)
                    html.Raw($"<a href=\"{ConsoleLayout.Root}/o/{obj.Name}?sort={Html.Url(column.Name)}&dir={next}{Html.Attr(keep)}\">").Text(column.Label).Raw("</a>");
                else html.Text(column.Label);
                html.Raw("</th>");
            }
            html.Raw("</tr></thead><tbody>");
            foreach (var record in result.Value.Records)
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
            long total = result.Value.TotalSize;
            long pages = Math.Max(1, (total + PageSize - 1) / PageSize);
            html.Raw("</tbody></table><nav class=\"pager\" aria-label=\"Pages\">").Text($"{total} records · page {pageNumber} of {pages} ");
            string here = $"{ConsoleLayout.Root}/o/{obj.Name}?sort={Html.Url(orderBy.Name)}&dir={(descending ? "desc" : "asc")}{keep}";
            if (pageNumber > 1) html.Raw($"<a rel=\"prev\" href=\"{Html.Attr(here)}&page={pageNumber - 1}\">Previous</a> ");
            if (result.Value.HasMore) html.Raw($"<a rel=\"next\" href=\"{Html.Attr(here)}&page={pageNumber + 1}\">Next</a>");
            html.Raw("</nav>");
        });
    }

    /// <summary>The record's name first, then the first few other fields worth a column.</summary>
    static IReadOnlyList<FieldMetadata> Shown(ObjectSchema schema)
    {
        var fields = schema.AllFields.Where(f => !f.System && f.Type is not (FieldType.TextArea or FieldType.Reference or FieldType.MultiPicklist)).ToList();
        var name = fields.FirstOrDefault(f => f.Name is "Name" or "Subject") ?? fields.FirstOrDefault(f => f.Name == "LastName");
        if (name is not null) { fields.Remove(name); fields.Insert(0, name); }
        return fields.Take(Columns).ToArray();
    }
}
