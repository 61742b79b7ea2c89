using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;

namespace RevOps.Server.Console;

/// <summary>
/// Admins only: the org's custom fields on every object, and a form to define one (or redefine it compatibly) on any object, custom ones too.
/// The same <see cref="SchemaService.DefineAsync"/> as define_field and the describe API's callers use, audited
/// as the signed-in admin; the field is at once on record pages, in lists and in REST describe.
/// </summary>
public static class CustomFieldsPage
{
    static string Here => ConsoleLayout.Root + "/admin/fields";

    public static Task<IResult> ShowAsync(HttpContext http, SchemaService schemas, CancellationToken ct) =>
        RenderAsync(http, null, null, StatusCodes.Status200OK, schemas, ct);

    /// <summary>
    /// Delete asks first: without confirm=yes the answer is a page that says what goes (or which rules and webhooks stop it),
    /// with the button that deletes. No script, so it works from the keyboard and with the strict CSP.
    /// </summary>
    public static async Task<IResult> DeleteAsync(HttpContext http, SchemaService schemas, CustomFieldRemoval removal, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        string obj = form["object"].ToString(), field = form["field"].ToString();
        if (form["confirm"] != "yes")
        {
            var check = await removal.CheckAsync(caller, obj, field, ct);
            if (!check.IsOk) return await RenderAsync(http, check.Error, null, Status(check.Error), schemas, ct);
            string name = check.Value.Object + "." + check.Value.Field;
            return ConsoleLayout.Page(http, "Delete " + name, html =>
            {
                AdminGate.Nav(html, "/admin/fields");
                html.Raw("<p role=\"alert\">").Text($"Delete {name}? Its values leave every {check.Value.Object} record, in the recycle bin too, and cannot be brought back; ")
                    .Text("the field leaves describe, the tools and this console at once.").Raw("</p>")
                    .Raw($"<form class=\"danger\" method=\"post\" action=\"{Here}/delete\">").Raw(ConsoleLayout.Antiforgery(http))
                    .Raw($"<input type=\"hidden\" name=\"object\" value=\"{Html.Attr(check.Value.Object)}\"><input type=\"hidden\" name=\"field\" value=\"{Html.Attr(check.Value.Field)}\">")
                    .Raw("<input type=\"hidden\" name=\"confirm\" value=\"yes\"><button type=\"submit\">").Text("Delete " + name).Raw("</button> ")
                    .Raw($"<a href=\"{Here}\">Keep it</a></form>");
            });
        }
        var deleted = await removal.DeleteAsync(caller, obj, field, ct);
        if (!deleted.IsOk) return await RenderAsync(http, deleted.Error, null, Status(deleted.Error), schemas, ct);
        return await RenderAsync(http, null, null, StatusCodes.Status200OK, schemas, ct, $"Deleted {deleted.Value.Object}.{deleted.Value.Field}.");
    }

