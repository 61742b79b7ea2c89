using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;

namespace RevOps.Server.Console;

/// <summary>
/// Admins only: the org's users (create, activate or deactivate, set a password) and API keys (create with a
/// scope for a user, the secret shown once on the answer to that POST and never again; revoke). The same domain
/// calls as /api/users and /api/keys, audited as the signed-in admin.
/// </summary>
public static class AdminPage
{
    public static Task<IResult> ShowAsync(HttpContext http, UserService users, ITenantStore store, TimeProvider time, CancellationToken ct) =>
        RenderAsync(http, null, null, StatusCodes.Status200OK, users, store, time, ct);

    public static async Task<IResult> CreateUserAsync(HttpContext http, UserService users, ITenantStore store, TimeProvider time, CancellationToken ct)
    {
        if (Admin(http) is not { } caller) return Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        var created = await users.CreateAsync(caller.Tenant, new NewUser(form["email"], form["name"]) { IsAdmin = form["admin"] == "true" }, AuditSource.Of(caller), ct);
        if (!created.IsOk) return await RenderAsync(http, created.Error, null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        if (!string.IsNullOrEmpty(form["password"]))
        {
            var set = await users.SetPasswordAsync(caller.Tenant, created.Value.Id, form["password"], AuditSource.Of(caller), ct);
            if (!set.IsOk) return await RenderAsync(http, set.Error, null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        }
        return Results.Redirect(ConsoleLayout.Root + "/admin");
    }

    public static async Task<IResult> SetActiveAsync(HttpContext http, string id, UserService users, ITenantStore store, TimeProvider time, CancellationToken ct)
    {
        if (Admin(http) is not { } caller) return Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        var done = await users.SetActiveAsync(caller.Tenant, id, form["active"] == "true", AuditSource.Of(caller), ct);
        if (!done.IsOk) return await RenderAsync(http, done.Error, null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        return Results.Redirect(ConsoleLayout.Root + "/admin");
    }

    public static async Task<IResult> SetPasswordAsync(HttpContext http, string id, UserService users, ITenantStore store, TimeProvider time, CancellationToken ct)
    {
        if (Admin(http) is not { } caller) return Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        var done = await users.SetPasswordAsync(caller.Tenant, id, form["password"], AuditSource.Of(caller), ct);
        if (!done.IsOk) return await RenderAsync(http, done.Error, null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        return Results.Redirect(ConsoleLayout.Root + "/admin");
    }

    public static async Task<IResult> CreateKeyAsync(HttpContext http, UserService users, TenantService tenants, ITenantStore store, TimeProvider time, CancellationToken ct)
    {
        if (Admin(http) is not { } caller) return Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        if (!ScopeNames.TryParse(form["scope"], out var scopes))
            return await RenderAsync(http, new CrmError(ErrorCodes.InvalidArgument, "Pick a scope: read, write or admin.", "scope"), null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        var owner = await users.FindAsync(caller.Tenant, string.IsNullOrEmpty(form["user"]) ? caller.ActorId : form["user"], ct);
        if (!owner.IsOk) return await RenderAsync(http, owner.Error, null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        var created = await tenants.CreateKeyAsync(caller.Tenant, owner.Value, scopes, null, AuditSource.Of(caller), ct);
        if (!created.IsOk) return await RenderAsync(http, created.Error, null, StatusCodes.Status422UnprocessableEntity, users, store, time, ct);
        // Rendered, not redirected: the secret exists in this answer only.
        return await RenderAsync(http, null, created.Value, StatusCodes.Status200OK, users, store, time, ct);
    }

    public static async Task<IResult> RevokeKeyAsync(HttpContext http, string id, UserService users, TenantService tenants, ITenantStore store, TimeProvider time, CancellationToken ct)
    {
        if (Admin(http) is not { } caller) return Forbidden(http);
        var revoked = await tenants.RevokeKeyAsync(caller.Tenant, id, AuditSource.Of(caller), ct);
        if (!revoked.IsOk) return await RenderAsync(http, revoked.Error, null, StatusCodes.Status404NotFound, users, store, time, ct);
        return Results.Redirect(ConsoleLayout.Root + "/admin");
    }

    static Caller? Admin(HttpContext http) => AdminGate.Admin(http);

    static IResult Forbidden(HttpContext http) => AdminGate.Forbidden(http);

    static async Task<IResult> RenderAsync(HttpContext http, CrmError? error, TenantService.NewKey? created, int status, UserService users, ITenantStore store,
        TimeProvider time, CancellationToken ct)
    {
        if (Admin(http) is not { } caller) return Forbidden(http);
        var people = await users.ListAsync(caller.Tenant, ct);
        var keys = await store.ListKeysAsync(caller.Tenant, ct);
        var now = time.GetUtcNow().UtcDateTime;
        string antiforgery = ConsoleLayout.Antiforgery(http);
        return ConsoleLayout.Page(http, "Admin", html =>
        {
            AdminGate.Nav(html, "/admin");
            if (error is not null) ConsoleLayout.Error(html, error.Field is { } f ? $"{error.Message} ({f})" : error.Message);
            if (created is not null)
                html.Raw("<section class=\"secret\" aria-label=\"New API key\"><h2>New API key</h2><p>Copy it now: it is shown this once and cannot be read again.</p>")
                    .Raw("<p><code id=\"new-key\">").Text(created.Secret).Raw("</code></p></section>");

            html.Raw("<section aria-label=\"Users\"><h2>Users</h2><table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Username</th><th scope=\"col\">Admin</th>")
                .Raw("<th scope=\"col\">Active</th><th scope=\"col\">Last sign-in</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
            foreach (var user in people)
            {
                string id = Html.Attr(user.Id);
                html.Raw($"<tr data-user=\"{id}\"><td>").Text(user.Name).Raw("</td><td>").Text(user.Username).Raw("</td><td>").Text(user.IsAdmin ? "yes" : "no")
                    .Raw("</td><td>").Text(user.IsActive ? "yes" : "no").Raw("</td><td>").Text(Html.Show(user.Record["LastLoginDate"])).Raw("</td><td>")
                    .Raw($"<form method=\"post\" action=\"{ConsoleLayout.Root}/admin/users/{id}/active\">").Raw(antiforgery)
                    .Raw($"<input type=\"hidden\" name=\"active\" value=\"{(user.IsActive ? "false" : "true")}\">")
                    .Raw($"<button type=\"submit\">{(user.IsActive ? "Deactivate" : "Activate")}</button></form>")
                    .Raw($"<form method=\"post\" action=\"{ConsoleLayout.Root}/admin/users/{id}/password\">").Raw(antiforgery)
                    .Raw($"<label for=\"pw-{id}\">New password for ").Text(user.Name).Raw("</label>")
                    .Raw($"<input id=\"pw-{id}\" name=\"password\" type=\"password\" autocomplete=\"new-password\" minlength=\"{UserService.MinPasswordLength}\">")
                    .Raw("<button type=\"submit\">Set password</button></form></td></tr>");
            }
            html.Raw("</tbody></table>")
                .Raw($"<form class=\"filters\" method=\"post\" action=\"{ConsoleLayout.Root}/admin/users\">").Raw(antiforgery)
                .Raw("<label for=\"new-email\">Email</label><input id=\"new-email\" name=\"email\" type=\"email\" required>")
                .Raw("<label for=\"new-name\">Name</label><input id=\"new-name\" name=\"name\" type=\"text\" required>")
                .Raw("<label for=\"new-password\">Password</label><input id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\">")
                .Raw("<label for=\"new-admin\">Admin</label><select id=\"new-admin\" name=\"admin\"><option value=\"false\">no</option><option value=\"true\">yes</option></select>")
                .Raw("<button type=\"submit\">Create user</button></form></section>");

            html.Raw("<section aria-label=\"API keys\"><h2>API keys</h2><table><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Scope</th><th scope=\"col\">User</th>")
                .Raw("<th scope=\"col\">Created</th><th scope=\"col\">Last used</th><th scope=\"col\">State</th><th scope=\"col\"><span class=\"visually-hidden\">Revoke</span></th></tr></thead><tbody>");
            foreach (var key in keys)
            {
                bool live = key.RevokedAt is null && (key.ExpiresAt is null || key.ExpiresAt > now);
                html.Raw($"<tr data-key=\"{Html.Attr(key.Id)}\"><td>").Text($"{key.Prefix}… ({key.Id})").Raw("</td><td>").Text(ScopeNames.Format(key.Scopes)).Raw("</td><td>")
                    .Text(key.UserName ?? key.UserId).Raw("</td><td>").Text(Html.Show(key.CreatedAt)).Raw("</td><td>").Text(Html.Show(key.LastUsedAt)).Raw("</td><td>")
                    .Text(key.RevokedAt is not null ? "revoked" : live ? "active" : "expired").Raw("</td><td>");
                if (key.RevokedAt is null)
                    html.Raw($"<form method=\"post\" action=\"{ConsoleLayout.Root}/admin/keys/{Html.Attr(key.Id)}/revoke\">").Raw(antiforgery)
                        .Raw($"<button type=\"submit\" aria-label=\"Revoke key {Html.Attr(key.Id)}\">Revoke</button></form>");
                html.Raw("</td></tr>");
            }
            html.Raw("</tbody></table>")
                .Raw($"<form class=\"filters\" method=\"post\" action=\"{ConsoleLayout.Root}/admin/keys\">").Raw(antiforgery)
                .Raw("<label for=\"key-scope\">Scope</label><select id=\"key-scope\" name=\"scope\"><option>read</option><option selected>write</option><option>admin</option></select>")
                .Raw("<label for=\"key-user\">Acts as</label><select id=\"key-user\" name=\"user\">");
            foreach (var user in people.Where(u => u.IsActive))
                html.Raw($"<option value=\"{Html.Attr(user.Id)}\"{(user.Id == caller.ActorId ? " selected" : "")}>").Text(user.Name).Raw("</option>");
            html.Raw("</select><button type=\"submit\">Create key</button></form></section>");
        }, status);
    }
}
