using System.Text;
using System.Text.Json;
using RevOps.Domain.BulkJobs;
using BulkLimits = RevOps.Domain.BulkJobs.BulkJobs;
using RevOps.Domain.Ids;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Server.BulkJobs;

namespace RevOps.Server.SalesforceApi;

/// <summary>
/// Bulk API 2.0 ingest (/jobs/ingest), as jsforce's bulk2 calls it: create a job, PUT its CSV (streamed into the database in parts
/// of 200 rows, up to 150 MB), close it (UploadComplete) or abort it, poll it, read successfulResults, failedResults and
/// unprocessedrecords as CSV, delete it. The runner on any node processes closed jobs.
/// </summary>
public static class BulkIngestEndpoints
{
    const string CsvType = "text/csv; charset=UTF-8";
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The one route whose body may be larger than --max-request-bytes: an ingest job's data (Salesforce allows 150 MB).</summary>
    public static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPut(request.Method) && request.Path.Value is { } path && path.StartsWith("/services/data/", StringComparison.Ordinal)
        && path.EndsWith("/batches", StringComparison.Ordinal) && path.Contains("/jobs/ingest/", StringComparison.Ordinal);

    public static void Map(RouteGroupBuilder data)
    {
        data.MapPost("/jobs/ingest", CreateAsync);
        BulkJobRoutes.MapShared(data, "/jobs/ingest", BulkJobKind.Ingest);
        data.MapPut("/jobs/ingest/{id}/batches", UploadAsync);
        data.MapGet("/jobs/ingest/{id}/successfulResults", (HttpContext http, string version, string id, IBulkJobStore store, CancellationToken ct) => ResultsAsync(http, version, id, BulkPartKind.Ok, store, ct));
        data.MapGet("/jobs/ingest/{id}/failedResults", (HttpContext http, string version, string id, IBulkJobStore store, CancellationToken ct) => ResultsAsync(http, version, id, BulkPartKind.Fail, store, ct));
        data.MapGet("/jobs/ingest/{id}/unprocessedrecords", (HttpContext http, string version, string id, IBulkJobStore store, CancellationToken ct) => ResultsAsync(http, version, id, BulkPartKind.Data, store, ct));
    }

    static async Task<IResult> CreateAsync(HttpContext http, string version, IBulkJobStore store, SchemaService schemas, IdGenerator ids, TimeProvider time, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var (body, bad) = await SfRequest.BodyAsync(http.Request, ct);
        if (bad is not null) return SfJson.Error(bad);
        var caller = SfRequest.Caller(http);
        if (!caller.CanWrite) return SfJson.Error(new SfError(403, "INSUFFICIENT_ACCESS", "This API key may only read. An ingest job writes: use a key with the write scope."));
        string? objectName = BulkJobRoutes.Text(body, "object"), operation = BulkJobRoutes.Text(body, "operation"), external = BulkJobRoutes.Text(body, "externalIdFieldName");
        if (objectName is null) return SfJson.Error(BulkJobRoutes.InvalidJob("object is required: the sObject the job writes, e.g. \"Contact\"."));
        var tenantSchema = await schemas.GetAsync(caller.Tenant, ct);
        if (!tenantSchema.TryGetObject(objectName, out var obj)) return SfJson.Error(BulkJobRoutes.InvalidJob($"Unable to find object: {Clip(objectName)}. Objects: {string.Join(", ", tenantSchema.Objects.Select(o => o.Name))}."));
        if (operation is null || !BulkLimits.IngestOperations.Contains(operation))
            return SfJson.Error(BulkJobRoutes.InvalidJob($"operation must be one of {string.Join(", ", BulkLimits.IngestOperations)}; got '{Clip(operation ?? "")}'."));
        if (operation == "hardDelete")
            return SfJson.Error(new SfError(400, "FEATURENOTENABLED", "hardDelete is not available: deleted records go to the recycle bin, from which they can be restored until it is purged. Use operation delete."));
        if (BulkJobRoutes.Text(body, "contentType") is { } contentType && contentType != "CSV")
            return SfJson.Error(BulkJobRoutes.InvalidJob($"contentType must be CSV; got '{Clip(contentType)}'."));
        var format = BulkLimits.Format(BulkJobRoutes.Text(body, "columnDelimiter"), BulkJobRoutes.Text(body, "lineEnding"));
        if (!format.IsOk) return SfJson.Error(BulkJobRoutes.InvalidJob(format.Error.Message));
        if (operation == "upsert")
        {
            if (external is null) return SfJson.Error(BulkJobRoutes.InvalidJob("An upsert needs externalIdFieldName: Id or an External ID field of the object."));
            var schema = await schemas.GetAsync(caller.Tenant, obj, ct);
            if (!schema.TryGetField(external, out var field) || !(field.Name == "Id" || field.ExternalId))
                return SfJson.Error(BulkJobRoutes.InvalidJob($"{obj.Name} has no External ID field '{Clip(external)}'. Use Id or a custom field defined as External ID."));
            external = field.Name;
        }
        else external = null;
        var now = time.GetUtcNow().UtcDateTime;
        var job = new BulkJob(ids.NewId("750"), BulkJobKind.Ingest, obj.Name, operation, external, format.Value.Delimiter, format.Value.LineEnding, null,
            BulkJobState.Open, null, caller.ActorId, caller.ActorName, caller.KeyId, caller.Scopes, v.Value, null, 0, 0, 0, 0, 0, 0, 0, now, now, null, null);
        await store.CreateAsync(caller.Tenant, job, ct);
        return BulkJobJson.Info(job);
    }

