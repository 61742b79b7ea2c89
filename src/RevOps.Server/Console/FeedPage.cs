using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Server.Changes;
using RevOps.Server.Hosting;

namespace RevOps.Server.Console;

/// <summary>
/// Live changes: the latest changes rendered on the server, then every new one as it commits, from the same
/// change stream /api/changes/stream serves (server-sent events; a reconnect resumes at the last id). The object
/// and user filters are applied on the server, to the list and to the stream (?object=&amp;user=), so a narrow
/// feed does not carry the whole org's changes to the browser.
/// </summary>
public static class FeedPage
{
    const int Recent = 30;
    /// <summary>How far back a filtered page looks for its latest matching changes.</summary>
    const int Lookback = 1000;

    public static async Task<IResult> ShowAsync(HttpContext http, string? @object, string? user, IChangeStore store, ChangeService changes, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var filter = Filter.From(@object, user);
        long latest = await store.LatestSeqAsync(caller.Tenant, ct);
        int window = filter.IsEmpty ? Recent : Lookback;
        var listed = await changes.ListAsync(caller, new ChangeFilter(Math.Max(0, latest - window), window, Object: filter.Object), ct);
        var recent = listed.IsOk ? listed.Value.Changes.Where(filter.Keeps).TakeLast(Recent).Reverse().ToArray() : [];
        string stream = $"{ConsoleLayout.Root}/changes/stream?since={latest}{filter.Query}";
        return ConsoleLayout.Page(http, "Live changes", html =>
        {
            html.Raw($"<form class=\"filters\" id=\"feed-filters\" method=\"get\" action=\"{ConsoleLayout.Root}/feed\"><label for=\"feed-object\">Object</label>")
                .Raw("<select id=\"feed-object\" name=\"object\"><option value=\"\">All</option>");
            foreach (var obj in StandardObjects.All) html.Raw($"<option{(obj.Name == filter.Object ? " selected" : "")}>").Text(obj.Name).Raw("</option>");
            html.Raw($"</select><label for=\"feed-user\">User</label><input id=\"feed-user\" name=\"user\" type=\"text\" placeholder=\"Name or User Id\" value=\"{Html.Attr(filter.User)}\">")
                .Raw("<button type=\"submit\">Filter</button></form>")
                .Raw("<p id=\"feed-status\" role=\"status\">Connecting…</p>")
                .Raw($"<ol id=\"feed\" class=\"feed\" aria-live=\"polite\" data-since=\"{latest}\" data-stream=\"{Html.Attr(stream)}\">");
            foreach (var change in recent)
            {
                html.Raw($"<li data-object=\"{Html.Attr(change.Object)}\" data-user=\"{Html.Attr(change.ActorName)} {Html.Attr(change.ActorId)}\">")
                    .Raw("<time>").Text(Html.Show(change.At)).Raw("</time> ").Text(change.ActorName ?? change.ActorId).Raw(" ").Text(change.Operation).Raw(" ")
                    .Raw($"<a href=\"{RecordPage.Link(change.RecordId)}\">").Text($"{change.Object} {change.RecordId}").Raw("</a> ")
                    .Text(string.Join(", ", change.Fields)).Raw("</li>");
            }
            html.Raw("</ol>");
        });
    }

    public static Task StreamAsync(HttpContext http, string? since, string? @object, string? user, IChangeStore store, RevOpsOptions options, CancellationToken ct)
    {
        var filter = Filter.From(@object, user);
        return ChangesApi.StreamMatchingAsync(http, since, store, options, filter.IsEmpty ? null : filter.Keeps, ct);
    }

    /// <summary>The feed's filters: an object (by its API name) and a user (part of the name, or the User Id).</summary>
    sealed record Filter(string? Object, string? User)
    {
        public static Filter From(string? obj, string? user) => new(
            StandardObjects.TryGet(obj?.Trim() ?? "", out var o) ? o.Name : null,
            string.IsNullOrWhiteSpace(user) ? null : user.Trim());

        public bool IsEmpty => Object is null && User is null;

        public string Query => (Object is null ? "" : "&object=" + Html.Url(Object)) + (User is null ? "" : "&user=" + Html.Url(User));

        public bool Keeps(ChangeRow change) =>
            (Object is null || string.Equals(change.Object, Object, StringComparison.OrdinalIgnoreCase))
            && (User is null || change.ActorId == User || (change.ActorName?.Contains(User, StringComparison.OrdinalIgnoreCase) ?? false));
    }
}
