using System.Net.Http.Json;
using System.Text.Json;

namespace RevOps.Bench.SemanticEval;

/// <summary>Loads the generated records through the Salesforce REST API (sObject collections, 200 a request), accounts first.</summary>
public static class Loader
{
    const string Collections = "services/data/v60.0/composite/sobjects";

    /// <summary>Returns each generated key's record Id.</summary>
    public static async Task<Dictionary<string, string>> LoadAsync(HttpClient http, IReadOnlyList<GenRecord> data)
    {
        var ids = new Dictionary<string, string>();
        foreach (var group in new[] { "Account", "Contact", "Opportunity", "Task" })
        {
            var records = data.Where(r => r.Object == group).ToList();
            for (int from = 0; from < records.Count; from += 200)
            {
                var batch = records.Skip(from).Take(200).ToList();
                var body = batch.Select(r =>
                {
                    var fields = new Dictionary<string, object> { ["attributes"] = new Dictionary<string, string> { ["type"] = r.Object } };
                    foreach (var (k, v) in r.Fields) fields[k] = v;
                    if (r.AccountKey is { } account) fields[r.Object == "Task" ? "WhatId" : "AccountId"] = ids[account];
                    return fields;
                }).ToList();
                using var response = await http.PostAsJsonAsync(Collections, new { allOrNone = true, records = body });
                var results = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (!response.IsSuccessStatusCode || results.ValueKind != JsonValueKind.Array)
                    throw new InvalidOperationException($"loading {group} failed: {(int)response.StatusCode} {results}");
                int i = 0;
                foreach (var result in results.EnumerateArray())
                {
                    if (!result.GetProperty("success").GetBoolean()) throw new InvalidOperationException($"loading {group} failed: {result}");
                    ids[batch[i++].Key] = result.GetProperty("id").GetString()!;
                }
            }
        }
        return ids;
    }
}
