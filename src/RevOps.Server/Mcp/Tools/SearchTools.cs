using System.Text.Json;
using RevOps.Domain.Search;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>search_crm: one full-text search across Accounts, Contacts, Leads and Opportunities.</summary>
public sealed class SearchTools(SearchService search) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("search_crm", "Search the CRM",
            "Search Accounts, Contacts, Leads and Opportunities by name, email, phone, company or title; run it before creating a record. " +
            "Records holding every word come first (matchedField says where); when fewer than limit do, close spellings follow (match:fuzzy) or, " +
            "with none, records holding some words (match:partial); with nothing, hint says what to try. E.g. {\"text\":\"Sarah Acme\"}",
            new ToolSchema()
                .Param("text", "string", null, required: true)
                .ParamArray("objects", "Default: all four.", SearchService.SearchableNames)
                .Param("limit", "integer", $"Default {SearchService.DefaultLimit}.", minimum: 1, maximum: SearchService.MaxLimit)
                .Param(PageCursor.Argument, "string", "nextCursor of the previous page (same text)."),
            async (caller, args, ct) =>
            {
                var text = args.String("text");
                if (!text.IsOk) return ToolResults.Error(text.Error);
                var objects = args.Strings("objects");
                if (!objects.IsOk) return ToolResults.Error(objects.Error);
                var limit = args.Int("limit", SearchService.DefaultLimit);
                if (!limit.IsOk) return ToolResults.Error(limit.Error);
                string fingerprint = PageCursor.Fingerprint("search_crm", args);
                var cursor = PageCursor.Decode(args.String(PageCursor.Argument) is { IsOk: true } c ? c.Value : null, fingerprint);
                if (!cursor.IsOk) return ToolResults.Error(cursor.Error);
                var found = await search.SearchAsync(caller, text.Value, objects.Value, limit.Value, ct, cursor.Value.Offset);
                if (!found.IsOk) return ToolResults.Error(found.Error);
                string? next = found.Value.NextOffset is { } offset ? PageCursor.Encode(offset, found.Value.TotalSize, fingerprint) : null;
                return ToolResults.FromJson(w => Write(w, found.Value, next));
            });
    }

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

    static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
