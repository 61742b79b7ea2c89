using System.Globalization;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Domain.Writes;

namespace RevOps.Domain.BulkJobs;

/// <summary>
/// Runs a claimed job to its end. Ingest: part by part, each part's rows written (one transaction when they are valid) with the
/// part's own request id, then its results and the progress stored in one transaction, so a stop loses at most the part in hand.
/// A resumed job first asks the change log whether that part landed: nothing landed → it is written; all of an insert part landed
/// → its Ids are the results; updates, upserts and deletes are written again (they find what landed), and an insert part that
/// landed only in part is reported failed row by row, never written twice. Query: the SOQL's rows stored as CSV records in parts.
/// </summary>
public sealed class BulkJobProcessor(IBulkJobStore store, BulkWrite bulk, SoqlService soql, UserService users, SchemaService schemas, TimeProvider time)
{
    /// <summary>How long a claim holds without renewal; renewed after every part.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(20);

    DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task RunAsync(BulkClaim claim, Action<Caller, int>? processed, CancellationToken ct) =>
        claim.Job.Kind == BulkJobKind.Ingest ? IngestAsync(claim, processed, ct) : QueryAsync(claim, processed, ct);

    async Task IngestAsync(BulkClaim claim, Action<Caller, int>? processed, CancellationToken ct)
    {
        var (tenant, job, resumed) = claim;
        var schema = await schemas.GetAsync(tenant, ct);
        if (job.Headers is null)
        {
            await FailAsync(tenant, job, "InvalidJob: the job has no data to process.", ct);
            return;
        }
        if (!schema.TryGetObject(job.Object, out var obj))
        {
            await FailAsync(tenant, job, $"InvalidJob: the object {job.Object} no longer exists in this org.", ct);
            return;
        }
        ImportColumns? columns = null;
        if (job.Operation != "delete")
        {
            bool byId = job.Operation == "update" || string.Equals(job.ExternalIdField, "Id", StringComparison.OrdinalIgnoreCase);
            var mapped = ImportColumns.Map(schema.For(obj), schema, job.Headers, keepId: byId);
            if (!mapped.IsOk) { await FailAsync(tenant, job, $"InvalidBatch : {mapped.Error.Message}", ct); return; }
            columns = mapped.Value;
            string? key = job.Operation == "upsert" ? job.ExternalIdField : job.Operation == "update" ? "Id" : null;
            if (key is not null && columns.CheckUpsertKey(key) is { } keyError) { await FailAsync(tenant, job, $"InvalidBatch : {keyError.Message.Replace("--upsert-on ", "externalIdFieldName ", StringComparison.Ordinal)}", ct); return; }
        }
        else if (!job.Headers.Any(h => string.Equals(h.Trim(), "Id", StringComparison.OrdinalIgnoreCase)))
        {
            await FailAsync(tenant, job, "InvalidBatch : Field name not found : Id. A delete job's CSV needs an Id column.", ct);
            return;
        }

        // A part is one transaction (ChunkRows), so on a resume it landed whole or not at all.
        var options = new ImportOptions(ImportFormat.Default, job.Operation == "update" ? "Id" : job.Operation == "upsert" ? job.ExternalIdField : null)
            { NullText = BulkJobs.NullValue, ChunkRows = BulkJobs.PartRows };
        var part = new BulkIngestPart(job, obj, schema, columns, bulk, caller => new ImportWriter(bulk, soql, users, caller, columns!, options));
        for (int seq = job.ChunksDone; seq < job.Chunks; seq++)
        {
            if (ct.IsCancellationRequested) return; // the lease runs out and the job resumes here
            var data = await store.PartsAsync(tenant, job.Id, BulkPartKind.Data, seq, seq + 1, ct);
            if (data.Count == 0) break;
            var rows = BulkDataPart.Decode(data[0].Body);
            var caller = job.Caller(tenant, job.PartRequestId(seq));
            BulkPartResults results;
            if (resumed && seq == job.ChunksDone)
                results = await ResumePartAsync(tenant, job, part, caller, rows, ct);
            else
                results = await part.WriteAsync(caller, rows, null, CancellationToken.None);
            bool stored = await store.CompletePartAsync(tenant, job.Id, seq,
                results.OkRows > 0 ? new BulkPart(seq, results.OkRows, results.Ok.ToString()) : null,
                results.FailRows > 0 ? new BulkPart(seq, results.FailRows, results.Fail.ToString()) : null,
                rows.Count, results.FailRows, Now, Now + Lease, CancellationToken.None);
            processed?.Invoke(caller, rows.Count);
            if (!stored) return; // aborted meanwhile: the parts after this one are unprocessed
        }
        await store.SetStateAsync(tenant, job.Id, [BulkJobState.InProgress], BulkJobState.JobComplete, null, Now, CancellationToken.None);
    }

