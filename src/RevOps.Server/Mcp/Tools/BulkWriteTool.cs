using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Domain.Users;
using RevOps.Domain.Writes;
using RevOps.Server.Imports;
using RevOps.Server.Json;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>
/// bulk_write: up to 10,000 creates, updates or deletes of one object in one call, for imports and
/// mass changes an agent would otherwise make one call per record for. It reports progress when the
/// client sends a progressToken and stops between chunks when cancelled. Rows sent as CSV text go through
/// the import engine (<see cref="ImportWriter"/>, as revops import): headers by API name or label, parents by value.
/// </summary>
public sealed class BulkWriteTool(BulkWrite bulk, SoqlService soql, UserService users, SchemaService schemas) : IToolArea
{
    const string Operation = "operation";
    const string Records = "records";
    const string Csv = "csv";
    /// <summary>Rows per import batch: parents are looked up once per batch, progress is reported after each.</summary>
    const int CsvBatch = 1_000;
    /// <summary>Above this many rows the answer leaves the ids out (they are in soql_query) and lists the first errors only.</summary>
    const int CompactAbove = 1_000;
    const int MaxErrorsListed = 100;
    const string AllOrNone = "all_or_none";
    static readonly string[] Operations = ["create", "update", "delete"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return ToolDefinition.Bulk("bulk_write", "Create, update or delete many records",
            $"Up to {BulkWrite.MaxItems:N0} creates, updates (Id + fields) or deletes (Id) of one object in one call, {BulkWrite.ChunkSize} per transaction (all_or_none: one), " +
            "with progress notifications and cancellation. Answers ids in input order, errors by index and possible duplicates. " +
            "E.g. {\"object\":\"Lead\",\"operation\":\"create\",\"records\":[{\"LastName\":\"Ng\",\"Company\":\"Acme\"}],\"on_duplicate\":\"skip\"}",
            new ToolSchema()
                .ObjectParam(required: true)
                .Param(Operation, "string", null, required: true, allowed: Operations)
                .Param(Records, "array", null, items: "object")
                .Param(Csv, "string", "Instead of records: CSV with a header row (API names or labels; Account.Name, Owner.Email for parents); update needs an Id column.")
                .Param(AllOrNone, "boolean", "Every record or none.")
                .Param(WriteArguments.OnDuplicate, "string", "Default: the org's rules (report).", allowed: ["report", "skip", "block"]),
            RunAsync).Confirming(AskDeleteAsync);
    }

