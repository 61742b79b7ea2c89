using System.Globalization;
using System.Text.Json;
using RevOps.Domain;
using RevOps.Domain.Changes;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Server.Console;

/// <summary>
/// One record: its fields (custom ones too), an edit form whose errors are the domain's own messages,
/// delete and restore, the records that point at it (an Account's Contacts, Opportunities, Tasks, Events),
/// and its history, each change with an Undo. An Id of another tenant reads as not found, like the APIs.
/// </summary>
public static class RecordPage
{
    const int RelatedRows = 20;

    public static Task<IResult> ShowAsync(HttpContext http, string id, RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct) =>
        RenderAsync(http, id, null, null, StatusCodes.Status200OK, records, schemas, changes, ct);

    public static async Task<IResult> SaveAsync(HttpContext http, string id, RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var form = await http.Request.ReadFormAsync(ct);
        if (RecordService.ObjectOfId(id) is not { IsOk: true } obj) return await RenderAsync(http, id, null, null, StatusCodes.Status404NotFound, records, schemas, changes, ct);
        var current = await records.GetAsync(caller, obj.Value, id, ct);
        if (!current.IsOk) return await RenderAsync(http, id, null, null, StatusCodes.Status404NotFound, records, schemas, changes, ct);
        var schema = await schemas.GetAsync(caller.Tenant, obj.Value, ct);
        // Only what the user changed is sent, so an untouched field never becomes a change in the history.
        var edited = Editable(schema)
            .Where(f => form.ContainsKey(f.Name) && (string?)form[f.Name] != Value(current.Value, f))
            .Select(f => new KeyValuePair<string, string?>(f.Name, form[f.Name]))
            .ToArray();
        if (edited.Length == 0) return Results.Redirect(Link(id));
        var saved = await records.UpdateAsync(caller, obj.Value, id, ConsoleInput.From(edited), ct);
        if (!saved.IsOk)
            return await RenderAsync(http, id, saved.Error, edited.ToDictionary(e => e.Key, e => e.Value), StatusCodes.Status422UnprocessableEntity, records, schemas, changes, ct);
        return Results.Redirect(Link(id));
    }

    public static async Task<IResult> DeleteAsync(HttpContext http, string id, RecycleBin bin, RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct) =>
        await BinAsync(http, id, (caller, obj) => bin.DeleteAsync(caller, obj, id, dryRun: false, ct), records, schemas, changes, ct);

    public static async Task<IResult> RestoreAsync(HttpContext http, string id, RecycleBin bin, RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct) =>
        await BinAsync(http, id, (caller, obj) => bin.RestoreAsync(caller, obj, id, dryRun: false, ct), records, schemas, changes, ct);

