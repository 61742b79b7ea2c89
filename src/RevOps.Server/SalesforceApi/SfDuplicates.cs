using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// Duplicate handling asked of a REST write: Salesforce's <c>Sforce-Duplicate-Rule-Header: allowSave=true|false</c>
/// (true writes and reports, false blocks), or <c>?on_duplicate=report|skip|block</c>. Without either only the
/// tenant's blocking rules are checked (nothing is read for a tenant without any). REST has no "skipped" result, so
/// skip refuses the record as block does (the rest of a request without allOrNone is still written).
/// Blocked records answer DUPLICATES_DETECTED with a duplicateResult shaped as Salesforce's; reported ones carry
/// "possibleDuplicates" beside id and success, which clients ignore.
/// </summary>
public static class SfDuplicates
{
    public const string Header = "Sforce-Duplicate-Rule-Header";
    const string QueryParameter = "on_duplicate";
    /// <summary>Where a composite request leaves its own choice for the subrequests it runs.</summary>
    const string ItemKey = "revops.on_duplicate";

    public static CrmResult<WriteOptions> Read(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var carried) && carried is WriteOptions inherited) return inherited;
        var query = WriteOptions.ParsePolicy(http.Request.Query[QueryParameter].ToString(), QueryParameter);
        if (!query.IsOk) return query.Error;
        var policy = query.Value;
        if (policy is null && http.Request.Headers[Header].ToString() is { Length: > 0 } header)
        {
            var allowSave = header.Split(';', StringSplitOptions.TrimEntries)
                .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
                .FirstOrDefault(kv => kv.Length == 2 && string.Equals(kv[0], "allowSave", StringComparison.OrdinalIgnoreCase));
            policy = allowSave?[1].ToLowerInvariant() switch
            {
                "true" => DuplicatePolicy.Report,
                "false" => DuplicatePolicy.Block,
                _ => null,
            };
            if (policy is null)
                return new CrmError(ErrorCodes.InvalidArgument, $"{Header} must say allowSave=true or allowSave=false.", Header);
        }
        return new WriteOptions(OnDuplicate: policy == DuplicatePolicy.Skip ? DuplicatePolicy.Block : policy);
    }

    /// <summary>Hands the request's choice to a subrequest a composite request runs in a context of its own.</summary>
    public static void Carry(HttpContext inner, WriteOptions options) => inner.Items[ItemKey] = options;

    /// <summary>Salesforce's duplicateResult of a refused save: the rule and, per object, the matching records.</summary>
    public static void WriteResult(Utf8JsonWriter w, SfError error)
    {
        if (error.Duplicates is not { Count: > 0 } matches) return;
        w.WriteStartObject("duplicateResult");
        w.WriteBoolean("allowSave", false);
        w.WriteString("duplicateRule", matches[0].Rule);
        w.WriteString("duplicateRuleEntityType", error.Object ?? matches[0].Object);
        w.WriteString("errorMessage", error.Message);
        w.WriteStartArray("matchResults");
        foreach (var group in matches.GroupBy(m => m.Object))
        {
            w.WriteStartObject();
            w.WriteString("entityType", group.Key);
            w.WriteStartArray("errors");
            w.WriteEndArray();
            w.WriteString("matchEngine", "ExactMatchEngine");
            w.WriteStartArray("matchRecords");
            foreach (var match in group)
            {
                w.WriteStartObject();
                w.WriteStartArray("additionalInformation");
                w.WriteEndArray();
                w.WriteStartArray("fieldDiffs");
                w.WriteEndArray();
                w.WriteNumber("matchConfidence", 100.0);
                w.WriteStartObject("record");
                w.WriteStartObject("attributes");
                w.WriteString("type", match.Object);
                w.WriteEndObject();
                w.WriteString("Id", match.Id);
                if (match.Name is not null) w.WriteString("Name", match.Name);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("rule", string.Join(",", group.Select(m => m.Rule).Distinct()));
            w.WriteNumber("size", group.Count());
            w.WriteBoolean("success", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
