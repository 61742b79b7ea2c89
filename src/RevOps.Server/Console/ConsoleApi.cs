using Microsoft.AspNetCore.Antiforgery;
using RevOps.Server.Limits;

namespace RevOps.Server.Console;

/// <summary>
/// The web console at /console (/ redirects there): server-rendered pages, a stylesheet and one small script,
/// all served by this process. Every page is the signed-in user acting through the domain services, under the
/// tenant's rate limit; every POST carries an antiforgery token; every answer carries a strict CSP.
/// </summary>
public static class ConsoleApi
{
    const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect(ConsoleLayout.Root)).ExcludeFromDescription();
        var console = app.MapGroup(ConsoleLayout.Root).AddEndpointFilter(SecurityHeadersAsync);
        console.MapGet("/assets/{name}", ConsoleAssets.Serve);
        console.MapGet("/sign-in", SignInPages.Show);
        console.MapPost("/sign-in", SignInPages.SubmitAsync).AddEndpointFilter(AntiforgeryAsync);

        var pages = console.MapGroup("").RequireAuthorization(ConsoleAuthentication.Policy).AddEndpointFilter(RateLimitAsync).AddEndpointFilter(AntiforgeryAsync);
        pages.MapGet("", () => Results.Redirect(ConsoleLayout.Root + "/board"));
        pages.MapPost("/sign-out", (Delegate)SignInPages.SignOutAsync);
        pages.MapGet("/board", BoardPage.ShowAsync);
        pages.MapPost("/board/move", BoardPage.MoveAsync);
        pages.MapGet("/o/{objectName}", ListPage.ShowAsync);
        pages.MapGet("/r/{id}", RecordPage.ShowAsync);
        pages.MapPost("/r/{id}", RecordPage.SaveAsync);
        pages.MapPost("/r/{id}/delete", RecordPage.DeleteAsync);
        pages.MapPost("/r/{id}/restore", RecordPage.RestoreAsync);
        pages.MapPost("/r/{id}/undo", RecordPage.UndoAsync);
        pages.MapGet("/search", SearchPage.ShowAsync);
        pages.MapGet("/feed", FeedPage.ShowAsync);
        pages.MapGet("/changes/stream", FeedPage.StreamAsync);
        pages.MapGet("/admin", AdminPage.ShowAsync);
        pages.MapPost("/admin/users", AdminPage.CreateUserAsync);
        pages.MapPost("/admin/users/{id}/active", AdminPage.SetActiveAsync);
        pages.MapPost("/admin/users/{id}/password", AdminPage.SetPasswordAsync);
        pages.MapPost("/admin/keys", AdminPage.CreateKeyAsync);
        pages.MapPost("/admin/keys/{id}/revoke", AdminPage.RevokeKeyAsync);
        pages.MapGet("/usage", UsagePage.ShowAsync);
        pages.MapGet("/admin/fields", CustomFieldsPage.ShowAsync);
        pages.MapPost("/admin/fields", CustomFieldsPage.DefineAsync);
        pages.MapPost("/admin/fields/delete", CustomFieldsPage.DeleteAsync);
        pages.MapGet("/admin/webhooks", WebhooksPage.ShowAsync);
        pages.MapPost("/admin/webhooks", WebhooksPage.CreateAsync);
        pages.MapGet("/admin/webhooks/{id}", WebhooksPage.LogAsync);
        pages.MapPost("/admin/webhooks/{id}/edit", WebhooksPage.EditAsync);
        pages.MapPost("/admin/webhooks/{id}/delete", WebhooksPage.DeleteAsync);
        pages.MapPost("/admin/webhooks/{id}/test", WebhooksPage.TestAsync);
        pages.MapPost("/admin/webhooks/deliveries/{id}/redeliver", WebhooksPage.RedeliverAsync);
        pages.MapGet("/admin/import", ImportPage.ShowAsync);
        pages.MapPost("/admin/import", ImportPage.UploadAsync).WithFormOptions(multipartBodyLengthLimit: ImportPage.MaxBytes + 64 * 1024);
        // The mapping form carries the file back as a field (up to MaxBytes of text, its markup escaped by the browser's encoding).
        pages.MapPost("/admin/import/start", ImportPage.StartAsync).WithFormOptions(valueLengthLimit: 2 * ImportPage.MaxBytes, multipartBodyLengthLimit: 2 * ImportPage.MaxBytes + 64 * 1024);
        pages.MapGet("/admin/import/{id}", ImportPage.ProgressAsync);
        pages.MapGet("/admin/import/{id}/errors.csv", ImportPage.ErrorsFileAsync);
        pages.MapGet("/admin/audit", AuditPage.ShowAsync);
        pages.MapGet("/admin/duplicates", DuplicateRulesPage.ShowAsync);
        pages.MapPost("/admin/duplicates", DuplicateRulesPage.SaveAsync);

        // The operator's pages: their own sign-in (the admin token), cookie and policy; no tenant session opens them.
        console.MapGet("/operator/sign-in", OperatorPages.ShowSignIn);
        console.MapPost("/operator/sign-in", OperatorPages.SignInAsync).AddEndpointFilter(AntiforgeryAsync);
        var operatorPages = console.MapGroup("/operator").RequireAuthorization(OperatorAuthentication.Policy).AddEndpointFilter(AntiforgeryAsync);
        operatorPages.MapGet("", OperatorPages.TenantsAsync);
        operatorPages.MapGet("/tenants/{id}", OperatorPages.TenantAsync);
        operatorPages.MapPost("/sign-out", (Delegate)OperatorPages.SignOutAsync);
        return console;
    }

    static async ValueTask<object?> SecurityHeadersAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Csp;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        return await next(context);
    }

    /// <summary>Every POST proves it came from a console page: a form without the token is refused with 400 and changes nothing.</summary>
    static async ValueTask<object?> AntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method)) return await next(context);
        if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return ConsoleLayout.Page(http, "Form expired", html => html.Raw("<p class=\"error\" role=\"alert\">This form was not sent from a current console page (its antiforgery token is missing or stale). Go back, reload the page and send it again.</p>"),
                StatusCodes.Status400BadRequest, signedIn: false);
        return await next(context);
    }

    /// <summary>The console counts against its tenant's rate limit like MCP and the REST API do.</summary>
    static async ValueTask<object?> RateLimitAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (ConsoleUser.Of(http) is not { } caller) return Results.Redirect(ConsoleLayout.Root + "/sign-in");
        var decision = await http.RequestServices.GetRequiredService<TenantRateLimiter>().TryAcquireAsync(caller.Tenant, http.RequestAborted);
        if (decision.Allowed) return await next(context);
        http.RequestServices.GetRequiredService<Usage.UsageMeter>().RecordRateLimited(caller.Tenant, "console");
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(decision.RetryAfter.TotalSeconds, 0.1))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ConsoleLayout.Page(http, "Slow down", html => html.Raw("<p class=\"error\" role=\"alert\">").Text($"Your org's {decision.Tier} tier allows {decision.Limit.PerSecond} requests per second. Wait a moment and reload.").Raw("</p>"),
            StatusCodes.Status429TooManyRequests);
    }
}
