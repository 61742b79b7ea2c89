using RevOps.Domain.Changes;
using RevOps.Domain.Metadata;
using RevOps.Server.Changes;
using RevOps.Server.Hosting;

namespace RevOps.Server.Console;

/// <summary>
/// Live changes: the latest changes rendered on the server, then every new one as it commits, from the same
/// change stream /api/changes/stream serves (server-sent events; a reconnect resumes at the last id). The object
/// and user filters narrow what the page shows.
/// </summary>
public static class FeedPage
{
    const int Recent = 30;

    public static async Task<IResult> ShowAsync(HttpContext http, IChangeStore store, ChangeService changes, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        long latest = await store.LatestSeqAsync(caller.Tenant, ct);
        var recent = await changes.ListAsync(caller, new ChangeFilter(Math.Max(0, latest - Recent), Recent), ct);
        return ConsoleLayout.Page(http, "Live changes", html =>
        {
            html.Raw("<form class=\"filters\" id=\"feed-filters\"><label for=\"feed-object\">Object</label><select id=\"feed-object\"><option value=\"\">All</option>");
            foreach (var obj in StandardObjects.All) html.Raw("<option>").Text(obj.Name).Raw("</option>");
            html.Raw("</select><label for=\"feed-user\">User</label><input id=\"feed-user\" type=\"text\" placeholder=\"Name or User Id\"></form>")
                .Raw("<p id=\"feed-status\" role=\"status\">Connecting…</p>")
                .Raw($"<ol id=\"feed\" class=\"feed\" aria-live=\"polite\" data-stream=\"{ConsoleLayout.Root}/changes/stream?since={latest}\">");
            if (recent.IsOk)
                foreach (var change in recent.Value.Changes.Reverse())
                {
                    html.Raw($"<li data-object=\"{Html.Attr(change.Object)}\" data-user=\"{Html.Attr(change.ActorName)} {Html.Attr(change.ActorId)}\">")
                        .Raw("<time>").Text(Html.Show(change.At)).Raw("</time> ").Text(change.ActorName ?? change.ActorId).Raw(" ").Text(change.Operation).Raw(" ")
                        .Raw($"<a href=\"{RecordPage.Link(change.RecordId)}\">").Text($"{change.Object} {change.RecordId}").Raw("</a> ")
                        .Text(string.Join(", ", change.Fields)).Raw("</li>");
                }
            html.Raw("</ol>");
        });
    }

    public static Task StreamAsync(HttpContext http, string? since, IChangeStore store, RevOpsOptions options, CancellationToken ct) =>
        ChangesApi.StreamAsync(http, since, store, options, ct);
}
