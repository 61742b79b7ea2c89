using System.Globalization;
using RevOps.Domain;
using RevOps.Domain.Metadata;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Users;

namespace RevOps.Server.Console;

/// <summary>
/// The pipeline board: open opportunities in a column per stage with each stage's total and weighted total,
/// filtered by owner and close dates, and the forecast by close month. A card moves by drag and drop (the
/// script posts the card's own form) or by its stage list and Move button (keyboard, no script): one update
/// through the record service, so the stage's rules, the change log and webhooks see a console move like any other.
/// </summary>
public static class BoardPage
{
    /// <summary>Cards per column: the biggest deals; the column's figures still count every deal, and a link lists the rest.</summary>
    public const int CardsPerStage = 50;
    static ObjectMetadata Opportunity => StandardObjects.Opportunity;
    static readonly IReadOnlyList<OpportunityStages.Stage> OpenStages = OpportunityStages.All.Where(s => !s.IsClosed).ToArray();

    public static async Task<IResult> ShowAsync(HttpContext http, string? owner, string? from, string? to, RecordService records, PipelineService pipeline,
        UserService users, CancellationToken ct) =>
        await RenderAsync(http, owner, from, to, null, StatusCodes.Status200OK, records, pipeline, users, ct);

    public static async Task<IResult> MoveAsync(HttpContext http, RecordService records, PipelineService pipeline, UserService users, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        var form = await http.Request.ReadFormAsync(ct);
        string? stage = form["StageName"];
        var input = ConsoleInput.From([new("StageName", stage)]);
        var moved = await records.UpdateAsync(caller, Opportunity, form["id"], input, ct);
        string? owner = form["owner"], from = form["from"], to = form["to"];
        if (!moved.IsOk)
            return await RenderAsync(http, owner, from, to, moved.Error.Message, StatusCodes.Status422UnprocessableEntity, records, pipeline, users, ct);
        return Results.Redirect(ConsoleLayout.Root + "/board" + Query(owner, from, to), permanent: false, preserveMethod: false);
    }

    static async Task<IResult> RenderAsync(HttpContext http, string? owner, string? from, string? to, string? error, int status,
        RecordService records, PipelineService pipeline, UserService users, CancellationToken ct)
    {
        var caller = ConsoleUser.Of(http)!;
        owner = string.IsNullOrWhiteSpace(owner) ? null : owner.Trim();
        from = string.IsNullOrWhiteSpace(from) ? null : from.Trim();
        to = string.IsNullOrWhiteSpace(to) ? null : to.Trim();
        var summary = await pipeline.SummarizeAsync(caller, null, from, to, new PipelineOptions(from, to, owner), ct);
        if (!summary.IsOk) { error ??= summary.Error.Message; status = StatusCodes.Status400BadRequest; }
        var cards = new Dictionary<string, IReadOnlyList<Record>>(StringComparer.OrdinalIgnoreCase);
        if (summary.IsOk)
            foreach (var stage in OpenStages)
            {
                // The summary counted the stage already: the page query need not count again.
                long counted = summary.Value.ByStage.FirstOrDefault(b => string.Equals(b.Key, stage.Name, StringComparison.OrdinalIgnoreCase))?.Count ?? 0;
                cards[stage.Name] = counted == 0 ? [] : await BiggestDealsAsync(caller, records, summary.Value.Filter, stage.Name, counted, ct);
            }
        var people = await users.ListAsync(caller.Tenant, ct);
        var names = people.ToDictionary(u => u.Id, u => u.Name);

        return ConsoleLayout.Page(http, "Pipeline", html =>
        {
            ConsoleLayout.Error(html, error);
            html.Raw($"<form class=\"filters\" method=\"get\" action=\"{ConsoleLayout.Root}/board\">")
                .Raw("<label for=\"owner\">Owner</label><select id=\"owner\" name=\"owner\"><option value=\"\">Everyone</option>");
            foreach (var person in people.Where(p => p.IsActive))
                html.Raw($"<option value=\"{Html.Attr(person.Id)}\"{(person.Id == owner ? " selected" : "")}>").Text(person.Name).Raw("</option>");
            html.Raw("</select>")
                .Raw($"<label for=\"from\">Closing from</label><input id=\"from\" name=\"from\" type=\"date\" value=\"{Html.Attr(from)}\">")
                .Raw($"<label for=\"to\">to</label><input id=\"to\" name=\"to\" type=\"date\" value=\"{Html.Attr(to)}\">")
                .Raw("<button type=\"submit\">Filter</button></form>");
            string antiforgery = ConsoleLayout.Antiforgery(http);
            var byStage = summary.IsOk ? summary.Value.ByStage.ToDictionary(b => b.Key, StringComparer.OrdinalIgnoreCase) : [];
            html.Raw("<div class=\"board\">");
            foreach (var stage in OpenStages)
            {
                var bucket = byStage.GetValueOrDefault(stage.Name) ?? new PipelineBucket(stage.Name, 0, 0, 0);
                html.Raw($"<section class=\"column\" data-stage=\"{Html.Attr(stage.Name)}\" aria-label=\"{Html.Attr(stage.Name)}\"><h2>").Text(stage.Name).Raw("</h2>")
                    .Raw("<p class=\"totals\"><span class=\"count\">").Text(bucket.Count.ToString(CultureInfo.InvariantCulture)).Raw(bucket.Count == 1 ? " deal</span> · " : " deals</span> · ")
                    .Raw("<span class=\"total\">").Text(Html.Money(bucket.Amount)).Raw("</span> · weighted <span class=\"weighted\">")
                    .Text(Html.Money(bucket.WeightedAmount)).Raw("</span></p><ul class=\"cards\">");
                var shown = cards.GetValueOrDefault(stage.Name) ?? [];
                foreach (var deal in shown) Card(html, deal, stage.Name, names, antiforgery, owner, from, to);
                html.Raw("</ul>");
                if (bucket.Count > shown.Count)
                    html.Raw($"<a class=\"more\" href=\"{ConsoleLayout.Root}/o/Opportunity?field=StageName&amp;value={Html.Url(stage.Name)}\">")
                        .Text($"{bucket.Count - shown.Count} more").Raw("</a>");
                html.Raw("</section>");
            }
            html.Raw("</div>");
            if (summary.IsOk) Forecast(html, summary.Value.ByCloseMonth);
        }, status);
    }

