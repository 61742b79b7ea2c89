using RevOps.Domain.Errors;
using RevOps.Domain.Search;

namespace RevOps.Server.Console;

/// <summary>The global search box: the same search the agents' search tool runs, across every searchable object.</summary>
public static class SearchPage
{
    const int Limit = 50;

    public static async Task<IResult> ShowAsync(HttpContext http, string? q, SearchService search, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        CrmResult<SearchResult>? found = string.IsNullOrWhiteSpace(q) ? (CrmResult<SearchResult>?)null : await search.SearchAsync(caller, q, null, Limit, ct);
        return ConsoleLayout.Page(http, "Search", html =>
        {
            html.Raw($"<form class=\"filters\" role=\"search\" method=\"get\" action=\"{ConsoleLayout.Root}/search\"><label for=\"q\">Find</label>")
                .Raw($"<input id=\"q\" name=\"q\" type=\"search\" value=\"{Html.Attr(q)}\"><button type=\"submit\">Search</button></form>");
            if (found is not { } answer) return;
            if (!answer.IsOk) { ConsoleLayout.Error(html, answer.Error.Message); return; }
            var result = answer.Value;
            html.Raw("<p class=\"count\">").Text($"{result.TotalSize} found").Raw("</p>");
            if (result.Hint is { DidYouMean.Count: > 0 } hint) html.Raw("<p class=\"hint\">Did you mean: ").Text(string.Join(", ", hint.DidYouMean)).Raw("?</p>");
            html.Raw("<ul class=\"results\">");
            foreach (var match in result.Records)
            {
                var hit = match.Hit;
                html.Raw($"<li><a href=\"{RecordPage.Link(hit.Id)}\">").Text(hit.Name ?? hit.Id).Raw("</a> <small>").Text(hit.Object)
                    .Raw("</small> ").Text(string.Join(" · ", new[] { hit.Company, hit.Email, hit.Phone, hit.StageName }.Where(v => !string.IsNullOrEmpty(v)))).Raw("</li>");
            }
            html.Raw("</ul>");
        });
    }
}
