using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// POST /composite/tree/{SObjectName}: Salesforce's sObject Tree. Records with their children nested
/// under child relationship names, up to 200 in all and 5 levels deep, created in one transaction:
/// 201 {"hasErrors": false, "results": [{"referenceId", "id"}]} (parents first, level by level), or
/// 400 {"hasErrors": true, "results": [{"referenceId", "errors": [{statusCode, message, fields}]}]} and nothing written.
/// </summary>
public static class CompositeTreeEndpoint
{
    public static void Map(RouteGroupBuilder data) => data.MapPost("/composite/tree/{type}", CreateAsync);

    static async Task<IResult> CreateAsync(HttpContext http, string version, string type, RecordTree tree, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (root, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        if (!body.TryGetProperty("records", out var records))
            return SfJson.Error(SfError.JsonParser($"Send {{\"records\": [{{\"attributes\": {{\"type\": \"{root.Name}\", \"referenceId\": \"ref1\"}}, …}}]}}."));

        var outcome = await tree.CreateAsync(SfRequest.Caller(http), root, records, lenient: false, ct);
        // A body that is no tree at all (no records, more than 200) is the request's error, not a record's.
        if (!outcome.IsOk)
            return SfJson.Error(outcome.Error.Code == Domain.Errors.ErrorCodes.InvalidArgument
                ? new SfError(400, "INVALID_BATCH_REQUEST", outcome.Error.Message)
                : SfError.From(outcome.Error));
        var result = outcome.Value;
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("hasErrors", result.HasErrors);
            w.WriteStartArray("results");
            if (result.HasErrors)
            {
                foreach (var error in result.Errors)
                {
                    var sf = SfError.From(error.Error);
                    w.WriteStartObject();
                    w.WriteString("referenceId", error.ReferenceId);
                    w.WriteStartArray("errors");
                    w.WriteStartObject();
                    w.WriteString("statusCode", sf.ErrorCode);
                    w.WriteString("message", sf.Message);
                    w.WriteStartArray("fields");
                    foreach (var field in sf.Fields ?? []) w.WriteStringValue(field);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
            }
            else
            {
                foreach (var created in result.Created)
                {
                    w.WriteStartObject();
                    w.WriteString("referenceId", created.ReferenceId);
                    w.WriteString("id", created.Id);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, result.HasErrors ? 400 : 201);
    }
}