    /// <summary>
    /// Streams the CSV into parts of at most <see cref="BulkLimits.PartRows"/> rows (<see cref="BulkLimits.PartChars"/> characters). The header is checked against the object before any row
    /// is kept; malformed rows are kept with their error (they fail on their own later); a body that is not UTF-8 or too large keeps nothing.
    /// </summary>
    static async Task<IResult> UploadAsync(HttpContext http, string version, string id, IBulkJobStore store, SchemaService schemas, TimeProvider time, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var caller = SfRequest.Caller(http);
        var job = await store.GetAsync(caller.Tenant, id, ct);
        if (job is null || job.Kind != BulkJobKind.Ingest) return SfJson.Error(BulkJobRoutes.NoJob(id));
        if (job.State != BulkJobState.Open)
            return SfJson.Error(new SfError(409, "INVALIDJOBSTATE", $"Job {id} is {job.State}: data can be uploaded only while a job is Open. Create a new job."));
        if (http.Request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return SfJson.Error(new SfError(400, "INVALIDCONTENTTYPE", "Send the job's data as CSV with Content-Type: text/csv."));
        if (job.UploadBytes + (http.Request.ContentLength ?? 0) > BulkLimits.MaxUploadBytes)
            return SfJson.Error(new SfError(413, "REQUEST_ENTITY_TOO_LARGE", $"A job takes at most {BulkLimits.MaxUploadBytes:N0} bytes of data. Split the data across several jobs."));

        int firstSeq = job.Chunks, nextSeq = job.Chunks;
        long keptRows = 0, keptBytes = 0;
        try
        {
            using var text = new StreamReader(http.Request.Body, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            var csv = new BulkCsvReader(text, job.Delimiter);
            var header = await csv.ReadAsync(ct);
            if (header is null) return SfJson.Error(BulkJobRoutes.InvalidBatch("The CSV is empty: send a header row naming the fields, then one row per record."));
            if (header.Error is { } headerError) return SfJson.Error(BulkJobRoutes.InvalidBatch("The header row is malformed: " + headerError));
            var headers = header.Cells.Select(h => h.Trim()).ToArray();
            if (job.Headers is { } earlier && !earlier.SequenceEqual(headers, StringComparer.Ordinal))
                return SfJson.Error(BulkJobRoutes.InvalidBatch($"This upload's header ({Clip(string.Join(",", headers))}) differs from the job's first ({Clip(string.Join(",", earlier))}). Every upload of a job has the same columns."));
            if (await CheckHeaderAsync(job, headers, caller.Tenant, schemas, ct) is { } headerProblem) return SfJson.Error(headerProblem);

            var rows = new List<BulkCsvRow>(BulkLimits.PartRows);
            var parts = new List<BulkPart>();
            long flushedChars = 0;
            async Task FlushAsync()
            {
                if (rows.Count > 0) { parts.Add(new BulkPart(nextSeq++, rows.Count, BulkDataPart.Encode(rows))); rows.Clear(); }
                if (parts.Count == 0) return;
                long bytes = csv.CharsRead - flushedChars;
                if (!await store.AppendDataAsync(caller.Tenant, id, parts[0].Seq, parts, headers, bytes, time.GetUtcNow().UtcDateTime, CancellationToken.None))
                    throw new JobNotOpenException();
                keptRows += parts.Sum(p => p.Rows);
                keptBytes += bytes;
                flushedChars = csv.CharsRead;
                parts.Clear();
            }
            long partChars = 0, heldChars = 0;
            while (await csv.ReadAsync(ct) is { } row)
            {
                rows.Add(row);
                foreach (var cell in row.Cells) partChars += cell.Length;
                if (rows.Count < BulkLimits.PartRows && partChars < BulkLimits.PartChars) continue;
                parts.Add(new BulkPart(nextSeq++, rows.Count, BulkDataPart.Encode(rows)));
                rows = new List<BulkCsvRow>(BulkLimits.PartRows);
                heldChars += partChars;
                partChars = 0;
                // Parts are stored a few at a time: fewer write transactions than one per part, and memory bounded by size.
                if (parts.Count >= 10 || heldChars >= 4 * BulkLimits.PartChars) { await FlushAsync(); heldChars = 0; }
            }
            await FlushAsync();
            return Results.StatusCode(StatusCodes.Status201Created);
        }
        catch (DecoderFallbackException)
        {
            await UndoAsync();
            return SfJson.Error(BulkJobRoutes.InvalidBatch("The data is not UTF-8 text (it holds invalid bytes). Save it as UTF-8 and upload it again; nothing of this upload was kept."));
        }
        catch (JobNotOpenException)
        {
            await UndoAsync();
            return SfJson.Error(new SfError(409, "INVALIDJOBSTATE", $"Job {id} was closed, aborted or given data by another upload meanwhile; nothing of this upload was kept."));
        }
        catch (Exception)
        {
            // Too large, the client left, or a bug: the parts stored so far go, so the job holds whole uploads only.
            await UndoAsync();
            throw;
        }

        Task UndoAsync() => nextSeq > firstSeq
            ? store.RemoveDataAsync(caller.Tenant, id, firstSeq, keptRows, keptBytes, time.GetUtcNow().UtcDateTime, CancellationToken.None)
            : Task.CompletedTask;
    }

    /// <summary>Unknown or duplicate columns fail the upload, naming them (a mistyped header would otherwise drop a column of data).</summary>
    static async Task<SfError?> CheckHeaderAsync(BulkJob job, string[] headers, Domain.Tenancy.TenantId tenant, SchemaService schemas, CancellationToken ct)
    {
        if (headers.Length > BulkLimits.MaxColumns) return BulkJobRoutes.InvalidBatch($"The header has {headers.Length:N0} columns; at most {BulkLimits.MaxColumns:N0} fit a record.");
        var schema = await schemas.GetAsync(tenant, ct);
        if (!schema.TryGetObject(job.Object, out var obj)) return BulkJobRoutes.InvalidBatch($"Unable to find object: {job.Object}");
        if (job.Operation == "delete")
            return headers.Any(h => string.Equals(h, "Id", StringComparison.OrdinalIgnoreCase)) ? null
                : BulkJobRoutes.InvalidBatch("Field name not found : Id. A delete job's CSV has one column, Id.");
        bool byId = job.Operation == "update" || job.ExternalIdField == "Id";
        var mapped = ImportColumns.Map(schema.For(obj), schema, headers, keepId: byId);
        if (!mapped.IsOk) return BulkJobRoutes.InvalidBatch(mapped.Error.Message.Replace("revops field list", "describe", StringComparison.Ordinal));
        string? key = job.Operation == "upsert" ? job.ExternalIdField : job.Operation == "update" ? "Id" : null;
        if (key is not null && mapped.Value.CheckUpsertKey(key) is { } missing)
            return BulkJobRoutes.InvalidBatch($"The CSV has no {key} column: an {job.Operation} matches each row on it. Add the column.");
        return null;
    }

    /// <summary>successfulResults, failedResults or unprocessedrecords: a header, then the stored parts, streamed.</summary>
    static async Task<IResult> ResultsAsync(HttpContext http, string version, string id, string kind, IBulkJobStore store, CancellationToken ct)
    {
        var v = SfRequest.Version(version);
        if (!v.IsOk) return SfJson.Error(SfError.From(v.Error));
        var caller = SfRequest.Caller(http);
        var job = await store.GetAsync(caller.Tenant, id, ct);
        if (job is null || job.Kind != BulkJobKind.Ingest) return SfJson.Error(BulkJobRoutes.NoJob(id));
        var headers = job.Headers ?? [];
        string[] first = kind switch
        {
            BulkPartKind.Ok => ["sf__Id", "sf__Created", .. headers],
            BulkPartKind.Fail => ["sf__Id", "sf__Error", .. headers],
            _ => [.. headers],
        };
        http.Response.StatusCode = 200;
        http.Response.ContentType = CsvType;
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 1 << 16);
        await using (writer)
        {
            if (first.Length > 0) await writer.WriteAsync(BulkCsvWriter.Record(first, job.Delimiter, job.NewLine));
            // Unprocessed: the rows of parts not processed, when the job stopped before them (aborted or failed).
            int from = kind == BulkPartKind.Data ? (job.State is BulkJobState.Aborted or BulkJobState.Failed ? job.ChunksDone : int.MaxValue) : 0;
            for (int seq = from; seq < job.Chunks; seq += 25)
            {
                foreach (var part in await store.PartsAsync(caller.Tenant, id, kind, seq, Math.Min(seq + 25, job.Chunks), ct))
                {
                    if (kind != BulkPartKind.Data) { await writer.WriteAsync(part.Body); continue; }
                    var text = new StringBuilder();
                    foreach (var row in BulkDataPart.Decode(part.Body)) BulkCsvWriter.AppendRecord(text, row.Cells, job.Delimiter, job.NewLine);
                    await writer.WriteAsync(text);
                }
            }
        }
        return Results.Empty;
    }

    static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>The job stopped being Open (closed, aborted, or given data by a concurrent upload) while this upload was stored.</summary>
    sealed class JobNotOpenException : Exception;
}