    static void Card(Html html, Record deal, string stage, IReadOnlyDictionary<string, string> names, string antiforgery, string? owner, string? from, string? to)
    {
        string id = deal.Id;
        html.Raw($"<li class=\"card\" draggable=\"true\" data-id=\"{Html.Attr(id)}\">")
            .Raw($"<a href=\"{ConsoleLayout.Root}/r/{Html.Url(id)}\">").Text(deal["Name"] as string).Raw("</a>")
            .Raw("<span class=\"amount\">").Text(deal["Amount"] is double amount ? Html.Money(amount) : "—").Raw("</span>")
            .Raw("<span class=\"meta\">").Text(Html.Show(deal["CloseDate"])).Raw(" · ")
            .Text(deal["OwnerId"] is string o && names.TryGetValue(o, out var name) ? name : "").Raw("</span>")
            .Raw($"<form class=\"move\" method=\"post\" action=\"{ConsoleLayout.Root}/board/move\">").Raw(antiforgery)
            .Raw($"<input type=\"hidden\" name=\"id\" value=\"{Html.Attr(id)}\">")
            .Raw($"<input type=\"hidden\" name=\"owner\" value=\"{Html.Attr(owner)}\"><input type=\"hidden\" name=\"from\" value=\"{Html.Attr(from)}\"><input type=\"hidden\" name=\"to\" value=\"{Html.Attr(to)}\">")
            .Raw($"<label for=\"stage-{Html.Attr(id)}\" class=\"visually-hidden\">Stage of ").Text(deal["Name"] as string).Raw("</label>")
            .Raw($"<select id=\"stage-{Html.Attr(id)}\" name=\"StageName\">");
        foreach (var s in OpportunityStages.All)
            html.Raw($"<option{(s.Name == stage ? " selected" : "")}>").Text(s.Name).Raw("</option>");
        html.Raw("</select><button type=\"submit\">Move</button></form></li>");
    }

    /// <summary>Open amount and weighted amount by close month, as bars scaled to the biggest month.</summary>
    static void Forecast(Html html, IReadOnlyList<PipelineBucket> months)
    {
        html.Raw("<section class=\"forecast\" aria-label=\"Forecast by close month\"><h2>Forecast by close month</h2>");
        if (months.Count == 0) { html.Raw("<p>No open deals.</p></section>"); return; }
        double max = Math.Max(months.Max(m => m.Amount), 1);
        html.Raw("<table><thead><tr><th scope=\"col\">Month</th><th scope=\"col\">Open</th><th scope=\"col\">Weighted</th><th scope=\"col\">Chart</th></tr></thead><tbody>");
        foreach (var month in months)
        {
            int width = (int)Math.Round(month.Amount / max * 100), weighted = (int)Math.Round(month.WeightedAmount / max * 100);
            html.Raw("<tr><th scope=\"row\">").Text(month.Key).Raw("</th><td>").Text(Html.Money(month.Amount)).Raw("</td><td>").Text(Html.Money(month.WeightedAmount))
                .Raw($"</td><td><meter class=\"bar\" min=\"0\" max=\"100\" value=\"{width}\" aria-label=\"Open {Html.Attr(month.Key)}\"></meter>")
                .Raw($"<meter class=\"bar weighted\" min=\"0\" max=\"100\" value=\"{weighted}\" aria-label=\"Weighted {Html.Attr(month.Key)}\"></meter></td></tr>");
        }
        html.Raw("</tbody></table></section>");
    }

    /// <summary>A stage's biggest open deals under the summary's filter (same owner and close dates).</summary>
    static async Task<IReadOnlyList<Record>> BiggestDealsAsync(Domain.Tenancy.Caller caller, RecordService records, PipelineFilter filter, string stage, long counted, CancellationToken ct)
    {
        var conditions = new List<IReadOnlyList<Condition>>
        {
            new[] { new Condition(Opportunity.Field("IsClosed"), ConditionOp.Equals, false) },
            new[] { new Condition(Opportunity.Field("StageName"), ConditionOp.Equals, stage) },
        };
        if (filter.OwnerId is { } ownerId) conditions.Add([new Condition(Opportunity.Field("OwnerId"), ConditionOp.Equals, ownerId)]);
        if (filter.CloseFrom is { } closeFrom) conditions.Add([new Condition(Opportunity.Field("CloseDate"), ConditionOp.GreaterOrEqual, closeFrom)]);
        if (filter.CloseTo is { } closeTo) conditions.Add([new Condition(Opportunity.Field("CloseDate"), ConditionOp.LessOrEqual, closeTo)]);
        var page = await records.QueryAsync(caller, Opportunity, new RecordQuery(conditions, Opportunity.Field("Amount"), Descending: true, CardsPerStage), ct, counted);
        return page.IsOk ? page.Value.Records : [];
    }

    static string Query(string? owner, string? from, string? to)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(owner)) parts.Add("owner=" + Html.Url(owner));
        if (!string.IsNullOrWhiteSpace(from)) parts.Add("from=" + Html.Url(from));
        if (!string.IsNullOrWhiteSpace(to)) parts.Add("to=" + Html.Url(to));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
