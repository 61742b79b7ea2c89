using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// POST /composite: up to 25 subrequests in one call, later ones using earlier results through
/// @{referenceId.field}. Without allOrNone each runs on its own; with allOrNone the creates,
/// updates and deletes are validated together and committed in one transaction, or none is.
/// </summary>
public static partial class CompositeEndpoint
{
    const int MaxSubrequests = 25;

    public static void Map(RouteGroupBuilder data) => data.MapPost("/composite", RunAsync);

    sealed record Subrequest(string Method, string Url, string ReferenceId, JsonElement? Body);

    sealed record SubResponse(string ReferenceId, int Status, string? Body, string? Location = null);

    [GeneratedRegex(@"@\{([A-Za-z0-9_]+)\.([^}]+)\}")]
    private static partial Regex Reference();

    static async Task<IResult> RunAsync(HttpContext http, string version, RecordBatch batch, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        bool allOrNone = body.TryGetProperty("allOrNone", out var all) && all.ValueKind == JsonValueKind.True;
        if (!body.TryGetProperty("compositeRequest", out var list) || list.ValueKind != JsonValueKind.Array)
            return SfJson.Error(SfError.JsonParser("Send {\"allOrNone\": false, \"compositeRequest\": [{\"method\", \"url\", \"referenceId\", \"body\"}, …]}."));
        var subrequests = new List<Subrequest>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                return SfJson.Error(SfError.JsonParser("Every subrequest must be a JSON object with method, url and referenceId."));
            string? method = item.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            string? url = item.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            string? referenceId = item.TryGetProperty("referenceId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (method is null || url is null || referenceId is null)
                return SfJson.Error(SfError.JsonParser("Every subrequest needs method, url and referenceId."));
            subrequests.Add(new(method.ToUpperInvariant(), url, referenceId, item.TryGetProperty("body", out var b) ? b.Clone() : null));
        }
        if (subrequests.Count is 0 or > MaxSubrequests)
            return SfJson.Error(new SfError(400, "INVALID_BATCH_REQUEST", $"A composite request holds 1 to {MaxSubrequests} subrequests; {subrequests.Count} were sent."));
        if (subrequests.Select(s => s.ReferenceId).Distinct(StringComparer.Ordinal).Count() != subrequests.Count)
            return SfJson.Error(new SfError(400, "INVALID_BATCH_REQUEST", "Each subrequest needs its own referenceId."));

        var duplicates = SfDuplicates.Read(http);
        if (!duplicates.IsOk) return SfJson.Error(SfError.From(duplicates.Error));
        var responses = allOrNone
            ? await RunAtomicallyAsync(http, v.Value, subrequests, batch, duplicates.Value, ct)
            : await RunEachAsync(http, v.Value, subrequests, duplicates.Value, ct);
        if (responses is null)
            return SfJson.Error(new SfError(400, "INVALID_BATCH_REQUEST",
                "With allOrNone, composite runs sObject creates (POST …/sobjects/{Type}), updates and deletes (PATCH/DELETE …/sobjects/{Type}/{Id}) in one transaction. Send reads and upserts in a request without allOrNone."));
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("compositeResponse");
            foreach (var response in responses)
            {
                w.WriteStartObject();
                w.WritePropertyName("body");
                if (response.Body is { Length: > 0 } text) JsonDocument.Parse(text).RootElement.WriteTo(w);
                else w.WriteNullValue();
                w.WriteStartObject("httpHeaders");
                if (response.Location is not null) w.WriteString("Location", response.Location);
                w.WriteEndObject();
                w.WriteNumber("httpStatusCode", response.Status);
                w.WriteString("referenceId", response.ReferenceId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Each subrequest through the same handlers as a direct call, after its references are filled in.</summary>
    static async Task<List<SubResponse>> RunEachAsync(HttpContext http, string version, List<Subrequest> subrequests, WriteOptions duplicates, CancellationToken ct)
    {
        var responses = new List<SubResponse>();
        var bodies = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var sub in subrequests)
        {
            var url = Resolve(sub.Url, bodies, out var urlError);
            string? bodyText = null, bodyError = null;
            if (sub.Body is { } b) bodyText = Resolve(b.GetRawText(), bodies, out bodyError);
            var refError = urlError ?? bodyError;
            if (url is null || refError is not null)
            {
                responses.Add(new(sub.ReferenceId, 400, SfJson.Write(w => WriteErrors(w, new SfError(400, "INVALID_REFERENCE", refError ?? "Invalid reference specified.")))));
                continue;
            }
            var response = await DispatchAsync(http, version, sub.Method, url, bodyText, duplicates, ct);
            responses.Add(response with { ReferenceId = sub.ReferenceId });
            if (response.Status < 300 && response.Body is { Length: > 0 } text) bodies[sub.ReferenceId] = JsonDocument.Parse(text).RootElement.Clone();
        }
        return responses;
    }

    static async Task<SubResponse> DispatchAsync(HttpContext http, string version, string method, string url, string? body, WriteOptions duplicates, CancellationToken ct)
    {
        int query = url.IndexOf('?');
        string path = (query < 0 ? url : url[..query]).TrimEnd('/');
        string prefix = $"/services/data/v{version}/";
        var services = http.RequestServices;
        var inner = new DefaultHttpContext { RequestServices = services, User = http.User };
        inner.Request.Method = method;
        inner.Request.QueryString = new QueryString(query < 0 ? "" : url[query..]);
        inner.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? "{}"));
        inner.Request.ContentType = "application/json";
        SfDuplicates.Carry(inner, duplicates);
        string? subVersion = path.StartsWith("/services/data/v", StringComparison.Ordinal) ? path["/services/data/".Length..].Split('/')[0] : null;
        if (subVersion is null)
            return new("", 404, SfJson.Write(w => WriteErrors(w, SfError.NotFound($"The composite subrequest url must start with {prefix}"))));
        var segments = path["/services/data/".Length..].Split('/').Skip(1).Select(Uri.UnescapeDataString).ToArray();
        var fields = inner.Request.Query["fields"].ToString();
        IResult result = (method, segments) switch
        {
            ("POST", ["sobjects", var type]) => await SObjectEndpoints.CreateAsync(inner, subVersion, type, services.GetRequiredService<RecordService>(), ct),
            ("GET", ["sobjects", var type, var id]) => await SObjectEndpoints.RetrieveAsync(inner, subVersion, type, id, fields.Length == 0 ? null : fields,
                services.GetRequiredService<RecordService>(), services.GetRequiredService<SchemaService>(), ct),
            ("PATCH", ["sobjects", var type, var id]) => await SObjectEndpoints.UpdateAsync(inner, subVersion, type, id, services.GetRequiredService<RecordService>(), ct),
            ("DELETE", ["sobjects", var type, var id]) => await SObjectEndpoints.DeleteAsync(inner, subVersion, type, id, services.GetRequiredService<RecycleBin>(), ct),
            ("PATCH", ["sobjects", var type, var field, var value]) => await SObjectEndpoints.UpsertAsync(inner, subVersion, type, field, value, services.GetRequiredService<Upsert>(), ct),
            ("GET", ["sobjects", var type, var field, var value]) => await SObjectEndpoints.GetByExternalIdAsync(inner, subVersion, type, field, value, fields.Length == 0 ? null : fields,
                services.GetRequiredService<RecordService>(), services.GetRequiredService<SchemaService>(), ct),
            ("GET", ["query" or "queryAll"]) => await QueryEndpoints.QueryAsync(inner, subVersion, inner.Request.Query["q"].ToString(), segments[0] == "queryAll",
                services.GetRequiredService<Domain.Soql.SoqlService>(), ct),
            _ => SfJson.Error(new SfError(400, "INVALID_BATCH_REQUEST", $"{method} {url} is not supported inside composite; composite runs sObject create, retrieve, update, delete and upsert subrequests, and queries.")),
        };
        inner.Response.Body = new MemoryStream();
        await result.ExecuteAsync(inner);
        string text = Encoding.UTF8.GetString(((MemoryStream)inner.Response.Body).ToArray());
        int status = inner.Response.StatusCode;
        string? location = method == "POST" && status == 201 && segments is ["sobjects", var created]
            ? SfJson.RecordUrl(ApiVersion.Parse(subVersion) ?? version, created, JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!)
            : null;
        return new("", status, text, location);
    }