    static int Status(CrmError error) => error.Code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static async Task<IResult> DefineAsync(HttpContext http, SchemaService schemas, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        if (!Number(form["length"], "length", out int? length, out var bad) || !Number(form["precision"], "precision", out int? precision, out bad)
            || !Number(form["scale"], "scale", out int? scale, out bad))
            return await RenderAsync(http, bad, null, StatusCodes.Status422UnprocessableEntity, schemas, ct);
        var values = form["values"].ToString().Split('\n').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
        var spec = new CustomFieldSpec(form["object"].ToString(), form["api_name"].ToString(), form["type"].ToString(),
            Label: Blank(form["label"]), Length: length, Precision: precision, Scale: scale, Required: form["required"] == "true",
            Values: values.Length == 0 ? null : values, Description: Blank(form["description"]), ExternalId: form["external_id"] == "true", Unique: form["unique"] == "true");
        var defined = await schemas.DefineAsync(caller, spec, ct);
        if (!defined.IsOk) return await RenderAsync(http, defined.Error, null, StatusCodes.Status422UnprocessableEntity, schemas, ct);
        return await RenderAsync(http, null, defined.Value, StatusCodes.Status200OK, schemas, ct);
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static bool Number(string? text, string name, out int? value, out CrmError? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n)) { value = n; return true; }
        error = new CrmError(ErrorCodes.InvalidArgument, $"{name} '{text}' is not a whole number; leave it empty for the type's default.", name);
        return false;
    }

    static async Task<IResult> RenderAsync(HttpContext http, CrmError? error, CustomFieldDefinition? defined, int status, SchemaService schemas, CancellationToken ct, string? notice = null)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        string antiforgery = ConsoleLayout.Antiforgery(http);
        return ConsoleLayout.Page(http, "Custom fields", html =>
        {
            AdminGate.Nav(html, "/admin/fields");
            AdminGate.Error(html, error);
            if (defined is not null) notice = $"Defined {defined.Object}.{defined.Field.Name}.";
            if (notice is not null) html.Raw("<p class=\"notice\" role=\"status\">").Text(notice).Raw("</p>");
            html.Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Custom fields\"><table id=\"custom-fields\"><thead><tr><th scope=\"col\">Object</th><th scope=\"col\">API name</th><th scope=\"col\">Label</th><th scope=\"col\">Type</th>")
                .Raw("<th scope=\"col\">Required</th><th scope=\"col\">Unique</th><th scope=\"col\">Values</th><th scope=\"col\">Delete</th></tr></thead><tbody>");
            int count = 0;
            foreach (var obj in schema.Objects)
                foreach (var field in schema.For(obj).CustomFields)
                {
                    count++;
                    html.Raw($"<tr data-field=\"{Html.Attr(obj.Name + "." + field.Name)}\"><td>").Text(obj.Name).Raw("</td><td>").Text(field.Name).Raw("</td><td>").Text(field.Label)
                        .Raw("</td><td>").Text(TypeOf(field)).Raw("</td><td>").Text(field.Required ? "yes" : "no").Raw("</td><td>").Text(field.Unique ? "yes" : "no")
                        .Raw("</td><td>").Text(string.Join(", ", field.PicklistValues)).Raw("</td><td>")
                        .Raw($"<form method=\"post\" action=\"{Here}/delete\">").Raw(antiforgery)
                        .Raw($"<input type=\"hidden\" name=\"object\" value=\"{Html.Attr(obj.Name)}\"><input type=\"hidden\" name=\"field\" value=\"{Html.Attr(field.Name)}\">")
                        .Raw($"<button type=\"submit\" aria-label=\"{Html.Attr("Delete " + obj.Name + "." + field.Name)}\">Delete…</button></form></td></tr>");
                }
            if (count == 0) html.Raw("<tr><td colspan=\"8\">No custom fields yet.</td></tr>");
            html.Raw("</tbody></table></div>");

            html.Raw($"<form class=\"stacked\" method=\"post\" action=\"{Here}\">").Raw(antiforgery).Raw("<h2>Define a field</h2>")
                .Raw("<label for=\"cf-object\">Object</label><select id=\"cf-object\" name=\"object\">");
            foreach (var obj in schema.Objects) html.Raw("<option>").Text(obj.Name).Raw("</option>");
            html.Raw("</select><label for=\"cf-name\">API name (ends in __c)</label><input id=\"cf-name\" name=\"api_name\" type=\"text\" required placeholder=\"Region__c\">")
                .Raw("<label for=\"cf-type\">Type</label><select id=\"cf-type\" name=\"type\">");
            foreach (string type in CustomFieldTypes.Names) html.Raw("<option>").Text(type).Raw("</option>");
            html.Raw("</select><label for=\"cf-label\">Label</label><input id=\"cf-label\" name=\"label\" type=\"text\">")
                .Raw("<label for=\"cf-length\">Length (Text)</label><input id=\"cf-length\" name=\"length\" type=\"number\" min=\"1\">")
                .Raw("<label for=\"cf-precision\">Precision (Number, Currency, Percent)</label><input id=\"cf-precision\" name=\"precision\" type=\"number\" min=\"1\">")
                .Raw("<label for=\"cf-scale\">Scale</label><input id=\"cf-scale\" name=\"scale\" type=\"number\" min=\"0\">")
                .Raw("<label for=\"cf-values\">Picklist values, one a line</label><textarea id=\"cf-values\" name=\"values\" rows=\"3\"></textarea>")
                .Raw("<label for=\"cf-description\">Description</label><input id=\"cf-description\" name=\"description\" type=\"text\">")
                .Raw("<label><input type=\"checkbox\" name=\"required\" value=\"true\"> Required</label>")
                .Raw("<label><input type=\"checkbox\" name=\"unique\" value=\"true\"> Unique</label>")
                .Raw("<label><input type=\"checkbox\" name=\"external_id\" value=\"true\"> External Id</label>")
                .Raw("<button type=\"submit\">Define field</button></form>");
        }, status);
    }

    static string TypeOf(FieldMetadata field)
    {
        string name = CustomFieldTypes.NameOf(field.Type);
        return field.Type switch
        {
            FieldType.String => $"{name}({field.Length})",
            FieldType.Double or FieldType.Currency or FieldType.Percent => $"{name}({field.Precision}, {field.Scale})",
            _ => name,
        };
    }
}
