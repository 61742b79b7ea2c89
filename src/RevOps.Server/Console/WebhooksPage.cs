using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Webhooks;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Console;

/// <summary>
/// Admins only: the org's webhook subscriptions (create with object and operation filters, the secret shown once;
/// delete; send a test ping), each one's delivery log, and redelivery of a delivered or dead event. The same
/// <see cref="WebhookService"/> calls as /api/webhooks and manage_webhooks, as the signed-in admin.
/// </summary>
public static class WebhooksPage
{
    const int LogSize = 50;
    static string Here => ConsoleLayout.Root + "/admin/webhooks";

    public static Task<IResult> ShowAsync(HttpContext http, WebhookService webhooks, CancellationToken ct) =>
        RenderListAsync(http, null, null, StatusCodes.Status200OK, webhooks, ct);

    public static async Task<IResult> CreateAsync(HttpContext http, WebhookService webhooks, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        string? secret = string.IsNullOrEmpty(form["secret"]) ? null : form["secret"].ToString();
        var spec = new WebhookSpec(form["url"], secret, Picked(form["objects"]), Picked(form["operations"]), Picked(form["fields"].ToString().Split(',')));
        var created = await webhooks.CreateAsync(caller, spec, ct);
        if (!created.IsOk) return await RenderListAsync(http, created.Error, null, StatusCodes.Status422UnprocessableEntity, webhooks, ct);
        // Rendered, not redirected: the secret exists in this answer only.
        return await RenderListAsync(http, null, created.Value, StatusCodes.Status200OK, webhooks, ct);
    }

    /// <summary>Changes the URL and filters of a subscription (its secret and log stay), by the same rules as a create.</summary>
    public static async Task<IResult> EditAsync(HttpContext http, string id, WebhookService webhooks, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        var spec = new WebhookSpec(form["url"], null, Picked(form["objects"]), Picked(form["operations"]), Picked(form["fields"].ToString().Split(',')));
        var updated = await webhooks.UpdateAsync(caller, id, spec, ct);
        if (updated.IsOk) return await RenderLogAsync(http, id, null, null, StatusCodes.Status200OK, webhooks, ct, "Saved: events now go to " + updated.Value.Url + ".");
        int status = updated.Error.Code == ErrorCodes.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
        return await RenderLogAsync(http, id, null, updated.Error, status, webhooks, ct);
    }

    public static async Task<IResult> DeleteAsync(HttpContext http, string id, WebhookService webhooks, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var deleted = await webhooks.DeleteAsync(caller, id, ct);
        return deleted.IsOk ? Results.Redirect(Here) : await RenderListAsync(http, deleted.Error, null, StatusCodes.Status404NotFound, webhooks, ct);
    }

    public static async Task<IResult> TestAsync(HttpContext http, string id, WebhookService webhooks, WebhookTestRun test, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var run = await test.RunAsync(caller, id, ct);
        return run.IsOk ? Results.Redirect($"{Here}/{Html.Url(id)}") : await RenderListAsync(http, run.Error, null, StatusCodes.Status404NotFound, webhooks, ct);
    }

    public static Task<IResult> LogAsync(HttpContext http, string id, string? status, WebhookService webhooks, CancellationToken ct) =>
        RenderLogAsync(http, id, status, null, StatusCodes.Status200OK, webhooks, ct);

    public static async Task<IResult> RedeliverAsync(HttpContext http, string id, WebhookService webhooks, WebhookDispatcher dispatcher, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var queued = await webhooks.RedeliverAsync(caller, id, ct);
        if (!queued.IsOk)
        {
            var form = await http.Request.ReadFormAsync(ct);
            string webhook = form["webhook"].ToString();
            int status = queued.Error.Code == ErrorCodes.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
            return webhook.Length > 0 ? await RenderLogAsync(http, webhook, null, queued.Error, status, webhooks, ct)
                : await RenderListAsync(http, queued.Error, null, status, webhooks, ct);
        }
        dispatcher.Wake();
        return Results.Redirect($"{Here}/{Html.Url(queued.Value.WebhookId)}");
    }

    static IReadOnlyList<string>? Picked(IEnumerable<string?> values)
    {
        var picked = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
        return picked.Length == 0 ? null : picked;
    }

