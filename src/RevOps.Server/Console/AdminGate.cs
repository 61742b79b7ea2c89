using RevOps.Domain.Tenancy;

namespace RevOps.Server.Console;

/// <summary>What every admin page shares: only admins pass, others get a 403 page; and the admin pages' own navigation.</summary>
public static class AdminGate
{
    static readonly (string Path, string Name)[] Sections =
    [
        ("/admin", "Users and keys"), ("/admin/fields", "Custom fields"), ("/admin/webhooks", "Webhooks"),
        ("/admin/duplicates", "Duplicate rules"), ("/admin/import", "Import"), ("/admin/audit", "Audit log"),
    ];

    public static Caller? Admin(HttpContext http) => ConsoleUser.Of(http) is { IsAdmin: true } caller ? caller : null;

    public static IResult Forbidden(HttpContext http) =>
        ConsoleLayout.Page(http, "Admins only", html => html.Raw("<p class=\"error\" role=\"alert\">This page is for your org's admins. Ask one of them to make you an admin.</p>"),
            StatusCodes.Status403Forbidden);

    public static void Nav(Html html, string current)
    {
        html.Raw("<nav class=\"sections\" aria-label=\"Admin\">");
        foreach (var (path, name) in Sections)
            html.Raw($"<a href=\"{ConsoleLayout.Root}{path}\"{(path == current ? " aria-current=\"page\"" : "")}>").Text(name).Raw("</a>");
        html.Raw("</nav>");
    }

    public static void Error(Html html, Domain.Errors.CrmError? error)
    {
        if (error is not null) ConsoleLayout.Error(html, error.Field is { } f ? $"{error.Message} ({f})" : error.Message);
    }
}