    /// <summary>Creates, updates and deletes validated together and committed in one transaction.</summary>
    static async Task<List<SubResponse>?> RunAtomicallyAsync(HttpContext http, string version, List<Subrequest> subrequests, RecordBatch batch, WriteOptions duplicates,
        CancellationToken ct)
    {
        var plans = new List<(BatchOperation Operation, ObjectMetadata Object, string? Id, Subrequest Sub)>();
        var schema = await http.RequestServices.GetRequiredService<Domain.Schema.SchemaService>().GetAsync(SfRequest.Caller(http).Tenant, ct);
        foreach (var sub in subrequests)
        {
            string path = sub.Url.Split('?')[0].TrimEnd('/');
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            // services / data / vXX.X / sobjects / Type [/ Id]
            if (segments.Length < 5 || segments[0] != "services" || segments[1] != "data" || segments[3] != "sobjects" || !schema.TryGetObject(segments[4], out var obj))
                return null;
            switch (sub.Method, segments.Length)
            {
                case ("POST", 5): plans.Add((BatchOperation.Create, obj, null, sub)); break;
                case ("PATCH", 6): plans.Add((BatchOperation.Update, obj, segments[5], sub)); break;
                case ("DELETE", 6): plans.Add((BatchOperation.Delete, obj, segments[5], sub)); break;
                default: return null;
            }
        }

        var results = await batch.ApplyAsync(SfRequest.Caller(http), plans.Count, (i, earlier) =>
        {
            var (operation, obj, id, sub) = plans[i];
            var ids = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            for (int k = 0; k < earlier.Count; k++)
                if (earlier[k].Id is { } earlierId) ids[plans[k].Sub.ReferenceId] = JsonDocument.Parse($"{{\"id\":\"{earlierId}\"}}").RootElement.Clone();
            string? resolvedId = null;
            if (id is not null)
            {
                resolvedId = Resolve(Uri.UnescapeDataString(id), ids, out var idError);
                if (resolvedId is null) return new CrmError("INVALID_REFERENCE", idError!);
            }
            RecordInput input = new([]);
            if (sub.Body is { } body)
            {
                var text = Resolve(body.GetRawText(), ids, out var bodyError);
                if (text is null) return new CrmError("INVALID_REFERENCE", bodyError!);
                var fields = JsonDocument.Parse(text).RootElement.Clone();
                if (fields.ValueKind != JsonValueKind.Object) return new CrmError("JSON_PARSER_ERROR", "The request body must be a JSON object of field names and values.");
                input = SfRequest.Fields(fields, skipId: true);
            }
            return new BatchItem(operation, obj, resolvedId, input);
        }, allOrNone: true, ct, duplicates);

        var responses = new List<SubResponse>();
        for (int i = 0; i < results.Count; i++)
        {
            var (operation, obj, _, sub) = plans[i];
            var r = results[i];
            if (r.Error is { } error)
            {
                var sf = error.Code == ErrorCodes.AllOrNoneRolledBack
                    ? new SfError(400, "PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.")
                    : SfError.From(error) with { Object = obj.Name };
                responses.Add(new(sub.ReferenceId, sf.Status, SfJson.Write(w => WriteErrors(w, sf))));
            }
            else if (operation == BatchOperation.Create)
                responses.Add(new(sub.ReferenceId, 201, SfJson.Write(w => SfJson.WriteSaveResult(w, r.Id, [], possibleDuplicates: r.PossibleDuplicates)), SfJson.RecordUrl(version, obj.Name, r.Id!)));
            else
                responses.Add(new(sub.ReferenceId, 204, null));
        }
        return responses;
    }