    public static async Task<IResult> UndoAsync(HttpContext http, string id, ChangeUndo undo, RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var form = await http.Request.ReadFormAsync(ct);
        if (!long.TryParse(form["seq"], NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
            return await RenderAsync(http, id, new CrmError(ErrorCodes.InvalidArgument, "Pick a change of the history to undo.", "seq"), null, StatusCodes.Status400BadRequest, records, schemas, changes, ct);
        // The change must be this record's: an Undo form pointed at another record's change is refused, not obeyed.
        var obj = RecordService.ObjectOfId(id);
        var history = obj.IsOk ? await changes.HistoryAsync(caller, obj.Value, id, ct) : obj.Error;
        if (!history.IsOk || history.Value.All(c => c.Seq != seq))
            return await RenderAsync(http, id, new CrmError(ErrorCodes.NotFound, $"Change {seq} is not in this record's history.", "seq"), null, StatusCodes.Status404NotFound, records, schemas, changes, ct);
        var undone = await undo.UndoAsync(caller, seq, force: false, dryRun: false, ct);
        if (!undone.IsOk) return await RenderAsync(http, id, undone.Error, null, StatusCodes.Status409Conflict, records, schemas, changes, ct);
        return Results.Redirect(Link(id));
    }

    static async Task<IResult> BinAsync(HttpContext http, string id, Func<Caller, ObjectMetadata, Task<CrmResult<BinOutcome>>> act,
        RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var obj = RecordService.ObjectOfId(id);
        if (!obj.IsOk) return await RenderAsync(http, id, obj.Error, null, StatusCodes.Status404NotFound, records, schemas, changes, ct);
        var done = await act(caller, obj.Value);
        if (!done.IsOk) return await RenderAsync(http, id, done.Error, null, StatusCodes.Status409Conflict, records, schemas, changes, ct);
        return Results.Redirect(Link(id));
    }

    public static string Link(string id) => $"{ConsoleLayout.Root}/r/{Html.Url(id)}";

    static IEnumerable<FieldMetadata> Editable(ObjectSchema schema) => schema.AllFields.Where(f => f.Updateable && !f.System);

    static async Task<IResult> RenderAsync(HttpContext http, string id, CrmError? error, IReadOnlyDictionary<string, string?>? sent, int status,
        RecordService records, SchemaService schemas, ChangeService changes, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var obj = RecordService.ObjectOfId(id);
        var found = obj.IsOk ? await records.GetAsync(caller, obj.Value, id, ct) : obj.Error;
        bool deleted = !found.IsOk && found.Error.Code == ErrorCodes.EntityIsDeleted;
        if (!found.IsOk && !deleted)
            return ConsoleLayout.Page(http, "Not found", html => html.Raw("<p class=\"error\" role=\"alert\">").Text(found.Error.Message).Raw("</p>"), StatusCodes.Status404NotFound);
        var schema = await schemas.GetAsync(caller.Tenant, obj.Value, ct);
        var history = await changes.HistoryAsync(caller, obj.Value, id, ct);
        var related = found.IsOk ? await RelatedAsync(caller, obj.Value, id, records, ct) : [];
        string antiforgery = ConsoleLayout.Antiforgery(http);
        string title = found.IsOk ? $"{obj.Value.Name}: {Title(found.Value)}" : $"{obj.Value.Name} {id} (deleted)";

        return ConsoleLayout.Page(http, title, html =>
        {
            if (error is not null) ConsoleLayout.Error(html, error.Field is { } f ? $"{error.Message} ({f})" : error.Message);
            if (deleted)
            {
                html.Raw("<p>This record is in the recycle bin.</p>")
                    .Raw($"<form method=\"post\" action=\"{Link(id)}/restore\">").Raw(antiforgery).Raw("<button type=\"submit\">Restore</button></form>");
            }
            else
            {
                var record = found.Value;
                EditForm(html, schema, record, sent, antiforgery, id);
                html.Raw($"<form class=\"danger\" method=\"post\" action=\"{Link(id)}/delete\">").Raw(antiforgery).Raw("<button type=\"submit\">Delete</button></form>");
                foreach (var (label, rows) in related) Related(html, label, rows);
            }
            if (history.IsOk) History(html, history.Value, antiforgery, id);
        }, status);
    }

    static void EditForm(Html html, ObjectSchema schema, Record record, IReadOnlyDictionary<string, string?>? sent, string antiforgery, string id)
    {
        html.Raw($"<form class=\"record\" method=\"post\" action=\"{Link(id)}\">").Raw(antiforgery).Raw("<dl>");
        foreach (var field in schema.AllFields)
        {
            string value = sent is not null && sent.TryGetValue(field.Name, out var typed) ? typed ?? "" : Value(record, field);
            string input = "f-" + field.Name;
            html.Raw($"<dt><label for=\"{Html.Attr(input)}\">").Text(field.Label).Raw("</label></dt><dd>");
            if (!field.Updateable || field.System)
            {
                html.Raw($"<output id=\"{Html.Attr(input)}\" data-field=\"{Html.Attr(field.Name)}\">");
                if (field.Type == FieldType.Reference && value.Length > 0) html.Raw($"<a href=\"{Link(value)}\">").Text(value).Raw("</a>");
                else html.Text(value);
                html.Raw("</output>");
            }
            else Input(html, field, input, value);
            html.Raw("</dd>");
        }
        html.Raw("</dl><button type=\"submit\">Save</button></form>");
    }

    static void Input(Html html, FieldMetadata field, string input, string value)
    {
        string name = Html.Attr(field.Name), inputId = Html.Attr(input), required = field.Required ? " required" : "";
        switch (field.Type)
        {
            case FieldType.Picklist or FieldType.Boolean:
                var options = field.Type == FieldType.Boolean ? ["true", "false"] : field.PicklistValues;
                html.Raw($"<select id=\"{inputId}\" name=\"{name}\"{required}><option value=\"\"></option>");
                foreach (var option in options.Contains(value) || value.Length == 0 ? options : [value, .. options])
                    html.Raw($"<option{(option == value ? " selected" : "")}>").Text(option).Raw("</option>");
                html.Raw("</select>");
                break;
            case FieldType.TextArea:
                html.Raw($"<textarea id=\"{inputId}\" name=\"{name}\" rows=\"3\">").Text(value).Raw("</textarea>");
                break;
            default:
                string type = field.Type switch { FieldType.Date => "date", FieldType.Email => "email", _ => "text" };
                html.Raw($"<input id=\"{inputId}\" name=\"{name}\" type=\"{type}\" value=\"{Html.Attr(value)}\"{required}>");
                break;
        }
    }

    static void History(Html html, IReadOnlyList<ChangeRow> rows, string antiforgery, string id)
    {
        html.Raw("<section class=\"history\" aria-label=\"History\"><h2>History</h2><table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>")
            .Raw("<th scope=\"col\">What</th><th scope=\"col\">Changes</th><th scope=\"col\"><span class=\"visually-hidden\">Undo</span></th></tr></thead><tbody>");
        foreach (var change in rows.OrderByDescending(r => r.Seq))
        {
            html.Raw($"<tr data-seq=\"{change.Seq}\"><td>").Text(Html.Show(change.At)).Raw("</td><td>").Text(change.ActorName ?? change.ActorId)
                .Raw(" <small>(").Text(change.Channel).Raw(")</small></td><td>").Text(change.Operation).Raw("</td><td><ul>");
            foreach (var field in change.Fields)
                html.Raw("<li><b>").Text(field).Raw("</b>: ").Text(Plain(change.Before(field))).Raw(" → ").Text(Plain(change.After(field))).Raw("</li>");
            html.Raw($"</ul></td><td><form method=\"post\" action=\"{Link(id)}/undo\">").Raw(antiforgery)
                .Raw($"<input type=\"hidden\" name=\"seq\" value=\"{change.Seq}\"><button type=\"submit\" aria-label=\"Undo change {change.Seq}\">Undo</button></form></td></tr>");
        }
        html.Raw("</tbody></table></section>");
    }

    static string Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "(empty)",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    static void Related(Html html, string label, IReadOnlyList<Record> rows)
    {
        html.Raw($"<section class=\"related\" aria-label=\"{Html.Attr(label)}\"><h2>").Text(label).Raw("</h2>");
        if (rows.Count == 0) { html.Raw("<p>None.</p></section>"); return; }
        html.Raw("<ul>");
        foreach (var row in rows) html.Raw($"<li><a href=\"{Link(row.Id)}\">").Text(Title(row)).Raw("</a></li>");
        html.Raw("</ul></section>");
    }

    /// <summary>Records of other objects whose lookups point at this one (owner and audit lookups aside), a few of each.</summary>
    static async Task<IReadOnlyList<(string Label, IReadOnlyList<Record> Rows)>> RelatedAsync(Caller caller, ObjectMetadata obj, string id, RecordService records, CancellationToken ct)
    {
        var lists = new List<(string, IReadOnlyList<Record>)>();
        if (obj == StandardObjects.User) return lists;
        foreach (var other in StandardObjects.All.Where(o => o != obj))
            foreach (var lookup in other.Fields.Where(f => f.Type == FieldType.Reference && !f.System && f.Name != "OwnerId" && f.ReferenceTo.Contains(obj.Name)))
            {
                var query = new RecordQuery([[new Condition(lookup, ConditionOp.Equals, id)]], other.Field("LastModifiedDate"), Descending: true, RelatedRows);
                var page = await records.QueryAsync(caller, other, query, ct);
                if (page.IsOk) lists.Add((other.Plural, page.Value.Records));
            }
        return lists;
    }

    public static string Title(Record record) => record.DisplayName ?? record.Id;

    /// <summary>A field's value as the page shows and the form sends it back; custom fields live beside the standard columns.</summary>
    public static string Value(Record record, FieldMetadata field) =>
        field.Custom ? (record.Custom.TryGetValue(field.Name, out var json) ? JsonText(json) : "") : Html.Show(record[field.Name]);

    static string JsonText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