    async Task<BulkPartResults> ResumePartAsync(TenantId tenant, BulkJob job, BulkIngestPart part, Caller caller, List<BulkCsvRow> rows, CancellationToken ct)
    {
        var landed = await store.ChangesOfRequestAsync(tenant, caller.RequestId!, job.UpdatedAt.AddMinutes(-5), ct);
        if (landed.Count == 0) return await part.WriteAsync(caller, rows, null, CancellationToken.None);
        if (job.Operation != "insert") return await part.WriteAsync(caller, rows, landed.Select(l => l.RecordId).ToHashSet(StringComparer.Ordinal), CancellationToken.None);
        var results = new BulkPartResults(new(), 0, new(), 0);
        var creates = landed.Where(l => l.Operation == "create").Select(l => l.RecordId).Distinct().ToList();
        if (creates.Count == rows.Count)
        {
            for (int i = 0; i < rows.Count; i++)
                BulkCsvWriter.AppendRecord(results.Ok, [creates[i], "true", .. rows[i].Cells], job.Delimiter, job.NewLine);
            return results with { OkRows = rows.Count };
        }
        string error = $"PROCESSING_HALTED: the server stopped while writing rows {rows[0].Number}-{rows[^1].Number}; {creates.Count} of them were written " +
            $"({string.Join(", ", creates.Take(5))}{(creates.Count > 5 ? ", …" : "")}) and none was written again. Check these rows before sending them again.";
        foreach (var row in rows) BulkCsvWriter.AppendRecord(results.Fail, ["", error, .. row.Cells], job.Delimiter, job.NewLine);
        return results with { FailRows = rows.Count };
    }

    async Task QueryAsync(BulkClaim claim, Action<Caller, int>? processed, CancellationToken ct)
    {
        var (tenant, job, _) = claim;
        var caller = job.Caller(tenant, $"bulk2/{job.Id}");
        bool includeDeleted = job.Operation == "queryAll";
        var columns = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var records = new List<Dictionary<string, string>>();
        long total = 0;
        for (int offset = 0; ; offset += SoqlService.MaxPageSize)
        {
            if (ct.IsCancellationRequested) return;
            var page = await soql.QueryAsync(caller, job.Query!, includeDeleted, offset, SoqlService.MaxPageSize, ct);
            if (!page.IsOk) { await FailAsync(tenant, job, $"{page.Error.Code}: {page.Error.Message}", ct); return; }
            foreach (var row in page.Value.Records)
            {
                var flat = new Dictionary<string, string>(StringComparer.Ordinal);
                Flatten(row, "", flat);
                foreach (var name in flat.Keys)
                    if (index.TryAdd(name, columns.Count)) columns.Add(name);
                records.Add(flat);
            }
            total += page.Value.Records.Count;
            if (page.Value.IsAggregate || page.Value.IsCountOnly || page.Value.Records.Count == 0 || offset + page.Value.Records.Count >= page.Value.TotalSize) break;
        }
        // The header is known once every row is seen (a parent that is null in the first rows still gets its column), and a
        // null parent (Account__r) is left out where another row names its fields (Account__r.Name): that column holds it, empty.
        columns.RemoveAll(c => columns.Any(other => other.Length > c.Length && other[c.Length] == '.' && other.StartsWith(c, StringComparison.Ordinal)));
        var parts = new List<BulkPart>();
        for (int start = 0, seq = 0; start < records.Count; start += BulkJobs.ResultPartRows, seq++)
        {
            var lines = records.Skip(start).Take(BulkJobs.ResultPartRows)
                .Select(r => BulkCsvWriter.Record(columns.Select(c => r.GetValueOrDefault(c)), job.Delimiter, job.NewLine));
            parts.Add(new BulkPart(seq, Math.Min(BulkJobs.ResultPartRows, records.Count - start), BulkDataPart.EncodeStrings(lines)));
        }
        string header = BulkCsvWriter.Record(columns, job.Delimiter, job.NewLine);
        if (!await store.AppendResultsAsync(tenant, job.Id, [new BulkPart(-1, 0, header), .. parts], total, Now, Now + Lease, CancellationToken.None)) return;
        processed?.Invoke(caller, (int)Math.Min(total, int.MaxValue));
        await store.SetStateAsync(tenant, job.Id, [BulkJobState.InProgress], BulkJobState.JobComplete, null, Now, CancellationToken.None);
    }

    /// <summary>A row's scalars by name, a parent's as Account.Name (Salesforce's bulk CSV columns); child subqueries are left out.</summary>
    static void Flatten(SoqlRow row, string prefix, Dictionary<string, string> into)
    {
        foreach (var (name, value) in row.Fields)
        {
            switch (value)
            {
                case SoqlRow parent: Flatten(parent, prefix + name + ".", into); break;
                case SoqlChildren: break;
                default: into[prefix + name] = RevOps.Domain.Imports.CsvValue.Text(value); break;
            }
        }
    }


    Task FailAsync(TenantId tenant, BulkJob job, string error, CancellationToken ct) =>
        store.SetStateAsync(tenant, job.Id, [BulkJobState.InProgress], BulkJobState.Failed, error, Now, CancellationToken.None);
}
