using Microsoft.AspNetCore.Antiforgery;
using RevOps.Domain.Metadata;

namespace RevOps.Server.Console;

/// <summary>The frame of every console page: head, navigation, global search, sign-out, and the antiforgery field forms carry.</summary>
public static class ConsoleLayout
{
    public const string Root = "/console";

    /// <summary>The objects the console lists, in the navigation's order.</summary>
    public static readonly IReadOnlyList<ObjectMetadata> Objects = StandardObjects.All;

    public static IResult Page(HttpContext http, string title, Action<Html> body, int status = StatusCodes.Status200OK, bool signedIn = true)
    {
        var html = new Html();
        html.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\">")
            .Raw("<title>").Text(title).Raw(" · RevOps</title>")
            .Raw($"<link rel=\"stylesheet\" href=\"{Root}/assets/console.css\"><script src=\"{Root}/assets/console.js\" defer></script></head><body>");
        if (signedIn)
        {
            var user = ConsoleUser.Of(http);
            html.Raw("<header class=\"top\"><nav aria-label=\"Main\"><a class=\"brand\" href=\"").Raw(Root).Raw("/board\">RevOps</a>")
                .Raw($"<a href=\"{Root}/board\">Pipeline</a>");
            foreach (var obj in Objects) html.Raw($"<a href=\"{Root}/o/{obj.Name}\">").Text(obj.Plural).Raw("</a>");
            html.Raw($"<a href=\"{Root}/feed\">Live changes</a><a href=\"{Root}/usage\">Usage</a>");
            if (user?.IsAdmin == true) html.Raw($"<a href=\"{Root}/admin\">Admin</a>");
            html.Raw("</nav>")
                .Raw($"<form class=\"search\" role=\"search\" method=\"get\" action=\"{Root}/search\"><label for=\"global-search\">Search</label>")
                .Raw("<input id=\"global-search\" name=\"q\" type=\"search\" placeholder=\"Name, email, phone…\"><button type=\"submit\">Go</button></form>")
                .Raw($"<form class=\"signout\" method=\"post\" action=\"{Root}/sign-out\">").Raw(Antiforgery(http))
                .Raw("<span class=\"who\">").Text(user?.ActorName).Raw("</span><button type=\"submit\">Sign out</button></form></header>");
        }
        html.Raw("<main id=\"main\"><h1>").Text(title).Raw("</h1>");
        body(html);
        html.Raw("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The hidden field every form posts back; its cookie half is set on the same response.</summary>
    public static string Antiforgery(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{Html.Attr(tokens.FormFieldName)}\" value=\"{Html.Attr(tokens.RequestToken)}\">";
    }

    public static void Error(Html html, string? message)
    {
        if (message is not null) html.Raw("<p class=\"error\" role=\"alert\">").Text(message).Raw("</p>");
    }
}
