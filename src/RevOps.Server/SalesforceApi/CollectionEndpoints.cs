using System.Text.Json;
using RevOps.Domain;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Writes;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// sObject Collections (/composite/sobjects): up to 200 creates, updates, deletes, upserts or
/// retrieves in one call, which jsforce uses for every array argument. Per-record errors use
/// statusCode and the HTTP status stays 200; allOrNone commits all or nothing.
/// </summary>
public static class CollectionEndpoints
{
    public static void Map(RouteGroupBuilder data)
    {
        data.MapPost("/composite/sobjects", (HttpContext http, string version, RecordBatch batch, CancellationToken ct) => WriteAsync(http, version, BatchOperation.Create, batch, ct));
        data.MapPatch("/composite/sobjects", (HttpContext http, string version, RecordBatch batch, CancellationToken ct) => WriteAsync(http, version, BatchOperation.Update, batch, ct));
        data.MapDelete("/composite/sobjects", DeleteAsync);
        data.MapPost("/composite/sobjects/{type}", RetrievePostAsync);
        data.MapGet("/composite/sobjects/{type}", RetrieveGetAsync);
        data.MapPatch("/composite/sobjects/{type}/{field}", UpsertAsync);
    }

    static async Task<IResult> WriteAsync(HttpContext http, string version, BatchOperation operation, RecordBatch batch, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var records = Records(body, out bool allOrNone);
        if (records.Error is not null) return SfJson.Error(records.Error);

        var items = new List<BatchItem?>();
        var early = new Dictionary<int, SfError>();
        var schema = await http.RequestServices.GetRequiredService<Domain.Schema.SchemaService>().GetAsync(SfRequest.Caller(http).Tenant, ct);
        for (int i = 0; i < records.Items.Count; i++)
        {
            var record = records.Items[i];
            string? typeName = record.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
                && attributes.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? id = operation == BatchOperation.Update ? IdOf(record) : null;
            if (typeName is null || !schema.TryGetObject(typeName, out var obj))
            {
                early[i] = new SfError(400, "INVALID_TYPE", typeName is null
                    ? "Each record needs attributes.type, e.g. {\"attributes\": {\"type\": \"Account\"}, \"Name\": \"Acme\"}."
                    : $"sObject type '{typeName}' is not supported.");
                items.Add(null);
                continue;
            }
            if (operation == BatchOperation.Update && id is null)
            {
                early[i] = new SfError(400, "MISSING_ARGUMENT", "Id not specified in an update call", ["id"]);
                items.Add(null);
                continue;
            }
            items.Add(new BatchItem(operation, obj, id, SfRequest.Fields(record, skipId: true)));
        }
        return await RunAsync(http, batch, items, early, allOrNone, ct);
    }

