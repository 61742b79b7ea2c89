using RevOps.Domain.Duplicates;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;

namespace RevOps.Server.Console;

/// <summary>
/// Admins only: the org's duplicate rules, each with its action (off, report or block) and the objects it checks,
/// set in one form through <see cref="DuplicateService.SetAsync"/>, as PUT /api/duplicate-rules does.
/// </summary>
public static class DuplicateRulesPage
{
    public static async Task<IResult> ShowAsync(HttpContext http, DuplicateService duplicates, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        return Render(http, await duplicates.RulesAsync(caller.Tenant, ct), null, null, StatusCodes.Status200OK);
    }

    public static async Task<IResult> SaveAsync(HttpContext http, DuplicateService duplicates, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        var changes = DuplicateRule.All.Where(r => form.ContainsKey(r)).Select(r => new KeyValuePair<string?, string?>(r, form[r])).ToList();
        var set = await duplicates.SetAsync(caller.Tenant, changes, ct);
        if (!set.IsOk) return Render(http, await duplicates.RulesAsync(caller.Tenant, ct), set.Error, null, StatusCodes.Status422UnprocessableEntity);
        return Render(http, set.Value, null, "Saved.", StatusCodes.Status200OK);
    }

    static IResult Render(HttpContext http, DuplicateRuleSet rules, CrmError? error, string? notice, int status) =>
        ConsoleLayout.Page(http, "Duplicate rules", html =>
        {
            AdminGate.Nav(html, "/admin/duplicates");
            AdminGate.Error(html, error);
            if (notice is not null) html.Raw("<p class=\"notice\" role=\"status\">").Text(notice).Raw("</p>");
            html.Raw($"<form method=\"post\" action=\"{ConsoleLayout.Root}/admin/duplicates\">").Raw(ConsoleLayout.Antiforgery(http))
                .Raw("<table id=\"duplicate-rules\"><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Checks new</th><th scope=\"col\">Action</th></tr></thead><tbody>");
            foreach (string rule in DuplicateRule.All)
            {
                string current = DuplicateRule.Text(rules[rule]);
                html.Raw($"<tr data-rule=\"{rule}\"><td>").Text(rule).Raw("</td><td>")
                    .Text(string.Join(", ", StandardObjects.All.Where(o => DuplicateRule.Applies(rule, o)).Select(o => o.Plural))).Raw("</td><td>")
                    .Raw($"<label class=\"visually-hidden\" for=\"dup-{rule}\">Action of {rule}</label><select id=\"dup-{rule}\" name=\"{rule}\">");
                foreach (string action in new[] { "off", "report", "block" })
                    html.Raw($"<option{(action == current ? " selected" : "")}>{action}</option>");
                html.Raw("</select></td></tr>");
            }
            html.Raw("</tbody></table><button type=\"submit\">Save rules</button></form>")
                .Raw("<p>Report lists likely duplicates with the new record; block refuses the create unless the caller says to write anyway.</p>");
        }, status);
}
