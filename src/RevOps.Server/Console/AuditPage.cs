using System.Globalization;
using RevOps.Domain.Audit;

namespace RevOps.Server.Console;

/// <summary>Admins only: the org's audit log (keys, users, fields, webhooks…), newest first, 100 to a page; what GET /api/audit reads.</summary>
public static class AuditPage
{
    const int PageSize = 100;

    public static async Task<IResult> ShowAsync(HttpContext http, string? before, IAuditStore audit, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        long? from = long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out long seq) && seq > 0 ? seq : null;
        var entries = await audit.ListAsync(caller.Tenant, from, PageSize, ct);
        return ConsoleLayout.Page(http, "Audit log", html =>
        {
            AdminGate.Nav(html, "/admin/audit");
            html.Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Audit entries\"><table id=\"audit\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">Channel</th>")
                .Raw("<th scope=\"col\">Action</th><th scope=\"col\">Target</th><th scope=\"col\">Details</th></tr></thead><tbody>");
            foreach (var entry in entries)
                html.Raw($"<tr data-seq=\"{entry.Seq}\"><td>").Text(Html.Show(entry.Seq)).Raw("</td><td>").Text(Html.Show(entry.At)).Raw("</td><td>")
                    .Text(entry.KeyId is null ? entry.ActorId : $"{entry.ActorId} (key {entry.KeyId})").Raw("</td><td>").Text(entry.Channel).Raw("</td><td>")
                    .Text(entry.Action).Raw("</td><td>").Text(entry.Target).Raw("</td><td><code>").Text(entry.Details).Raw("</code></td></tr>");
            if (entries.Count == 0) html.Raw("<tr><td colspan=\"7\">Nothing audited yet.</td></tr>");
            html.Raw("</tbody></table></div>");
            if (entries.Count == PageSize && entries[^1].Seq > 1)
                html.Raw($"<nav class=\"pager\" aria-label=\"Pages\"><a rel=\"next\" href=\"{ConsoleLayout.Root}/admin/audit?before={entries[^1].Seq}\">Older</a></nav>");
        });
    }
}