    static async Task<IResult> RenderListAsync(HttpContext http, CrmError? error, CreatedWebhook? created, int status, WebhookService webhooks, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var listed = await webhooks.ListAsync(caller, ct);
        string antiforgery = ConsoleLayout.Antiforgery(http);
        return ConsoleLayout.Page(http, "Webhooks", html =>
        {
            AdminGate.Nav(html, "/admin/webhooks");
            AdminGate.Error(html, error ?? (listed.IsOk ? null : listed.Error));
            if (created is not null)
                html.Raw("<section class=\"secret\" aria-label=\"New webhook secret\"><h2>New webhook</h2><p>").Text($"{created.Webhook.Id} signs its events with this secret. Copy it now: it is shown this once.")
                    .Raw("</p><p><code id=\"new-secret\">").Text(created.Secret).Raw("</code></p></section>");
            html.Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Webhooks\"><table id=\"webhooks\"><thead><tr><th scope=\"col\">Webhook</th><th scope=\"col\">URL</th><th scope=\"col\">Objects</th>")
                .Raw("<th scope=\"col\">Operations</th><th scope=\"col\">Fields</th><th scope=\"col\">Created</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
            foreach (var hook in listed.IsOk ? listed.Value : [])
            {
                string id = Html.Attr(hook.Id);
                html.Raw($"<tr data-webhook=\"{id}\"><td><a href=\"{Here}/{id}\">").Text(hook.Id).Raw("</a></td><td>").Text(hook.Url).Raw("</td><td>")
                    .Text(All(hook.Filter.Objects)).Raw("</td><td>").Text(All(hook.Filter.Operations)).Raw("</td><td>").Text(All(hook.Filter.Fields))
                    .Raw("</td><td>").Text(Html.Show(hook.CreatedAt)).Raw("</td><td>")
                    .Raw($"<form method=\"post\" action=\"{Here}/{id}/test\">").Raw(antiforgery).Raw($"<button type=\"submit\" aria-label=\"Send a test event to {id}\">Test</button></form>")
                    .Raw($"<form class=\"danger\" method=\"post\" action=\"{Here}/{id}/delete\">").Raw(antiforgery)
                    .Raw($"<button type=\"submit\" aria-label=\"Delete webhook {id}\">Delete</button></form></td></tr>");
            }
            html.Raw("</tbody></table></div>");

            html.Raw($"<form class=\"stacked\" method=\"post\" action=\"{Here}\">").Raw(antiforgery).Raw("<h2>New webhook</h2>")
                .Raw("<label for=\"hook-url\">URL</label><input id=\"hook-url\" name=\"url\" type=\"url\" required placeholder=\"https://hooks.example.com/revops\">")
                .Raw("<fieldset><legend>Objects (none ticked: all)</legend>");
            foreach (var obj in StandardObjects.All)
                html.Raw($"<label><input type=\"checkbox\" name=\"objects\" value=\"{Html.Attr(obj.Name)}\"> ").Text(obj.Name).Raw("</label>");
            html.Raw("</fieldset><fieldset><legend>Operations (none ticked: all)</legend>");
            foreach (string op in WebhookService.Operations)
                html.Raw($"<label><input type=\"checkbox\" name=\"operations\" value=\"{Html.Attr(op)}\"> ").Text(op).Raw("</label>");
            html.Raw("</fieldset><label for=\"hook-fields\">Only changes to these fields (comma-separated, optional)</label><input id=\"hook-fields\" name=\"fields\" type=\"text\">")
                .Raw("<label for=\"hook-secret\">Secret (16 to 256 characters; empty: generated)</label><input id=\"hook-secret\" name=\"secret\" type=\"text\" autocomplete=\"off\">")
                .Raw("<button type=\"submit\">Create webhook</button></form>");
        }, status);
    }

