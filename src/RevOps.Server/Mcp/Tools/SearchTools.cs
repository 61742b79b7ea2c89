using System.Text.Json;
using RevOps.Domain.Search;
using RevOps.Domain.Search.Semantic;
using RevOps.Server.Search;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>search_crm: one full-text search across Accounts, Contacts, Leads and Opportunities.</summary>
public sealed class SearchTools(RankedSearch search) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("search_crm", "Search the CRM",
            "Search Accounts, Contacts, Leads and Opportunities by name, email, phone, company or title; run it before creating a record. " +
            "Records holding every word come first (matchedField says where); when fewer than limit do, close spellings follow (match:fuzzy) or, " +
            "with none, records holding some words (match:partial); with nothing, hint says what to try. " +
            "mode auto (default) also ranks by meaning, e.g. \"VP-level people at software companies\" (matchedBy, similarity; Tasks and Events too). E.g. {\"text\":\"Sarah Acme\"}",
            Params(new ToolSchema()),
            async (caller, args, ct) =>
            {
                foreach (var name in SearchQuery.TextArguments)
                    if (args.String(name) is { IsOk: false } bad) return ToolResults.Error(bad.Error);
                if (args.Strings("objects") is { IsOk: false } badObjects) return ToolResults.Error(badObjects.Error);
                if (args.Int("limit", SearchService.DefaultLimit) is { IsOk: false } badLimit) return ToolResults.Error(badLimit.Error);
                var query = SearchQuery.Parse(caller, args.String("text") is { IsOk: true } t ? t.Value : null, Text(args, "mode"), args.Strings("objects") is { IsOk: true } o ? o.Value : null,
                    args.Int("limit", SearchService.DefaultLimit) is { IsOk: true } l ? l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "invalid",
                    Text(args, SearchBuilder.OwnerArgument), Text(args, "industry"), Text(args, "stage"), Text(args, "createdAfter"), Text(args, "createdBefore"));
                if (!query.IsOk) return ToolResults.Error(query.Error);
                var q = query.Value;
                string fingerprint = PageCursor.Fingerprint("search_crm", args);
                var cursor = PageCursor.Decode(args.String(PageCursor.Argument) is { IsOk: true } c ? c.Value : null, fingerprint);
                if (!cursor.IsOk) return ToolResults.Error(cursor.Error);
                if (q.Filters.IsEmpty && (q.Mode == SearchMode.Keyword || !search.SemanticAvailable))
                {
                    // Keyword answers page on with a cursor; ranked modes answer one page (raise limit for more).
                    var found = await search.Keyword.SearchAsync(caller, q.Text, q.Objects, q.Limit, ct, cursor.Value.Offset);
                    if (!found.IsOk) return ToolResults.Error(found.Error);
                    string? next = found.Value.NextOffset is { } offset ? PageCursor.Encode(offset, found.Value.TotalSize, fingerprint) : null;
                    return ToolResults.FromJson(w => Write(w, found.Value, next));
                }
                var ranked = await search.SearchAsync(caller, q.Text, q.Objects, q.Limit, q.Mode, q.Filters, ct);
                if (!ranked.IsOk) return ToolResults.Error(ranked.Error);
                return ToolResults.FromJson(w => RankedJson.Write(w, ranked.Value));
            });
    }

    /// <summary>search_crm's parameters, which /api/search takes as query parameters too.</summary>
    static ToolSchema Params(ToolSchema schema) => schema
        .Param("text", "string", null, required: true)
        .Param("mode", "string", null, allowed: SearchQuery.Modes)
        .ParamArray("objects", "Default: all.", RankedSearch.ObjectNames)
        .Param("limit", "integer", $"Default {SearchService.DefaultLimit}.", minimum: 1, maximum: SearchService.MaxLimit)
        .Param(SearchBuilder.OwnerArgument, "string", null)
        .Param("industry", "string", null)
        .Param("stage", "string", null)
        .Param("createdAfter", "string", "Date.")
        .Param("createdBefore", "string", "Date.")
        .Param(PageCursor.Argument, "string", "nextCursor of the previous page (same text).");

    static string? Text(ToolArguments args, string name) => args.String(name) is { IsOk: true } value ? value.Value : null;

    /// <summary>{"totalSize", "count", "hasMore", "records": [{"object", "Id", "Name", "matchedField", key fields…}]}; empty fields are left out.</summary>
    static void Write(Utf8JsonWriter w, SearchResult result, string? nextCursor)
    {
        w.WriteStartObject();
        w.WriteNumber("totalSize", result.TotalSize);
        w.WriteNumber("count", result.Records.Count);
        w.WriteBoolean("hasMore", result.HasMore);
        if (nextCursor is not null) w.WriteString("nextCursor", nextCursor);
        w.WriteStartArray("records");
        foreach (var (hit, matched, match) in result.Records)
        {
            w.WriteStartObject();
            w.WriteString("object", hit.Object);
            w.WriteString("Id", hit.Id);
            Optional(w, "Name", hit.Name);
            w.WriteString("matchedField", matched);
            if (match is not null) w.WriteString("match", match);
            Optional(w, "Email", hit.Email);
            Optional(w, "Phone", hit.Phone);
            Optional(w, "MobilePhone", hit.MobilePhone);
            Optional(w, hit.Object == "Lead" ? "Company" : "AccountName", hit.Company);
            Optional(w, "Title", hit.Title);
            if (hit.Object == "Account") Optional(w, "Website", hit.Website);
            Optional(w, "StageName", hit.StageName);
            if (hit.Amount is { } amount) w.WriteNumber("Amount", amount);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (result.Hint is { } hint) WriteHint(w, hint, d => $"search_crm text='{d}'");
        w.WriteEndObject();
    }

    /// <summary>"hint": {"unmatched", "didYouMean"?, "tryNext"?}: what to search instead of creating a duplicate.</summary>
    public static void WriteHint(Utf8JsonWriter w, SearchHint hint, Func<string, string> nextSearch)
    {
        w.WriteStartObject("hint");
        w.WriteStartArray("unmatched");
        foreach (var word in hint.Unmatched) w.WriteStringValue(word);
        w.WriteEndArray();
        if (hint.DidYouMean.Count > 0)
        {
            w.WriteStartArray("didYouMean");
            foreach (var name in hint.DidYouMean) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteString("tryNext", nextSearch(hint.DidYouMean[0].Replace("'", "\\'")));
        }
        w.WriteEndObject();
    }

    public static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
