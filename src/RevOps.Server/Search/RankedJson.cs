using System.Text.Json;
using RevOps.Domain.Search.Semantic;

namespace RevOps.Server.Search;

/// <summary>A ranked search's answer as search_crm and /api/search show it; each record says why it is there.</summary>
public static class RankedJson
{
    /// <summary>
    /// {"mode", "totalSize", "count", "records": [{"object", "Id", "Name", "matchedBy", "matchedField"?, "match"?, "similarity"?, "score", key fields…}], "note"?, "hint"?}
    /// </summary>
    public static void Write(Utf8JsonWriter w, RankedResult result)
    {
        w.WriteStartObject();
        w.WriteString("mode", result.Mode);
        // totalSize as the keyword answer has always carried it, so clients that read it keep working.
        w.WriteNumber("totalSize", result.Records.Count);
        w.WriteNumber("count", result.Records.Count);
        w.WriteStartArray("records");
        foreach (var match in result.Records)
        {
            var hit = match.Hit;
            w.WriteStartObject();
            w.WriteString("object", hit.Object);
            w.WriteString("Id", hit.Id);
            Optional(w, "Name", hit.Name);
            w.WriteString("matchedBy", match.MatchedBy);
            if (match.MatchedField is not null) w.WriteString("matchedField", match.MatchedField);
            if (match.Match is not null) w.WriteString("match", match.Match);
            if (match.Similarity is { } similarity) w.WriteNumber("similarity", Math.Round(similarity, 3));
            w.WriteNumber("score", Math.Round(match.Score, 5));
            Optional(w, "Email", hit.Email);
            Optional(w, "Phone", hit.Phone);
            Optional(w, hit.Object == "Lead" ? "Company" : "AccountName", hit.Company);
            Optional(w, "Title", hit.Title);
            Optional(w, "StageName", hit.StageName);
            if (hit.Amount is { } amount) w.WriteNumber("Amount", amount);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (result.Note is not null) w.WriteString("note", result.Note);
        if (result.Hint is { } hint)
        {
            w.WriteStartObject("hint");
            w.WriteStartArray("unmatched");
            foreach (var word in hint.Unmatched) w.WriteStringValue(word);
            w.WriteEndArray();
            w.WriteStartArray("didYouMean");
            foreach (var name in hint.DidYouMean) w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
