using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using RevOps.Server.Auth;

namespace RevOps.Server.Console;

/// <summary>
/// The operator's view at /console/operator, opened with the admin token (the one POST /tenants takes): every
/// tenant and its usage this month, and one tenant's full statement. Read-only. Its own cookie
/// (<see cref="OperatorAuthentication.CookieName"/>, path /console/operator) and policy: a tenant user's session opens
/// none of it, and the operator's session opens no tenant page.
/// </summary>
public static class OperatorPages
{
    public const string Root = ConsoleLayout.Root + "/operator";

    public static IResult ShowSignIn(HttpContext http) => SignInForm(http, null, StatusCodes.Status200OK);

    public const int PageSize = 50;

    public static async Task<IResult> SignInAsync(HttpContext http, AdminToken admin, OperatorSignInGuard guard, CancellationToken ct)
    {
        var client = http.Connection.RemoteIpAddress;
        if (guard.LockedFor(client) is { } wait) return Locked(http, wait);
        var form = await http.Request.ReadFormAsync(ct);
        string token = form["token"].ToString().Trim();
        if (token.Length == 0 || !admin.Matches("Bearer " + token))
        {
            guard.Failed(client);
            if (guard.LockedFor(client) is { } lockout) return Locked(http, lockout);
            return SignInForm(http, "That is not the operator's admin token (REVOPS_ADMIN_TOKEN, or the admin-token file in the data directory).", StatusCodes.Status401Unauthorized);
        }
        guard.Succeeded(client);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "operator"), new Claim(ClaimTypes.Role, OperatorAuthentication.Role)], OperatorAuthentication.Scheme);
        await http.SignInAsync(OperatorAuthentication.Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(Root);
    }

    static IResult Locked(HttpContext http, TimeSpan wait)
    {
        int seconds = (int)Math.Ceiling(wait.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return SignInForm(http, $"Too many wrong admin tokens: the operator's sign-in is locked for {seconds} more seconds, even with the right token. Wait, then sign in with REVOPS_ADMIN_TOKEN or the data directory's admin-token file.",
            StatusCodes.Status429TooManyRequests);
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(OperatorAuthentication.Scheme);
        return Results.Redirect(Root + "/sign-in");
    }

    /// <summary>The tenants, oldest first, <see cref="PageSize"/> to a page: usage is read for the page's tenants only.</summary>
    public static async Task<IResult> TenantsAsync(HttpContext http, string? page, ITenantStore tenants, UsageService usage, CancellationToken ct)
    {
        int number = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
            return Page(http, "Tenants", html => ConsoleLayout.Error(html, $"page '{page}' is not a page number; pages count from 1."), StatusCodes.Status400BadRequest);
        var all = await tenants.ListAsync(ct);
        int pages = Math.Max(1, (all.Count + PageSize - 1) / PageSize);
        if (number > pages)
            return Page(http, "Tenants", html => ConsoleLayout.Error(html, $"There are {pages} pages of tenants; page {number} is past the last."), StatusCodes.Status404NotFound);
        var rows = new List<(Tenant Tenant, UsageStatement? Statement)>(PageSize);
        foreach (var tenant in all.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id.ToString(), StringComparer.Ordinal).Skip((number - 1) * PageSize).Take(PageSize))
        {
            var statement = await usage.GetAsync(tenant.Id, null, null, ct);
            rows.Add((tenant, statement.IsOk ? statement.Value : null));
        }
        return Page(http, "Tenants", html =>
        {
            html.Raw("<p>").Text($"{all.Count} tenants · page {number} of {pages} · requests this month · read-only").Raw("</p>")
                .Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Tenants\"><table id=\"tenants\"><thead><tr><th scope=\"col\">Tenant</th><th scope=\"col\">Id</th><th scope=\"col\">Tier</th><th scope=\"col\">Created</th>")
                .Raw("<th scope=\"col\">Requests</th><th scope=\"col\">Errors</th><th scope=\"col\">p95</th><th scope=\"col\">Invoice preview</th></tr></thead><tbody>");
            foreach (var (tenant, statement) in rows)
            {
                string id = tenant.Id.ToString();
                var totals = statement?.Report.Totals ?? UsageFigures.None;
                html.Raw($"<tr data-tenant=\"{Html.Attr(id)}\"><td><a href=\"{Root}/tenants/{Html.Attr(id)}\">").Text(tenant.Name).Raw("</a></td><td>").Text(id).Raw("</td><td>")
                    .Text(tenant.SubscriptionTier).Raw("</td><td>").Text(Html.Show(tenant.CreatedAt)).Raw("</td><td data-figure=\"requests\">")
                    .Text(totals.Requests.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>").Text(totals.Errors.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>")
                    .Text(totals.P95Ms is { } p ? Html.Show(p) + " ms" : "–").Raw("</td><td>")
                    .Text(statement is null ? "" : $"{statement.Invoice.Currency} {statement.Invoice.Total.ToString("#,0.00", CultureInfo.InvariantCulture)}").Raw("</td></tr>");
            }
            html.Raw("</tbody></table></div><nav class=\"pager\" aria-label=\"Pages of tenants\">");
            if (number > 1) html.Raw($"<a rel=\"prev\" href=\"{Root}?page={number - 1}\">Previous</a> ");
            if (number < pages) html.Raw($"<a rel=\"next\" href=\"{Root}?page={number + 1}\">Next</a>");
            html.Raw("</nav>");
        });
    }

    public static async Task<IResult> TenantAsync(HttpContext http, string id, string? from, string? to, UsageService usage, CancellationToken ct)
    {
        if (!TenantId.TryParse(id, out var tenant))
            return Page(http, "Not found", html => ConsoleLayout.Error(html, $"There is no tenant '{id}'. Pick one in the list."), StatusCodes.Status404NotFound);
        var statement = await usage.GetAsync(tenant, from, to, ct);
        if (!statement.IsOk)
            return Page(http, "Usage", html => ConsoleLayout.Error(html, statement.Error.Message),
                statement.Error.Code == Domain.Errors.ErrorCodes.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        return Page(http, "Usage of " + statement.Value.Tenant.Name, html =>
        {
            html.Raw($"<form class=\"filters\" method=\"get\" action=\"{Root}/tenants/{Html.Attr(id)}\">")
                .Raw($"<label for=\"usage-from\">From</label><input id=\"usage-from\" name=\"from\" type=\"text\" placeholder=\"YYYY-MM-DD or YYYY-MM\" value=\"{Html.Attr(from)}\">")
                .Raw($"<label for=\"usage-to\">To</label><input id=\"usage-to\" name=\"to\" type=\"text\" placeholder=\"YYYY-MM-DD or YYYY-MM\" value=\"{Html.Attr(to)}\">")
                .Raw("<button type=\"submit\">Show</button></form>");
            UsagePage.Write(html, statement.Value);
            html.Raw($"<p><a href=\"{Root}\">All tenants</a></p>");
        });
    }

    static IResult SignInForm(HttpContext http, string? error, int status) =>
        ConsoleLayout.Page(http, "Operator sign-in", html =>
        {
            ConsoleLayout.Error(html, error);
            html.Raw($"<form class=\"sign-in\" method=\"post\" action=\"{Root}/sign-in\">").Raw(ConsoleLayout.Antiforgery(http))
                .Raw("<label for=\"token\">Admin token</label><input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required>")
                .Raw("<button type=\"submit\">Sign in</button></form>")
                .Raw($"<p>Tenant users sign in at <a href=\"{ConsoleLayout.Root}/sign-in\">the console's sign-in</a>.</p>");
        }, status, signedIn: false);

    /// <summary>The operator's frame: no tenant navigation, its own sign-out.</summary>
    static IResult Page(HttpContext http, string title, Action<Html> body, int status = StatusCodes.Status200OK) =>
        ConsoleLayout.Page(http, title, html =>
        {
            html.Raw($"<form class=\"signout operator\" method=\"post\" action=\"{Root}/sign-out\">").Raw(ConsoleLayout.Antiforgery(http))
                .Raw($"<a href=\"{Root}\">Tenants</a> <span>Operator (read-only)</span> <button type=\"submit\">Sign out</button></form>");
            body(html);
        }, status, signedIn: false);
}