    static async Task<IResult> RenderLogAsync(HttpContext http, string id, string? status, CrmError? error, int code, WebhookService webhooks, CancellationToken ct, string? notice = null)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        status = string.IsNullOrWhiteSpace(status) ? null : status;
        var log = await webhooks.DeliveriesAsync(caller, id, status, LogSize, ct);
        var hook = log.IsOk && await webhooks.ListAsync(caller, ct) is { IsOk: true } all ? all.Value.FirstOrDefault(w => w.Id == id) : null;
        if (!log.IsOk && log.Error.Code == ErrorCodes.NotFound) code = StatusCodes.Status404NotFound;
        else if (!log.IsOk) code = StatusCodes.Status400BadRequest;
        string antiforgery = ConsoleLayout.Antiforgery(http);
        return ConsoleLayout.Page(http, "Deliveries of " + id, html =>
        {
            AdminGate.Nav(html, "/admin/webhooks");
            AdminGate.Error(html, error ?? (log.IsOk ? null : log.Error));
            if (notice is not null) html.Raw("<p class=\"notice\" role=\"status\">").Text(notice).Raw("</p>");
            html.Raw($"<form class=\"filters\" method=\"get\" action=\"{Here}/{Html.Attr(id)}\"><label for=\"delivery-status\">Status</label><select id=\"delivery-status\" name=\"status\"><option value=\"\">All</option>");
            foreach (string s in DeliveryStatus.All) html.Raw($"<option{(s == status ? " selected" : "")}>").Text(s).Raw("</option>");
            html.Raw("</select><button type=\"submit\">Filter</button></form>");
            if (!log.IsOk) return;
            html.Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Deliveries\"><table id=\"deliveries\"><thead><tr><th scope=\"col\">Event</th><th scope=\"col\">Operation</th><th scope=\"col\">Record</th><th scope=\"col\">Status</th>")
                .Raw("<th scope=\"col\">Attempts</th><th scope=\"col\">Last answer</th><th scope=\"col\">Last attempt</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
            foreach (var d in log.Value)
            {
                string answer = d.LastStatusCode is { } sc ? $"HTTP {sc}" + (d.LastLatencyMs is { } ms ? $" in {Html.Show(ms)} ms" : "") : d.LastError ?? "";
                html.Raw($"<tr data-delivery=\"{Html.Attr(d.Id)}\" data-status=\"{Html.Attr(d.Status)}\"><td>").Text(d.Id).Raw("</td><td>").Text(d.Operation).Raw("</td><td>");
                if (d.RecordId is { } record) html.Raw($"<a href=\"{RecordPage.Link(record)}\">").Text($"{d.Object} {record}").Raw("</a>");
                html.Raw("</td><td>").Text(d.Status).Raw("</td><td data-attempts>").Text(Html.Show(d.Attempts)).Raw("</td><td>").Text(answer).Raw("</td><td>")
                    .Text(Html.Show(d.LastAttemptAt)).Raw("</td><td>");
                if (d.Status != DeliveryStatus.Pending)
                    html.Raw($"<form method=\"post\" action=\"{Here}/deliveries/{Html.Attr(d.Id)}/redeliver\">").Raw(antiforgery)
                        .Raw($"<input type=\"hidden\" name=\"webhook\" value=\"{Html.Attr(id)}\">")
                        .Raw($"<button type=\"submit\" aria-label=\"Redeliver {Html.Attr(d.Id)}\">Redeliver</button></form>");
                html.Raw("</td></tr>");
            }
            html.Raw("</tbody></table></div>");
            if (hook is not null) EditForm(html, hook, antiforgery);
            html.Raw($"<p><a href=\"{Here}\">All webhooks</a></p>");
        }, code);
    }

    static void EditForm(Html html, Webhook hook, string antiforgery)
    {
        bool Has(IReadOnlyList<string>? list, string value) => list?.Contains(value, StringComparer.OrdinalIgnoreCase) == true;
        html.Raw($"<form class=\"stacked\" id=\"edit-webhook\" method=\"post\" action=\"{Here}/{Html.Attr(hook.Id)}/edit\">").Raw(antiforgery).Raw("<h2>Edit</h2>")
            .Raw($"<label for=\"edit-url\">URL</label><input id=\"edit-url\" name=\"url\" type=\"url\" required value=\"{Html.Attr(hook.Url)}\">")
            .Raw("<fieldset><legend>Objects (none ticked: all)</legend>");
        foreach (var obj in StandardObjects.All)
            html.Raw($"<label><input type=\"checkbox\" name=\"objects\" value=\"{Html.Attr(obj.Name)}\"{(Has(hook.Filter.Objects, obj.Name) ? " checked" : "")}> ").Text(obj.Name).Raw("</label>");
        html.Raw("</fieldset><fieldset><legend>Operations (none ticked: all)</legend>");
        foreach (string op in WebhookService.Operations)
            html.Raw($"<label><input type=\"checkbox\" name=\"operations\" value=\"{Html.Attr(op)}\"{(Has(hook.Filter.Operations, op) ? " checked" : "")}> ").Text(op).Raw("</label>");
        html.Raw("</fieldset><label for=\"edit-fields\">Only changes to these fields (comma-separated, optional)</label>")
            .Raw($"<input id=\"edit-fields\" name=\"fields\" type=\"text\" value=\"{Html.Attr(string.Join(",", hook.Filter.Fields ?? []))}\">")
            .Raw("<p>The secret stays as it is; to change it, delete the webhook and create it again.</p><button type=\"submit\">Save changes</button></form>");
    }

    static string All(IReadOnlyList<string>? values) => values is { Count: > 0 } ? string.Join(", ", values) : "all";
}