    /// <summary>A bulk delete, said for the user to confirm; null for creates and updates.</summary>
    static ValueTask<string?> AskDeleteAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        if (args.String(Operation) is not { IsOk: true, Value: "delete" } || ObjectArgument.Read(args) is not { IsOk: true } obj
            || args.Array(Records) is not { IsOk: true, Value: { } records })
            return ValueTask.FromResult<string?>(null);
        return ValueTask.FromResult<string?>(
            $"Delete {records.Count:N0} {obj.Value.Name} record(s), and the records that go with them? They stay restorable in the recycle bin.");
    }

    async ValueTask<CallToolResult> RunAsync(Domain.Tenancy.Caller caller, ToolArguments args, ToolProgress progress, CancellationToken ct)
    {
        var obj = ObjectArgument.Read(args, await schemas.GetAsync(caller.Tenant, ct));
        if (!obj.IsOk) return ToolResults.Error(obj.Error);
        var operation = args.String(Operation);
        if (!operation.IsOk) return ToolResults.Error(operation.Error);
        if (operation.Value is not { } op || !Operations.Contains(op))
            return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument, $"bulk_write: operation must be one of create, update, delete; got '{operation.Value}'.", Operation));
        var allOrNone = args.Bool(AllOrNone);
        if (!allOrNone.IsOk) return ToolResults.Error(allOrNone.Error);
        var onDuplicate = args.String(WriteArguments.OnDuplicate);
        if (!onDuplicate.IsOk) return ToolResults.Error(onDuplicate.Error);
        var policy = WriteArguments.ReadPolicy(onDuplicate.Value);
        if (!policy.IsOk) return ToolResults.Error(policy.Error);
        var csv = args.String(Csv);
        if (!csv.IsOk) return ToolResults.Error(csv.Error);
        if (csv.Value is { } text)
        {
            if (args.Array(Records) is { IsOk: true, Value: not null })
                return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument, "bulk_write: send records or csv, not both.", Csv));
            return await RunCsvAsync(caller, obj.Value, op, text, allOrNone.Value, policy.Value, progress, ct);
        }
        var duplicates = new WriteOptions(OnDuplicate: policy.Value) { ReportDuplicates = true };
        var items = Items(args, obj.Value, op);
        if (!items.IsOk) return ToolResults.Error(items.Error);

        int total = items.Value.Count;
        await progress.ReportAsync(0, total, $"0 of {total} {obj.Value.Name} records written", ct);
        BulkOutcome outcome;
        try
        {
            outcome = await bulk.ApplyAsync(caller, items.Value, allOrNone.Value,
                done => progress.ReportAsync(done, total, $"{done} of {total} {obj.Value.Name} records processed", CancellationToken.None), ct, duplicates);
        }
        catch (OperationCanceledException)
        {
            return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument, "bulk_write was cancelled before it started; nothing was written."));
        }
        var result = Result(obj.Value, op, outcome);
        // Nothing written and something wrong: an error result, so the agent does not read it as done.
        if (outcome.Succeeded == 0 && outcome.Skipped == 0 && outcome.Failed > 0) result.IsError = true;
        return result;
    }

    static CrmResult<IReadOnlyList<BatchItem>> Items(ToolArguments args, ObjectMetadata obj, string op)
    {
        var records = args.Array(Records);
        if (!records.IsOk) return records.Error;
        if (records.Value is not { } list || list.Count == 0)
            return new CrmError(ErrorCodes.RequiredFieldMissing, "bulk_write: records is required: a non-empty array of record objects (or csv: CSV text with a header row).", Records);
        if (list.Count > BulkWrite.MaxItems)
            return new CrmError(ErrorCodes.InvalidArgument, $"bulk_write takes at most {BulkWrite.MaxItems:N0} records per call; {list.Count:N0} were sent. Split them into several calls.", Records);
        var items = new List<BatchItem>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            var record = list[i];
            if (record.ValueKind != JsonValueKind.Object)
                return new CrmError(ErrorCodes.InvalidType, $"bulk_write: records[{i}] must be an object such as {{\"LastName\": \"Ng\"}}; got {Json.JsonText.Canonical(record)}.", Records);
            string? id = record.TryGetProperty("Id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            if (op == "create" && record.TryGetProperty("Id", out _))
                return new CrmError(ErrorCodes.InvalidArgument, $"bulk_write: records[{i}] has an Id, but create makes new records. Leave Id out, or use operation 'update'.", Records);
            if (op != "create" && id is null)
                return new CrmError(ErrorCodes.RequiredFieldMissing, $"bulk_write: records[{i}] needs an Id (string) to {op}.", Records);
            var fields = new RecordInput(record.EnumerateObject()
                .Where(p => !string.Equals(p.Name, "Id", StringComparison.OrdinalIgnoreCase) && p.Name != "attributes")
                .Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)).ToArray());
            var operation = op switch { "create" => BatchOperation.Create, "update" => BatchOperation.Update, _ => BatchOperation.Delete };
            items.Add(new BatchItem(operation, obj, id, fields));
        }
        return items;
    }

    static CallToolResult Result(ObjectMetadata obj, string op, BulkOutcome outcome) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("object", obj.Name);
        w.WriteString("operation", op);
        w.WriteNumber("total", outcome.Results.Count);
        w.WriteNumber("succeeded", outcome.Succeeded);
        w.WriteNumber("failed", outcome.Failed);
        if (outcome.Skipped > 0) w.WriteNumber("skipped", outcome.Skipped);
        w.WriteBoolean("cancelled", outcome.Cancelled);
        if (outcome.Cancelled)
        {
            w.WriteNumber("notAttempted", outcome.NotAttempted);
            w.WriteString("note", string.Create(CultureInfo.InvariantCulture,
                $"Cancelled: records from index {outcome.Results.Count - outcome.NotAttempted} on were not attempted; the ids and errors before that are final."));
        }
        w.WriteStartArray("ids");
        foreach (var r in outcome.Results)
            if (r is { Success: true, Skipped: false, Id: { } id }) w.WriteStringValue(id);
            else w.WriteNullValue();
        w.WriteEndArray();
        w.WriteStartArray("errors");
        for (int i = 0; i < outcome.Results.Count; i++)
        {
            if (outcome.Results[i] is not { Error: { } error }) continue;
            w.WriteStartObject();
            w.WriteNumber("index", i);
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            if (error.Field is not null) w.WriteString("field", error.Field);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteDuplicates(w, outcome);
        w.WriteEndObject();
    });

    /// <summary>"duplicates": [{"index", "outcome": written|skipped|blocked, "possibleDuplicates"}] for the records that may duplicate others.</summary>
    static void WriteDuplicates(Utf8JsonWriter w, BulkOutcome outcome)
    {
        if (!outcome.Results.Any(r => r is { PossibleDuplicates.Count: > 0 })) return;
        w.WriteStartArray("duplicates");
        for (int i = 0; i < outcome.Results.Count; i++)
        {
            if (outcome.Results[i] is not { PossibleDuplicates.Count: > 0 } r) continue;
            w.WriteStartObject();
            w.WriteNumber("index", i);
            w.WriteString("outcome", r.Skipped ? "skipped" : r.Success ? "written" : r.Error!.Code == ErrorCodes.DuplicatesDetected ? "blocked" : "failed");
            DuplicateJson.Write(w, r.PossibleDuplicates);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }


    /// <summary>CSV rows through the import engine, a batch at a time, with progress after each batch; cancellation stops between chunks.</summary>
    async ValueTask<CallToolResult> RunCsvAsync(Domain.Tenancy.Caller caller, ObjectMetadata obj, string op, string text, bool allOrNone, DuplicatePolicy? policy,
        ToolProgress progress, CancellationToken ct)
    {
        if (op == "delete" || allOrNone)
            return ToolResults.Error(new CrmError(ErrorCodes.InvalidArgument,
                op == "delete" ? "bulk_write: csv takes create or update; send deletes as records: [{\"Id\": \"…\"}]." : "bulk_write: all_or_none is not taken with csv (each row lands or fails on its own); send records for all-or-none.", Csv));
        var parsed = CsvText.Parse(text, BulkWrite.MaxItems, Csv);
        if (!parsed.IsOk) return ToolResults.Error(parsed.Error with { Message = parsed.Error.Message + " Nothing was written." });
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        var columns = ImportColumns.Map(schema.For(obj), schema, parsed.Value.Headers, keepId: op == "update");
        if (!columns.IsOk) return ToolResults.Error(columns.Error with { Message = columns.Error.Message + " Nothing was written." });
        var rows = parsed.Value.Rows;
        if (op == "update")
        {
            if (columns.Value.CheckUpsertKey("Id") is { } keyError) return ToolResults.Error(keyError with { Message = "bulk_write: update needs an Id column. Nothing was written." });
            int idColumn = columns.Value.Columns.OfType<ImportColumn.Field>().First(c => c.Metadata.Name == "Id").Index;
            if (rows.FirstOrDefault(r => idColumn >= r.Cells.Count || r.Cells[idColumn].Trim().Length == 0) is { } noId)
                return ToolResults.Error(new CrmError(ErrorCodes.RequiredFieldMissing, $"bulk_write: csv row {noId.Number} has no Id; update needs one in every row (create the others with operation create). Nothing was written.", Csv));
        }
        if (rows.Count == 0) return ToolResults.Error(new CrmError(ErrorCodes.RequiredFieldMissing, "bulk_write: csv has a header but no rows.", Csv));

        var writer = new ImportWriter(bulk, soql, users, caller, columns.Value, new ImportOptions(ImportFormat.Default, op == "update" ? "Id" : null, policy));
        int total = rows.Count;
        await progress.ReportAsync(0, total, $"0 of {total} {obj.Name} rows written", ct);
        var results = new List<ImportRowResult>(total);
        for (int start = 0; start < total && !ct.IsCancellationRequested; start += CsvBatch)
        {
            var batch = rows.Skip(start).Take(CsvBatch).ToArray();
            var written = await writer.WriteAsync(batch, ct);
            results.AddRange(written);
            if (written.Count < batch.Length) break;
            await progress.ReportAsync(results.Count, total, $"{results.Count} of {total} {obj.Name} rows processed", CancellationToken.None);
        }
        var result = CsvResult(obj, op, total, results);
        if (results.Count > 0 && results.All(r => r.Status == ImportRowStatus.Failed)) result.IsError = true;
        return result;
    }

    static CallToolResult CsvResult(ObjectMetadata obj, string op, int total, List<ImportRowResult> results) => ToolResults.FromJson(w =>
    {
        int failed = results.Count(r => r.Status == ImportRowStatus.Failed), skipped = results.Count(r => r.Status == ImportRowStatus.Skipped);
        w.WriteStartObject();
        w.WriteString("object", obj.Name);
        w.WriteString("operation", op);
        w.WriteNumber("total", total);
        w.WriteNumber("succeeded", results.Count - failed - skipped);
        w.WriteNumber("failed", failed);
        if (skipped > 0) w.WriteNumber("skipped", skipped);
        bool cancelled = results.Count < total;
        w.WriteBoolean("cancelled", cancelled);
        if (cancelled)
        {
            w.WriteNumber("notAttempted", total - results.Count);
            w.WriteString("note", $"Cancelled: rows from index {results.Count} on were not attempted; the ids and errors before that are final.");
        }
        if (total <= CompactAbove)
        {
            w.WriteStartArray("ids");
            foreach (var r in results) if (r.Id is { } id && r.Status is ImportRowStatus.Created or ImportRowStatus.Updated) w.WriteStringValue(id); else w.WriteNullValue();
            w.WriteEndArray();
        }
        else w.WriteString("ids", $"Left out for {total:N0} rows; find the records with soql_query (e.g. by CreatedDate = TODAY).");
        w.WriteStartArray("errors");
        foreach (var (r, index) in results.Select((r, i) => (r, i)).Where(p => p.r.Status is ImportRowStatus.Failed or ImportRowStatus.Skipped).Take(MaxErrorsListed))
        {
            w.WriteStartObject();
            w.WriteNumber("index", index);
            if (r.Column is not null) w.WriteString("column", r.Column);
            if (!string.IsNullOrEmpty(r.Value)) w.WriteString("value", r.Value.Length > 100 ? r.Value[..100] + "…" : r.Value);
            string reason = r.Reason ?? "";
            int colon = reason.IndexOf(": ", StringComparison.Ordinal);
            bool coded = colon > 0 && reason[..colon].All(c => char.IsAsciiLetterUpper(c) || c == '_');
            w.WriteString("code", r.Status == ImportRowStatus.Skipped ? "SKIPPED_DUPLICATE" : coded ? reason[..colon] : ErrorCodes.InvalidArgument);
            w.WriteString("message", coded ? reason[(colon + 2)..] : reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (failed + skipped > MaxErrorsListed) w.WriteNumber("moreErrors", failed + skipped - MaxErrorsListed);
        w.WriteEndObject();
    });
}