    static async Task<IResult> DeleteAsync(HttpContext http, string version, string? ids, string? allOrNone, RecordBatch batch, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var list = (ids ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (list.Length == 0) return SfJson.Error(new SfError(400, "MISSING_ARGUMENT", "Send the Ids to delete: ?ids=001…,003…", ["ids"]));
        if (list.Length > RecordBatch.MaxItems) return SfJson.Error(TooMany(list.Length));
        var items = new List<BatchItem?>();
        var early = new Dictionary<int, SfError>();
        var schema = await http.RequestServices.GetRequiredService<Domain.Schema.SchemaService>().GetAsync(SfRequest.Caller(http).Tenant, ct);
        for (int i = 0; i < list.Length; i++)
        {
            var obj = RecordService.ObjectOfId(list[i], schema);
            if (!obj.IsOk)
            {
                early[i] = new SfError(400, "MALFORMED_ID", $"malformed id {list[i]}", ["id"]);
                items.Add(null);
                continue;
            }
            items.Add(new BatchItem(BatchOperation.Delete, obj.Value, list[i], new RecordInput([])));
        }
        return await RunAsync(http, batch, items, early, string.Equals(allOrNone, "true", StringComparison.OrdinalIgnoreCase), ct);
    }

    static async Task<IResult> UpsertAsync(HttpContext http, string version, string type, string field, RecordBatch batch, RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var list = Records(body, out bool allOrNone);
        if (list.Error is not null) return SfJson.Error(list.Error);
        var caller = SfRequest.Caller(http);
        var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
        if (!schema.TryGetField(field, out var extField) || !extField.ExternalId)
            return SfJson.Error(SfError.NotFound($"Provided external ID field does not exist or is not accessible: {field}"));

        // Each record becomes a create or an update by matching its external id, then all go as one batch.
        var items = new List<BatchItem?>();
        var early = new Dictionary<int, SfError>();
        var created = new bool[list.Items.Count];
        for (int i = 0; i < list.Items.Count; i++)
        {
            var record = list.Items[i];
            var value = record.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, extField.Name, StringComparison.OrdinalIgnoreCase));
            if (value.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                early[i] = new SfError(400, "MISSING_ARGUMENT", $"{extField.Name} not specified", [extField.Name]);
                items.Add(null);
                continue;
            }
            var matches = await records.FindByValueAsync(caller, schema, extField, value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText(), ct);
            if (!matches.IsOk) { early[i] = SfError.From(matches.Error); items.Add(null); continue; }
            if (matches.Value.Count > 1)
            {
                early[i] = new SfError(300, "DUPLICATE_EXTERNAL_ID", $"{extField.Name}: more than one record found for external id field: [{string.Join(", ", matches.Value.Select(m => m.Id))}]", [extField.Name]);
                items.Add(null);
                continue;
            }
            created[i] = matches.Value.Count == 0;
            items.Add(created[i]
                ? new BatchItem(BatchOperation.Create, obj, null, SfRequest.Fields(record, skipId: true))
                : new BatchItem(BatchOperation.Update, obj, matches.Value[0].Id, Without(record, extField.Name)));
        }
        return await RunAsync(http, batch, items, early, allOrNone, ct, created);
    }

    static async Task<IResult> RunAsync(HttpContext http, RecordBatch batch, List<BatchItem?> items, Dictionary<int, SfError> early, bool allOrNone, CancellationToken ct, bool[]? created = null)
    {
        var duplicates = SfDuplicates.Read(http);
        if (!duplicates.IsOk) return SfJson.Error(SfError.From(duplicates.Error));
        var results = new SfItem[items.Count];
        foreach (var (i, error) in early) results[i] = new(null, error);
        var runnable = items.Select((item, i) => (item, i)).Where(p => p.item is not null).ToList();
        if (allOrNone && early.Count > 0)
        {
            foreach (var (_, i) in runnable) results[i] = new(null, SfError.From(RecordBatch.RolledBack));
        }
        else
        {
            var outcome = await batch.ApplyAsync(SfRequest.Caller(http), runnable.Select(p => p.item!).ToArray(), allOrNone, ct, duplicates.Value);
            for (int k = 0; k < runnable.Count; k++)
                results[runnable[k].i] = new(outcome[k].Id, outcome[k].Error is { } e ? SfError.From(e) with { Object = runnable[k].item!.Object.Name } : null, outcome[k].PossibleDuplicates);
        }
        return SfJson.Ok(w =>
        {
            w.WriteStartArray();
            for (int i = 0; i < results.Length; i++)
                SfJson.WriteSaveResult(w, results[i].Error is null || created is null ? results[i].Id : null,
                    results[i].Error is { } e ? [e] : [], created is null || results[i].Error is not null ? null : created[i], collection: true, results[i].Duplicates);
            w.WriteEndArray();
        });
    }

    readonly record struct SfItem(string? Id, SfError? Error, IReadOnlyList<DuplicateMatch>? Duplicates = null);

    static async Task<IResult> RetrievePostAsync(HttpContext http, string version, string type, RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        // A number or object where a string belongs is a malformed Id or an unknown field (400), not a server error.
        var ids = body.TryGetProperty("ids", out var i) && i.ValueKind == JsonValueKind.Array ? i.EnumerateArray().Select(Text).ToArray() : [];
        var fields = body.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array ? string.Join(',', f.EnumerateArray().Select(Text)) : null;
        return await RetrieveAsync(http, version, type, ids, fields, records, schemas, ct);
    }

    static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Null => "",
        _ => element.GetRawText(),
    };

    static Task<IResult> RetrieveGetAsync(HttpContext http, string version, string type, string? ids, string? fields, RecordService records, SchemaService schemas, CancellationToken ct) =>
        RetrieveAsync(http, version, type, (ids ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), fields, records, schemas, ct);

    /// <summary>The records in Id order, null for a missing or deleted Id.</summary>
    static async Task<IResult> RetrieveAsync(HttpContext http, string version, string type, string[] ids, string? fields, RecordService records, SchemaService schemas, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (obj, unknownType) = await SfRequest.ObjectAsync(http, type, ct);
        if (unknownType is not null) return SfJson.Error(unknownType);
        if (ids.Length == 0) return SfJson.Error(new SfError(400, "MISSING_ARGUMENT", "Send the Ids to retrieve in ids.", ["ids"]));
        if (ids.Length > 2000) return SfJson.Error(new SfError(400, "LIMIT_EXCEEDED", "At most 2000 Ids can be retrieved at once."));
        var caller = SfRequest.Caller(http);
        var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
        var selected = SObjectEndpoints.SelectFields(schema, fields);
        if (selected.Error is not null) return SfJson.Error(selected.Error);
        var found = new Record?[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if (!SalesforceId.TryNormalize(ids[i], out var id) || SalesforceId.KeyPrefix(id) != obj.KeyPrefix)
                return SfJson.Error(new SfError(400, "MALFORMED_ID", $"{obj.Name} ID: id value of incorrect type: {ids[i]}", ["Id"]));
            var record = await records.GetAsync(caller, obj, id, ct);
            found[i] = record.IsOk ? record.Value : null;
        }
        return SfJson.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var record in found)
                if (record is null) w.WriteNullValue();
                else SfJson.WriteRecord(w, v.Value, schema, record, selected.Fields);
            w.WriteEndArray();
        });
    }

    /// <summary>{"allOrNone", "records": [...]} with 1 to 200 records.</summary>
    static (IReadOnlyList<JsonElement> Items, SfError? Error) Records(JsonElement body, out bool allOrNone)
    {
        allOrNone = body.TryGetProperty("allOrNone", out var all) && all.ValueKind == JsonValueKind.True;
        if (!body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
            return ([], new SfError(400, "JSON_PARSER_ERROR", "Send {\"allOrNone\": false, \"records\": [ … ]}."));
        var items = records.EnumerateArray().ToArray();
        if (items.Length > RecordBatch.MaxItems) return ([], TooMany(items.Length));
        if (items.Any(r => r.ValueKind != JsonValueKind.Object)) return ([], new SfError(400, "JSON_PARSER_ERROR", "Each of records must be a JSON object."));
        return (items, null);
    }

    static SfError TooMany(int count) =>
        new(400, "EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {RecordBatch.MaxItems} records into this call ({count} were sent)");

    static string? IdOf(JsonElement record) =>
        record.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    static RecordInput Without(JsonElement record, string field) =>
        new(record.EnumerateObject()
            .Where(p => p.Name != "attributes" && !string.Equals(p.Name, "id", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase))
            .Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)).ToArray());
}