    /// <summary>Fills @{ref.path} from earlier bodies; null with an error when a reference cannot be resolved.</summary>
    static string? Resolve(string text, IReadOnlyDictionary<string, JsonElement> bodies, out string? error)
    {
        string? problem = null;
        string resolved = Reference().Replace(text, match =>
        {
            if (!bodies.TryGetValue(match.Groups[1].Value, out var body))
            {
                problem ??= $"Invalid reference specified. No value for {match.Groups[1].Value}.{match.Groups[2].Value} found in the earlier subrequests.";
                return match.Value;
            }
            var value = Navigate(body, match.Groups[2].Value);
            if (value is null) problem ??= $"Invalid reference specified. {match.Groups[1].Value} has no {match.Groups[2].Value}.";
            return value ?? match.Value;
        });
        error = problem;
        return problem is null ? resolved : null;
    }

    /// <summary>"id", "records[0].Id", "Account.Name" inside a JSON body.</summary>
    static string? Navigate(JsonElement element, string path)
    {
        foreach (var part in path.Split('.'))
        {
            string name = part;
            int? index = null;
            int bracket = part.IndexOf('[');
            if (bracket > 0 && part.EndsWith(']') && int.TryParse(part.AsSpan(bracket + 1, part.Length - bracket - 2), out int i))
            {
                name = part[..bracket];
                index = i;
            }
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
            if (index is { } n)
            {
                if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() <= n) return null;
                element = element[n];
            }
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };
    }

    static void WriteErrors(Utf8JsonWriter w, SfError error) => SfJson.WriteErrorArray(w, [error]);
}
