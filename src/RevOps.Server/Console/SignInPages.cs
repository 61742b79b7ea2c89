using Microsoft.AspNetCore.Authentication;
using RevOps.Domain.Users;

namespace RevOps.Server.Console;

/// <summary>Sign-in with email and password, and sign-out.</summary>
public static class SignInPages
{
    public static IResult Show(HttpContext http) => Form(http, null, null, StatusCodes.Status200OK);

    public static async Task<IResult> SubmitAsync(HttpContext http, SignInService signIns, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        string? username = form["username"];
        var result = await signIns.SignInAsync(username, form["password"], ct);
        if (!result.IsOk) return Form(http, username, result.Error.Message, StatusCodes.Status401Unauthorized);
        await http.SignInAsync(ConsoleAuthentication.Scheme, ConsoleUser.Principal(result.Value));
        return Results.Redirect(ConsoleLayout.Root + "/board");
    }

    public static async Task<IResult> SignOutAsync(HttpContext http)
    {
        await http.SignOutAsync(ConsoleAuthentication.Scheme);
        return Results.Redirect(ConsoleLayout.Root + "/sign-in");
    }

    static IResult Form(HttpContext http, string? username, string? error, int status) =>
        ConsoleLayout.Page(http, "Sign in", html =>
        {
            ConsoleLayout.Error(html, error);
            html.Raw($"<form class=\"sign-in\" method=\"post\" action=\"{ConsoleLayout.Root}/sign-in\">").Raw(ConsoleLayout.Antiforgery(http))
                .Raw("<label for=\"username\">Email</label>")
                .Raw($"<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required value=\"{Html.Attr(username)}\">")
                .Raw("<label for=\"password\">Password</label>")
                .Raw("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .Raw("<button type=\"submit\">Sign in</button></form>");
        }, status, signedIn: false);
}
